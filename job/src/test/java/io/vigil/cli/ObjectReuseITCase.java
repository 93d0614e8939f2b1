package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.VigilTopology;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.HadoopCatalogExtension;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.VigilTables;
import io.vigil.model.AlertEvent;
import io.vigil.rules.RulesFile;
import io.vigil.rules.Silence;
import io.vigil.source.InputSpec;
import io.vigil.testing.IncidentScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Object reuse is on for every job the topology builds, so no operator may change a record it
 * received: the same replay with reuse on and off writes the same files and table rows, and the
 * alerts the notification policy hands its chained sinks are unchanged when the job ends.
 */
class ObjectReuseITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    @TempDir Path dir;

    private static final AtomicInteger CHANGED = new AtomicInteger();
    private static final AtomicInteger CHECKED = new AtomicInteger();

    private Map<CuratedTable, Integer> replay(List<InputSpec> specs, Path out, boolean reuse) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        VigilTopology.Streams s = ReplayCommand.build(env, specs, out, RulesFile.load(Paths.get("../conf/rules.yaml")),
                new Silence[0], IcebergTables.in(warehouse.config()));
        assertThat(env.getConfig().isObjectReuseEnabled()).as("the topology turns reuse on").isTrue();
        if (!reuse) {
            env.getConfig().disableObjectReuse();
        }
        // parallelism 1: chained to the notification policy, it gets the very instances the other sinks get
        s.alerts.sinkTo(new UnchangedSink()).name("unchanged alerts").setParallelism(1);
        env.execute("object-reuse-it");
        Map<CuratedTable, Integer> rows = new LinkedHashMap<>();
        for (CuratedTable t : VigilTables.all()) {
            rows.put(t, warehouse.rows(t).size());
        }
        return rows;
    }

    @Test
    void reuseOnAndOffGiveTheSameOutputsAndNoAlertIsChangedDownstream() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        List<InputSpec> specs = new ArrayList<>();
        for (String arg : new IncidentScenario(in, true, 6).write()) {
            int eq = arg.indexOf('=');
            specs.add(ReplayCommand.spec(arg.substring(0, eq), arg.substring(eq + 1), Duration.ofSeconds(30)));
        }
        Map<CuratedTable, Integer> on = replay(specs, dir.resolve("on"), true);
        assertThat(CHECKED.get()).isEqualTo(IncidentScenario.EXPECTED.size());
        assertThat(CHANGED.get()).as("alerts changed after they were emitted").isZero();
        Map<CuratedTable, Integer> both = replay(specs, dir.resolve("off"), false);

        for (String f : List.of("alerts.jsonl", "summary.json", "dead-letter.jsonl")) {
            assertThat(Files.readAllBytes(dir.resolve("on").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("off").resolve(f)));
        }
        assertThat(Files.readAllLines(dir.resolve("on").resolve("alerts.jsonl"))).hasSameSizeAs(IncidentScenario.EXPECTED);
        for (Map.Entry<CuratedTable, Integer> e : on.entrySet()) {
            // the second run appends to the same warehouse: each table then holds its rows twice
            assertThat(both.get(e.getKey())).as(e.getKey().name()).isEqualTo(2 * e.getValue());
        }
        assertThat(on.get(VigilTables.AUTH_EVENTS)).isPositive();
        assertThat(on.get(VigilTables.ALERTS)).isEqualTo(IncidentScenario.EXPECTED.size());
    }

    /** Keeps each alert and its serialized form; at the end of input, every alert must still serialize the same. */
    private static final class UnchangedSink implements Sink<AlertEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<AlertEvent> createWriter(InitContext context) {
            TypeSerializer<AlertEvent> serializer =
                    TypeInformation.of(AlertEvent.class).createSerializer(new SerializerConfigImpl());
            List<AlertEvent> kept = new ArrayList<>();
            List<byte[]> bytes = new ArrayList<>();
            return new SinkWriter<AlertEvent>() {
                @Override
                public void write(AlertEvent a, Context context) throws java.io.IOException {
                    kept.add(a);
                    bytes.add(serialized(a));
                }

                @Override
                public void flush(boolean endOfInput) throws java.io.IOException {
                    if (!endOfInput) {
                        return;
                    }
                    for (int i = 0; i < kept.size(); i++) {
                        CHECKED.incrementAndGet();
                        if (!Arrays.equals(bytes.get(i), serialized(kept.get(i)))) {
                            CHANGED.incrementAndGet();
                        }
                    }
                    kept.clear();
                    bytes.clear();
                }

                private byte[] serialized(AlertEvent a) throws java.io.IOException {
                    DataOutputSerializer out = new DataOutputSerializer(256);
                    serializer.serialize(a, out);
                    return out.getCopyOfBuffer();
                }

                @Override
                public void close() {}
            };
        }
    }
}
