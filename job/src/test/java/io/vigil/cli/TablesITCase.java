package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.HadoopCatalogExtension;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.VigilTables;
import io.vigil.model.InputFormat;
import io.vigil.rules.RulesFile;
import io.vigil.rules.Silence;
import io.vigil.source.InputSpec;
import io.vigil.testing.IncidentScenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay path end to end into the curated tables: six hours of scripted incidents (every
 * family, broken records among them) replayed with the default rules, checkpointing, into a hadoop
 * catalog; every table read back and compared with the replay's own counts and outputs.
 */
class TablesITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void replayWritesEveryTableWithExactlyTheValidAndInvalidInput() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        List<InputSpec> specs = new ArrayList<>();
        Map<String, InputFormat> formats = new TreeMap<>();
        for (String arg : new IncidentScenario(in, true, 6).write()) {
            int eq = arg.indexOf('=');
            InputSpec spec = ReplayCommand.spec(arg.substring(0, eq), arg.substring(eq + 1), Duration.ofSeconds(30));
            specs.add(spec);
            formats.put(spec.name(), spec.format());
        }
        Path out = replay(specs, "out");

        JsonNode sources = json.readTree(out.resolve("summary.json").toFile()).get("sources");
        Map<String, Long> validByFamily = new TreeMap<>();
        long invalid = 0;
        for (Map.Entry<String, InputFormat> f : formats.entrySet()) {
            JsonNode s = sources.get(f.getKey());
            validByFamily.merge(f.getValue().family().name(), s.get("valid").asLong(), Long::sum);
            invalid += s.get("invalid").asLong();
        }
        assertThat(validByFamily.values()).allMatch(n -> n > 0);
        assertThat(invalid).as("the scenario has broken records").isPositive();

        // one row per valid event of each record-by-record family
        assertThat((long) warehouse.rows(VigilTables.AUTH_EVENTS).size()).isEqualTo(validByFamily.get("AUTH"));
        assertThat((long) warehouse.rows(VigilTables.COMMERCE_EVENTS).size()).isEqualTo(validByFamily.get("COMMERCE"));
        assertThat((long) warehouse.rows(VigilTables.METRIC_SAMPLES).size()).isEqualTo(validByFamily.get("METRIC"));

        // lineage: one row per finished run of the valid events, one update per output of a COMPLETE
        long finished = 0;
        long outputs = 0;
        for (String line : Files.readAllLines(in.resolve("lineage.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode e = json.readTree(line);
            String type = e.get("eventType").asText();
            if (type.equals("COMPLETE") || type.equals("FAIL") || type.equals("ABORT")) {
                finished++;
            }
            if (type.equals("COMPLETE") && e.has("outputs")) {
                outputs += e.get("outputs").size();
            }
        }
        assertThat(sources.get("lineage").get("invalid").asLong()).isZero();
        assertThat((long) warehouse.rows(VigilTables.PIPELINE_RUNS).size()).isEqualTo(finished);
        assertThat((long) warehouse.rows(VigilTables.DATASET_UPDATES).size()).isEqualTo(outputs);

        // dead_letter: exactly the records the replay refused, with source, reason and payload
        List<String> expectedDead = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("dead-letter.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode d = json.readTree(line);
            expectedDead.add(d.get("source").asText() + "|" + d.get("reason").asText() + "|" + d.get("payload").asText());
        }
        assertThat(expectedDead).hasSize((int) invalid);
        assertThat(warehouse.rows(VigilTables.DEAD_LETTER))
                .extracting(r -> r.getField("source") + "|" + r.getField("reason") + "|" + r.getField("payload"))
                .containsExactlyInAnyOrderElementsOf(expectedDead);

        // alerts: every delivered state change, as in alerts.jsonl
        List<String> expectedAlerts = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("alerts.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode a = json.readTree(line);
            expectedAlerts.add(a.get("alert_id").asText() + " " + a.get("state").asText() + " "
                    + a.get("severity").asText() + " " + a.get("event_time").asText());
        }
        assertThat(expectedAlerts).hasSize(IncidentScenario.EXPECTED.size());
        assertThat(warehouse.rows(VigilTables.ALERTS))
                .extracting(r -> r.getField("alert_id") + " " + r.getField("state") + " " + r.getField("severity") + " "
                        + ((LocalDateTime) r.getField("event_time")).toInstant(ZoneOffset.UTC))
                .containsExactlyInAnyOrderElementsOf(expectedAlerts);

        // the windowed tables: the failed logons of U777 and the minutes of the commerce burst
        List<Record> features = warehouse.rows(VigilTables.AUTH_USER_FEATURES);
        assertThat(features).filteredOn(r -> "U777".equals(r.getField("source_user")))
                .extracting(r -> r.getField("failures")).containsExactly(6L);
        List<Record> minutes = warehouse.rows(VigilTables.COMMERCE_METRICS);
        assertThat(minutes).filteredOn(r -> ((Long) r.getField("invalid_events")) > 0)
                .extracting(r -> r.getField("invalid_events")).containsOnly(20L);
        assertThat(warehouse.rows(VigilTables.DQ_RESULTS)).filteredOn(r -> Boolean.FALSE.equals(r.getField("passed")))
                .isNotEmpty();

        // commits came from checkpoints of this job, and every table got rows
        Map<String, Integer> rows = new TreeMap<>();
        List<CuratedTable> written = new ArrayList<>(VigilTables.all());
        written.remove(VigilTables.ALERT_DELIVERIES); // replay notifies no one
        written.remove(VigilTables.ALERT_DIGESTS);
        assertThat(warehouse.rows(VigilTables.ALERT_DELIVERIES)).isEmpty();
        assertThat(warehouse.rows(VigilTables.ALERT_DIGESTS)).isEmpty();
        for (CuratedTable t : written) {
            List<Record> read = warehouse.rows(t);
            assertThat(read).as(t.name()).isNotEmpty();
            rows.put(t.name(), read.size());
            assertThat(warehouse.table(t).currentSnapshot().summary()).as(t.name()).containsKey("flink.job-id");
        }

        // the same replay again appends as many rows again, in new files: then vigil maintain
        // leaves one file per partition and one snapshot, and not a row lost
        replay(specs, "again");
        for (CuratedTable t : written) {
            assertThat(warehouse.rows(t)).as(t.name()).hasSize(2 * rows.get(t.name()));
            assertThat(Long.parseLong(warehouse.table(t).currentSnapshot().summary().get("total-data-files")))
                    .as(t.name()).isGreaterThan(1);
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = VigilCli.run(new String[] {"maintain",
                "--warehouse", warehouse.warehouse().toString(), "--expire-older-than", "0s", "--retain-last", "1"},
                new PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
        assertThat(exit).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        for (CuratedTable t : written) {
            Table table = warehouse.table(t);
            List<Record> read = warehouse.rows(t);
            assertThat(read).as(t.name()).hasSize(2 * rows.get(t.name()));
            assertThat(table.snapshots()).as(t.name()).hasSize(1);
            long partitions = read.stream().map(r -> partitionOf(t, r)).distinct().count();
            assertThat(Long.parseLong(table.currentSnapshot().summary().get("total-data-files")))
                    .as(t.name() + " data files").isEqualTo(partitions);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("compacted");
    }

    private Path replay(List<InputSpec> specs, String name) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IcebergTables.forBoundedInputs(conf));
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        Path out = dir.resolve(name);
        ReplayCommand.build(env, specs, out, RulesFile.load(Paths.get("../conf/rules.yaml")), new Silence[0],
                IcebergTables.in(warehouse.config()));
        env.execute("tables-it-" + name);
        return out;
    }

    /** The day a row is partitioned by. */
    private static Object partitionOf(CuratedTable t, Record r) {
        Object v = r.getField(t.partitionColumn());
        return v instanceof LocalDateTime ? ((LocalDateTime) v).toLocalDate() : v;
    }
}
