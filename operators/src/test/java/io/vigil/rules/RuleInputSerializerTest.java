package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cep.PatternMatch;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.parse.RecordDecoder;
import io.vigil.testing.Samples;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.assertj.core.api.RecursiveComparisonAssert;
import org.junit.jupiter.api.Test;

/**
 * {@link RuleInputSerializer} under Flink's serializer contract, over the inputs the default rules
 * route from every sample, pattern matches, and inputs with nulls everywhere.
 */
class RuleInputSerializerTest extends SerializerTestBase<RuleInput> {
    private static final SerializerConfigImpl CONFIG = new SerializerConfigImpl();

    RuleInputSerializerTest() {
        super(new DeeplyEqualsChecker().withCustomCheck((a, b) -> a instanceof RuleInput && b instanceof RuleInput,
                (a, b, checker) -> sameFields(a, b)));
    }

    /** Field by field; NaN equals NaN (a value the serializer must keep). */
    static RecursiveComparisonAssert<?> same(Object actual) {
        return assertThat(actual).usingRecursiveComparison().withEqualsForType(Double::equals, Double.class);
    }

    private static boolean sameFields(Object a, Object b) {
        try {
            same(a).isEqualTo(b);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Override
    protected TypeSerializer<RuleInput> createSerializer() {
        return TypeInformation.of(RuleInput.class).createSerializer(CONFIG);
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<RuleInput> getTypeClass() {
        return RuleInput.class;
    }

    @Override
    protected RuleInput[] getTestData() {
        List<RuleInput> all = new ArrayList<>();
        try {
            RuleSet rules = RulesFile.load(Paths.get("../conf/rules.yaml"));
            RecordDecoder decoder = new RecordDecoder();
            for (InputFormat f : InputFormat.values()) {
                for (String line : Samples.records(f)) {
                    Envelope e = decoder.decode(Samples.raw(f, line));
                    for (Rule r : rules.rules) {
                        RuleMatcher.route(r, e, all);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(all).as("inputs routed from the samples").hasSizeGreaterThan(10);
        all.add(new RuleInput());
        all.add(RuleInput.of(null, null, Long.MIN_VALUE, Double.NaN, -1, "\u00e9\u4e2d"));
        all.add(RuleInput.of(new PatternMatch()));
        PatternMatch m = new PatternMatch();
        m.ruleId = "auth_bruteforce";
        m.entity = "destination user U666@DOM1 from C17,C42";
        m.key = "U666@DOM1";
        m.eventTime = 1_793_613_600_000L;
        m.firstEventTime = 1_793_613_000_000L;
        m.events = 12;
        m.summary = "12 failed logons then a success";
        all.add(RuleInput.of(m));
        return all.toArray(new RuleInput[0]);
    }

    @Test
    void everyFieldIsWritten() throws Exception {
        // a field added to RuleInput but not to the serializer comes back at its default
        RuleInput in = new RuleInput();
        int i = 0;
        for (Field f : publicFields()) {
            i++;
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(in, f.getName() + i);
            } else if (t == long.class) {
                f.setLong(in, 1_000_000_000_000L + i);
            } else if (t == int.class) {
                f.setInt(in, i);
            } else if (t == double.class) {
                f.setDouble(in, i + 0.5);
            } else {
                f.set(in, t.getDeclaredConstructor().newInstance());
            }
        }
        DataOutputSerializer out = new DataOutputSerializer(128);
        createSerializer().serialize(in, out);
        RuleInput back = createSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        same(back).isEqualTo(in);
        assertThat(back).hasNoNullFieldsOrProperties();
        same(createSerializer().copy(in)).isEqualTo(in);
    }

    private static List<Field> publicFields() {
        List<Field> out = new ArrayList<>();
        for (Field f : RuleInput.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void aCopyDoesNotShareTheMatch() {
        RuleInput[] data = getTestData();
        RuleInput in = data[data.length - 1];
        RuleInput c = createSerializer().copy(in);
        c.match.summary = "changed";
        assertThat(in.match.summary).isEqualTo("12 failed logons then a success");
    }

    @Test
    void theSnapshotRoundTripsAndRestoresAnEqualSerializerCompatibleAsIs() throws Exception {
        TypeSerializer<RuleInput> serializer = createSerializer();
        DataOutputSerializer out = new DataOutputSerializer(512);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<RuleInput> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read).isInstanceOf(RuleInputSerializer.Snapshot.class);
        TypeSerializer<RuleInput> restored = read.restoreSerializer();
        assertThat(restored).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<RuleInput> compat = serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compat.isCompatibleAsIs()).isTrue();
    }

    @Test
    void stateWrittenByFlinksPojoSerializerMigrates() throws Exception {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        for (Field f : publicFields()) {
            fields.put(f.getName(), TypeInformation.of(f.getType()));
        }
        TypeSerializer<RuleInput> pojo = Types.POJO(RuleInput.class, fields).createSerializer(CONFIG);
        DataOutputSerializer out = new DataOutputSerializer(512);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, pojo.snapshotConfiguration());
        TypeSerializerSnapshot<RuleInput> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(createSerializer().snapshotConfiguration().resolveSchemaCompatibility(old).isCompatibleAfterMigration())
                .isTrue();
        TypeSerializer<RuleInput> reader = old.restoreSerializer();
        for (RuleInput in : getTestData()) {
            DataOutputSerializer bytes = new DataOutputSerializer(128);
            pojo.serialize(in, bytes);
            RuleInput read = reader.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
            DataOutputSerializer again = new DataOutputSerializer(128);
            createSerializer().serialize(read, again);
            same(createSerializer().deserialize(new DataInputDeserializer(again.getCopyOfBuffer()))).isEqualTo(in);
        }
    }
}
