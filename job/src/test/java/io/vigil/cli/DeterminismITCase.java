package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.EventTimePolicy;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RulesFile;
import io.vigil.source.InputSpec;
import io.vigil.testing.IncidentScenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same input gives the same alerts.jsonl, byte for byte, at parallelism 1, 2 and 4: also when
 * one metric series is spread over parallel readers (a stream partitioned without regard to the
 * series), whose records reach the rules interleaved differently on every run.
 */
class DeterminismITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);

    @TempDir Path dir;

    private List<String> scenario() {
        try {
            return new IncidentScenario(Files.createDirectories(dir.resolve("in")), true, 6).write();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private byte[] replay(List<InputSpec> specs, int parallelism, String out) throws Exception {
        RuleSet rules = RulesFile.load(Paths.get("../conf/rules.yaml"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        Path outDir = dir.resolve(out);
        ReplayCommand.build(env, specs, outDir, rules);
        env.execute("determinism-it");
        long late = new ObjectMapper().readTree(outDir.resolve("summary.json").toFile()).at("/total/late").asLong();
        assertThat(late).as("no record late: every reader reads its records in time order").isZero();
        return Files.readAllBytes(outDir.resolve("alerts.jsonl"));
    }

    private static List<InputSpec> files(List<String> args, boolean kpiPartitioned) throws Exception {
        List<InputSpec> specs = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = arg.substring(0, eq);
            if (kpiPartitioned && name.equals("kpi")) {
                List<String> lines = Files.readAllLines(Paths.get(arg.substring(arg.indexOf(':') + 1)));
                specs.add(Partitioned.input(name, InputFormat.METRICS, lines));
            } else {
                specs.add(ReplayCommand.spec(name, arg.substring(eq + 1), OUT_OF_ORDERNESS));
            }
        }
        return specs;
    }

    @Test
    void theIncidentReplayWritesTheSameAlertsAtParallelismOneTwoAndFour() throws Exception {
        List<InputSpec> specs = files(scenario(), false);
        byte[] one = replay(specs, 1, "p1");
        assertThat(new String(one, StandardCharsets.UTF_8).split("\n")).hasSameSizeAs(IncidentScenario.EXPECTED);
        assertThat(replay(specs, 2, "p2")).isEqualTo(one);
        assertThat(replay(specs, 4, "p4")).isEqualTo(one);
    }

    @Test
    void aSeriesSpreadOverParallelReadersGivesTheSameAlertsAsOneReader() throws Exception {
        List<String> args = scenario();
        byte[] inOrder = replay(files(args, false), 2, "files");
        for (int p : new int[] {2, 4, 1, 4, 2}) {
            assertThat(new String(replay(files(args, true), p, "partitioned-" + p + "-" + System.nanoTime()),
                    StandardCharsets.UTF_8)).as("parallelism " + p).isEqualTo(new String(inOrder, StandardCharsets.UTF_8));
        }
    }

    /**
     * An input of time-ordered lines dealt round-robin to as many partitions as readers, each
     * reader reading its own partition in order: a line's neighbours in time are on other readers.
     */
    static final class Partitioned implements GeneratorFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;
        private final String source;
        private final InputFormat format;
        private final String[] lines;
        private int readers;

        private Partitioned(String source, InputFormat format, String[] lines) {
            this.source = source;
            this.format = format;
            this.lines = lines;
        }

        static InputSpec input(String name, InputFormat format, List<String> lines) {
            // a count every reader count here divides: the sequence then splits into equal ranges
            int n = lines.size() - lines.size() % 12;
            Partitioned f = new Partitioned(name, format, lines.subList(0, n).toArray(new String[0]));
            DataGeneratorSource<RawRecord> source = new DataGeneratorSource<>(f, n, RateLimiterStrategy.noOp(),
                    TypeInformation.of(RawRecord.class));
            return new InputSpec(name, format, source, EventTimePolicy.replay(OUT_OF_ORDERNESS), 0);
        }

        @Override
        public void open(SourceReaderContext context) {
            readers = context.currentParallelism();
        }

        @Override
        public RawRecord map(Long index) {
            int range = lines.length / readers; // split k holds indexes [k * range, (k + 1) * range)
            int k = (int) (index / range);
            int j = (int) (index % range);
            int line = j * readers + k;
            return RawRecord.of(source, format, lines[line].getBytes(StandardCharsets.UTF_8),
                    RawRecord.NO_RECEIVE_TIME, source + ":" + (line + 1));
        }
    }
}
