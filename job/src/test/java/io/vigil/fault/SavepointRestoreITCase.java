package io.vigil.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.ReplayCommand;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.HadoopCatalogExtension;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.VigilTables;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RulesFile;
import io.vigil.rules.Silence;
import io.vigil.source.InputSpec;
import io.vigil.testing.IncidentScenario;
import io.vigil.testing.PacedInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointConfigOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay stopped with a savepoint mid-stream and started again from it gives the same curated
 * tables, alerts included, as the same replay run straight through: every operator's state (rule
 * evaluator, CEP patterns, windows and their partials, table writers and committers, sources)
 * restores from a savepoint of this code, and nothing is lost or written twice across it.
 */
class SavepointRestoreITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(PacedInputs.smallFetches(new Configuration())).build());

    @RegisterExtension
    final HadoopCatalogExtension restored = new HadoopCatalogExtension();

    @RegisterExtension
    final HadoopCatalogExtension straight = new HadoopCatalogExtension();

    @TempDir Path dir;

    private JobClient start(List<InputSpec> specs, HadoopCatalogExtension warehouse, String out, String savepoint)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) {
            conf.set(SavepointConfigOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                IcebergTables.forBoundedInputs(conf));
        env.setParallelism(2);
        env.enableCheckpointing(500);
        RuleSet rules = RulesFile.load(Paths.get("../conf/rules.yaml"));
        ReplayCommand.build(env, specs, dir.resolve(out), rules, new Silence[0], IcebergTables.in(warehouse.config()));
        return env.executeAsync("savepoint-restore-it");
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aReplayStoppedWithASavepointAndRestoredWritesWhatOneRunWrites() throws Exception {
        List<String> args = new IncidentScenario(Files.createDirectories(dir.resolve("in")), true, 6).write();

        List<InputSpec> plain = new ArrayList<>();
        for (String arg : args) {
            plain.add(ReplayCommand.spec(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1),
                    Duration.ofSeconds(30)));
        }
        start(plain, straight, "straight", null).getJobExecutionResult().get(120, TimeUnit.SECONDS);

        // the same files at a pace, so the stop comes mid-stream after rows were committed, while
        // every input still reads (a bounded run takes no checkpoint, so no savepoint, once one ended)
        PacedInputs.Pace pace = PacedInputs.pace(Duration.ofMillis(50));
        List<InputSpec> paced = new ArrayList<>();
        for (String arg : args) {
            paced.add(PacedInputs.file(arg, pace));
        }
        JobClient first = start(paced, restored, "first", null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (restored.rows(VigilTables.AUTH_EVENTS).isEmpty()) {
            assertThat(System.nanoTime()).as("rows committed before the stop").isLessThan(deadline);
            Thread.sleep(100);
        }
        String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
        int atStop = restored.rows(VigilTables.AUTH_EVENTS).size();
        pace.stop();
        start(paced, restored, "second", savepoint).getJobExecutionResult().get(120, TimeUnit.SECONDS);

        Map<CuratedTable, Function<Record, String>> keys = new LinkedHashMap<>();
        keys.put(VigilTables.AUTH_EVENTS, r -> TaskManagerLossITCase.at(r, "event_time") + " " + r.getField("source_user")
                + " " + r.getField("source_computer") + " " + r.getField("destination_computer") + " " + r.getField("success"));
        keys.put(VigilTables.COMMERCE_EVENTS, r -> TaskManagerLossITCase.at(r, "event_time") + " " + r.getField("event_type")
                + " " + r.getField("product_id") + " " + r.getField("user_session"));
        keys.put(VigilTables.METRIC_SAMPLES, r -> TaskManagerLossITCase.at(r, "event_time") + " " + r.getField("name")
                + " " + r.getField("value"));
        keys.put(VigilTables.PIPELINE_RUNS, r -> r.getField("job_name") + " " + r.getField("run_id") + " "
                + r.getField("status"));
        keys.put(VigilTables.DEAD_LETTER, r -> r.getField("source") + " " + r.getField("origin"));
        keys.put(VigilTables.AUTH_USER_FEATURES, r -> TaskManagerLossITCase.at(r, "window_start") + " "
                + r.getField("source_user") + " " + r.getField("auth_events") + " " + r.getField("failures") + " "
                + r.getField("distinct_destination_computers"));
        keys.put(VigilTables.COMMERCE_METRICS, r -> TaskManagerLossITCase.at(r, "window_start") + " " + r.getField("source")
                + " " + r.getField("valid_events") + " " + r.getField("invalid_events"));
        keys.put(VigilTables.ALERTS, TaskManagerLossITCase::shown);
        for (Map.Entry<CuratedTable, Function<Record, String>> t : keys.entrySet()) {
            List<String> want = rows(straight, t.getKey(), t.getValue());
            assertThat(want).as("rows of %s in the straight run", t.getKey().name()).isNotEmpty();
            assertThat(rows(restored, t.getKey(), t.getValue())).as("rows of %s across the savepoint", t.getKey().name())
                    .isEqualTo(want);
        }
        assertThat(atStop).as("auth rows committed at the stop: mid-stream")
                .isLessThan(straight.rows(VigilTables.AUTH_EVENTS).size());
        assertThat(rows(restored, VigilTables.ALERTS, TaskManagerLossITCase::shown))
                .containsExactlyInAnyOrderElementsOf(IncidentScenario.EXPECTED);
    }

    private static List<String> rows(HadoopCatalogExtension w, CuratedTable t, Function<Record, String> key) {
        List<String> out = new ArrayList<>();
        for (Record r : w.rows(t)) {
            out.add(key.apply(r));
        }
        Collections.sort(out);
        return out;
    }
}
