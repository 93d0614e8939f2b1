package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cep.PatternMatch;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/**
 * {@link EntityInputsSerializer} under Flink's serializer contract: the inputs {@link
 * RuleInputSerializerTest} routes from every sample, grouped as the router groups them, and
 * batches of several rules with a pattern match among them.
 */
class EntityInputsSerializerTest extends SerializerTestBase<EntityInputs> {
    private static final SerializerConfigImpl CONFIG = new SerializerConfigImpl();

    EntityInputsSerializerTest() {
        super(new DeeplyEqualsChecker().withCustomCheck((a, b) -> a instanceof EntityInputs && b instanceof EntityInputs,
                (a, b, checker) -> same((EntityInputs) a, (EntityInputs) b)));
    }

    private static boolean same(EntityInputs a, EntityInputs b) {
        try {
            RuleInputSerializerTest.same(a).ignoringFields("key").isEqualTo(b);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Override
    protected TypeSerializer<EntityInputs> createSerializer() {
        return TypeInformation.of(EntityInputs.class).createSerializer(CONFIG);
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<EntityInputs> getTypeClass() {
        return EntityInputs.class;
    }

    @Override
    protected EntityInputs[] getTestData() {
        List<EntityInputs> all = new ArrayList<>();
        for (RuleInput in : new RuleInputSerializerTest().getTestData()) {
            if (in.entity != null) {
                all.add(EntityInputs.of(KeyFamily.values()[all.size() % KeyFamily.values().length], in));
            }
        }
        PatternMatch m = new PatternMatch();
        m.ruleId = "job_consecutive_failures";
        m.summary = "3 failed runs in a row";
        RuleInput match = RuleInput.of(m);
        match.entity = "job etl/j"; // the batch's; the match itself names none, so the bytes hold it once
        all.add(new EntityInputs(KeyFamily.JOB, "job etl/j", new RuleInput[] {
                RuleInput.of("job_failure_rate", "job etl/j", 1_000L, 1, 2, "run-1"),
                RuleInput.of("task_latency_p95", "job etl/j", 1_000L, 612.5, 3, null), match}));
        return all.toArray(new EntityInputs[0]);
    }

    @Test
    void theEntityIsWrittenOnceAndEveryInputGetsItBack() throws Exception {
        EntityInputs[] data = getTestData();
        EntityInputs batch = data[data.length - 1];
        DataOutputSerializer out = new DataOutputSerializer(256);
        createSerializer().serialize(batch, out);
        byte[] bytes = out.getCopyOfBuffer();
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text.indexOf("etl/j")).isEqualTo(text.lastIndexOf("etl/j")); // once, though three inputs carry it
        EntityInputs back = createSerializer().deserialize(new DataInputDeserializer(bytes));
        assertThat(back.key()).isEqualTo(batch.key());
        assertThat(back.inputs).extracting(in -> in.entity).containsOnly("job etl/j");
        assertThat(back.inputs[2].match.summary).isEqualTo("3 failed runs in a row");
    }

    @Test
    void theFamiliesKeepTheirOrdinalsWhichTheEvaluatorsKeysHold() {
        // a reordered or removed constant would move every restored key to another family
        assertThat(KeyFamily.values()).containsExactly(KeyFamily.SOURCE, KeyFamily.DATASET, KeyFamily.JOB,
                KeyFamily.RUN, KeyFamily.METRIC_SERIES, KeyFamily.FIELD);
        assertThat(EntityInputs.key(KeyFamily.JOB, "job etl/j")).isEqualTo("2job etl/j");
        assertThat(EntityInputs.entityOf("2job etl/j")).isEqualTo("job etl/j");
    }
}
