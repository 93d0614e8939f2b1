package io.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alert.AlertTrack;
import io.vigil.alert.Notice;
import io.vigil.cep.PatternMatch;
import io.vigil.config.VigilConfig;
import io.vigil.delivery.DeliveryRecord;
import io.vigil.iceberg.HadoopCatalogExtension;
import io.vigil.model.AlertEvent;
import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import io.vigil.model.EnvelopeSerializer;
import io.vigil.model.EnvelopeTypeInfo;
import io.vigil.model.LineageEvent;
import io.vigil.model.MetricSample;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RawRecord;
import io.vigil.model.ReadNotes;
import io.vigil.model.SourceCounts;
import io.vigil.model.SourceTally;
import io.vigil.rules.Control;
import io.vigil.rules.EntityInputs;
import io.vigil.rules.EntityInputsSerializer;
import io.vigil.rules.EntityInputsTypeInfo;
import io.vigil.rules.RuleInput;
import io.vigil.rules.RuleInputSerializer;
import io.vigil.rules.RuleInputTypeInfo;
import io.vigil.testing.IncidentScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What crosses a network exchange (or sits in state) is serialized by Flink's POJO or explicit
 * serializers, never by Kryo: Kryo is slow, and its format breaks savepoints on a field change.
 * The types on the hot path, Envelope, RuleInput and EntityInputs, have explicit serializers (no reflection);
 * the members those hand to Flink's POJO serializers must be POJOs too.
 * The Iceberg sink's own committables are Kryo by its design and left out.
 */
class ExchangedTypesTest {
    @RegisterExtension
    final HadoopCatalogExtension catalog = new HadoopCatalogExtension();

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(classes = {RawRecord.class, AlertEvent.class, Control.class,
            SourceTally.class, DeliveryRecord.class, io.vigil.delivery.PendingDelivery.class,
            io.vigil.delivery.Notification.class, io.vigil.delivery.AlertGroup.class,
            io.vigil.delivery.RouteDigest.class, io.vigil.delivery.AlertDigest.class, PatternMatch.class, Notice.class, AlertTrack.class,
            // the members EnvelopeSerializer and RuleInputSerializer hand to Flink's POJO serializers
            PipelineRunEvent.class, LineageEvent.class, MetricSample.class, DeadLetter.class, ReadNotes.class,
            SourceCounts.class})
    void isAPojoWithNoKryoFieldAnywhere(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        assertThat(kryoLeaves(info, type.getSimpleName())).as("fields of %s that fall back to Kryo", type).isEmpty();
    }

    @Test
    void envelopeAndRuleInputHaveTheirExplicitSerializers() {
        assertThat(TypeInformation.of(Envelope.class)).isSameAs(EnvelopeTypeInfo.INSTANCE);
        assertThat(TypeInformation.of(RuleInput.class)).isSameAs(RuleInputTypeInfo.INSTANCE);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // a Kryo fallback anywhere below would throw
        assertThat(TypeInformation.of(Envelope.class).createSerializer(config)).isInstanceOf(EnvelopeSerializer.class);
        assertThat(TypeInformation.of(RuleInput.class).createSerializer(config)).isInstanceOf(RuleInputSerializer.class);
        assertThat(TypeInformation.of(EntityInputs.class)).isSameAs(EntityInputsTypeInfo.INSTANCE);
        assertThat(TypeInformation.of(EntityInputs.class).createSerializer(config)).isInstanceOf(EntityInputsSerializer.class);
        // as a field of a POJO (the parse operator's held events) the explicit type is used too
        PojoTypeInfo<?> held = (PojoTypeInfo<?>) TypeInformation.of(io.vigil.parse.HeldEvent.class);
        assertThat(held.getTypeAt("event")).isSameAs(EnvelopeTypeInfo.INSTANCE);
    }

    /** A type with a field Flink cannot analyse: the check must see it. */
    public static class WithAList {
        public List<String> names;
    }

    @Test
    void aFieldThatFallsBackToKryoIsFound() {
        assertThat(kryoLeaves(TypeInformation.of(WithAList.class), "WithAList")).containsExactly("WithAList.names: java.util.List");
    }

    @Test
    void noStreamOfTheLiveJobIsSerializedByKryo() throws Exception {
        Map<String, Properties> groups = new TreeMap<>();
        put(groups, "vigil", "parallelism", "2", "output.dir", dir.resolve("out").toString(), "control.path",
                Files.createDirectories(dir.resolve("control")).toString());
        for (String arg : new IncidentScenario(Files.createDirectories(dir.resolve("in")), true, 1).write()) {
            String name = arg.substring(0, arg.indexOf('='));
            String format = arg.substring(arg.indexOf('=') + 1, arg.indexOf(':'));
            put(groups, "input." + name, "type", "file", "format", format, "path", arg.substring(arg.indexOf(':') + 1));
        }
        put(groups, "iceberg", "warehouse", catalog.warehouse().toString());
        put(groups, "alerts.file", "type", "file");
        put(groups, "alerts.oncall", "type", "slack", "webhook", "literal:http://127.0.0.1:9/hook");
        VigilConfig config = VigilConfig.from(groups);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.configure(env, config);
        VigilJob.live(env, config);

        Set<String> kryo = new TreeSet<>();
        int streams = 0;
        int explicit = 0;
        for (Transformation<?> t : all(env.getTransformations())) {
            TypeInformation<?> out = t.getOutputType();
            if (icebergInternal(out)) {
                continue;
            }
            streams++;
            kryo.addAll(kryoLeaves(out, t.getName()));
            if (out.getTypeClass() == Envelope.class || out.getTypeClass() == RuleInput.class
                    || out.getTypeClass() == EntityInputs.class) {
                assertThat(out).as(t.getName()).isIn(EnvelopeTypeInfo.INSTANCE, RuleInputTypeInfo.INSTANCE,
                        EntityInputsTypeInfo.INSTANCE);
                explicit++;
            }
        }
        assertThat(streams).as("streams inspected").isGreaterThan(30);
        assertThat(explicit).as("Envelope, RuleInput and EntityInputs streams").isGreaterThan(5);
        assertThat(kryo).as("streams or fields serialized by Kryo").isEmpty();
    }

    /** Every transformation the sinks reach, each once. */
    private static List<Transformation<?>> all(List<Transformation<?>> roots) {
        Map<Transformation<?>, Boolean> seen = new IdentityHashMap<>();
        List<Transformation<?>> todo = new ArrayList<>(roots);
        List<Transformation<?>> out = new ArrayList<>();
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.remove(todo.size() - 1);
            if (seen.put(t, Boolean.TRUE) == null) {
                out.add(t);
                todo.addAll(t.getInputs());
            }
        }
        return out;
    }

    /** The Iceberg sink's writer results and committables: Kryo by the connector's design. */
    private static boolean icebergInternal(TypeInformation<?> info) {
        String name = info.toString();
        return name.contains("org.apache.iceberg") || name.contains("CommittableMessage");
    }

    private static List<String> kryoLeaves(TypeInformation<?> info, String path) {
        List<String> out = new ArrayList<>();
        collect(info, path, out, 0);
        return out;
    }

    private static void collect(TypeInformation<?> info, String path, List<String> out, int depth) {
        if (depth > 12) {
            return;
        }
        if (info instanceof GenericTypeInfo) {
            out.add(path + ": " + info.getTypeClass().getName());
            return;
        }
        if (info instanceof CompositeType) {
            CompositeType<?> c = (CompositeType<?>) info;
            for (int i = 0; i < c.getArity(); i++) {
                collect(c.getTypeAt(i), path + "." + c.getFieldNames()[i], out, depth + 1);
            }
        }
        if (info instanceof ObjectArrayTypeInfo) {
            collect(((ObjectArrayTypeInfo<?, ?>) info).getComponentInfo(), path + "[]", out, depth + 1);
        }
    }

    private static void put(Map<String, Properties> groups, String group, String... keyValue) {
        Properties p = groups.computeIfAbsent(group, g -> new Properties());
        for (int i = 0; i < keyValue.length; i += 2) {
            p.setProperty(keyValue[i], keyValue[i + 1]);
        }
    }
}
