package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.rules.RulesFile;
import io.vigil.source.InputSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The baseline rules of the packs replayed over weeks of generated history of their system, as
 * {@link PacksReplayITCase} replays the packs: each pack alone, its whole rule set judging. The
 * healthy history raises nothing at all; the same history with an incident raises the baseline
 * rule's alert at the time and severity it must, with the pack's route, and nothing else (an
 * incident before min_history included, where the scenario has one).
 */
class BaselinePacksReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z"); // a Monday
    private static final long S = 1000;
    private static final long MIN = 60 * S;
    private static final long H = 60 * MIN;
    private static final long DAY = 24 * H;

    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();

    /** Writes a scenario's inputs under {@code dir}, with or without its incident; the replay --input values. */
    interface Scenario {
        List<String> write(Path dir, boolean incident) throws Exception;
    }

    static Stream<Arguments> packs() {
        return Stream.of(
                // hourly runs of about 5 minutes; day 6, 14:00: 11 minutes (2.2x, under the 12-minute budget)
                Arguments.of("abaco-loans", (Scenario) BaselinePacksReplayITCase::abaco, List.of(
                        "day 6 14:11:00 abaco_latency_vs_normal firing critical job abaco-loans/loan_tape route=devops-alerts",
                        // the next run, normal again
                        String.format("day 6 15:%02d:%02d", abacoSeconds(6 * 24 + 15) / 60, abacoSeconds(6 * 24 + 15) % 60)
                                + " abaco_latency_vs_normal resolved critical job abaco-loans/loan_tape route=devops-alerts")),
                // hourly silver writes of about 10,000 rows; day 5, 09:00: 3,000 rows. Day 1: 2,000 rows,
                // before min_history (3d): nothing
                Arguments.of("potato-pipeline", (Scenario) BaselinePacksReplayITCase::potato, List.of(
                        "day 5 09:03:00 potato_rows_written_drop firing warning dataset s3://cdp-prod-potato-data-lake-xyz/silver/nutrition route=potato-oncall",
                        // the potato pack's escalation policy: L2 after 30 minutes, same alert
                        "day 5 09:33:00 potato_rows_written_drop firing warning dataset s3://cdp-prod-potato-data-lake-xyz/silver/nutrition route=potato-oncall",
                        "day 5 10:03:00 potato_rows_written_drop resolved warning dataset s3://cdp-prod-potato-data-lake-xyz/silver/nutrition route=potato-oncall")),
                // vCPUs every 10 minutes, a daily and weekly shape; day 16 (Wednesday of week 3),
                // 10:00-10:50: 14 where 8 is normal. Day 3: 20, before min_history (2w): nothing
                Arguments.of("ecommerce-streaming", (Scenario) BaselinePacksReplayITCase::ecommerce, List.of(
                        "day 16 10:00:00 ecommerce_cost_spike firing warning metric dataflow_current_vcpus{job=ecommerce-streaming} route=ecommerce-oncall",
                        "day 16 11:00:00 ecommerce_cost_spike resolved warning metric dataflow_current_vcpus{job=ecommerce-streaming} route=ecommerce-oncall")),
                // a cluster starts every 3 hours in about 4 minutes; day 3, 06:00 +45 s, 09:00 +80 s
                Arguments.of("stock-release", (Scenario) BaselinePacksReplayITCase::stock, List.of(
                        "day 3 06:04:45 stock_cluster_startup_slower firing warning job databricks/cluster/0110-etl route=stock-release",
                        "day 3 09:05:20 stock_cluster_startup_slower firing critical job databricks/cluster/0110-etl route=stock-release",
                        String.format("day 3 12:%02d:%02d", stockSeconds(3 * 8 + 4) / 60, stockSeconds(3 * 8 + 4) % 60)
                                + " stock_cluster_startup_slower resolved critical job databricks/cluster/0110-etl route=stock-release")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packs")
    void healthyWeeksRaiseNothingAndTheIncidentItsAlert(String pack, Scenario scenario, List<String> expected)
            throws Exception {
        assertThat(replay(pack, scenario, false, "healthy")).as("a healthy history").isEmpty();
        assertThat(replay(pack, scenario, true, "incident")).containsExactlyElementsOf(expected);
    }

    private List<String> replay(String pack, Scenario scenario, boolean incident, String name) throws Exception {
        Path in = Files.createDirectories(dir.resolve(name));
        List<InputSpec> specs = new ArrayList<>();
        for (String s : scenario.write(in, incident)) {
            int eq = s.indexOf('=');
            specs.add(ReplayCommand.spec(s.substring(0, eq), s.substring(eq + 1), Duration.ofSeconds(30)));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes();
        Path out = in.resolve("out");
        ReplayCommand.build(env, specs, out, RulesFile.load(PacksTest.PACKS.resolve(pack + ".yaml")));
        env.execute("baseline-packs-replay-" + pack + "-" + name);

        JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
        summary.get("sources").fields().forEachRemaining(s -> {
            assertThat(s.getValue().get("valid").asLong()).as(s.getKey()).isPositive();
            assertThat(s.getValue().get("invalid").asLong()).as(s.getKey()).isZero();
        });
        List<String> alerts = new ArrayList<>();
        Path file = out.resolve("alerts.jsonl");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                alerts.add(shown(json.readTree(line)));
            }
        }
        alerts.sort(null);
        alerts.forEach(a -> System.out.println("ALERT " + pack + " " + name + " " + a));
        return alerts;
    }

    /** An alert line: day and time after T0, rule, state, severity, entity, route. */
    private static String shown(JsonNode a) {
        long s = (Instant.parse(a.get("event_time").asText()).toEpochMilli() - T0.toEpochMilli()) / 1000;
        return String.format("day %d %02d:%02d:%02d ", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60) + a.get("rule_id").asText()
                + " " + a.get("state").asText() + " " + a.get("severity").asText() + " " + a.get("entity").asText()
                + " route=" + a.path("labels").path("route").asText();
    }

    private static String iso(long ms) {
        return Instant.ofEpochMilli(T0.toEpochMilli() + ms).toString();
    }

    private static String key(long t) {
        return String.format("%013d", t);
    }

    private static void run(List<String[]> lines, String ns, String job, String id, long start, long end, String outputs) {
        lines.add(new String[] {key(start), event("START", ns, job, id, start, "")});
        lines.add(new String[] {key(end), event("COMPLETE", ns, job, id, end, outputs)});
    }

    private static String event(String type, String ns, String job, String id, long t, String outputs) {
        return "{\"eventType\":\"" + type + "\",\"eventTime\":\"" + iso(t) + "\",\"run\":{\"runId\":\"" + id
                + "\"},\"job\":{\"namespace\":\"" + ns + "\",\"name\":\"" + job + "\"}"
                + (outputs.isEmpty() ? "" : ",\"outputs\":" + outputs) + "}";
    }

    private static Path write(Path dir, String name, List<String[]> lines) throws Exception {
        lines.sort(java.util.Comparator.comparing((String[] l) -> l[0]));
        List<String> text = new ArrayList<>();
        lines.forEach(l -> text.add(l[1]));
        return Files.write(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** Run k's normal duration: 290, 300 or 310 s. */
    private static long abacoSeconds(int k) {
        return 290 + (k % 3) * 10;
    }

    /** The loan-tape job every hour for 8 days; with the incident, day 6 14:00 runs 11 minutes. */
    static List<String> abaco(Path dir, boolean incident) throws Exception {
        List<String[]> runs = new ArrayList<>();
        String outputs = "[{\"namespace\":\"s3://abaco-loans-lake\",\"name\":\"kpi_snapshot\"}]";
        for (int k = 0; k < 8 * 24; k++) {
            long seconds = incident && k == 6 * 24 + 14 ? 660 : abacoSeconds(k);
            run(runs, "abaco-loans", "loan_tape", "run-" + k, k * H, k * H + seconds * S, outputs);
        }
        return List.of("lineage=openlineage:" + write(dir, "lineage.jsonl", runs));
    }

    /** Hourly bronze ingests and silver transforms for 8 days; the silver writes' row counts. */
    static List<String> potato(Path dir, boolean incident) throws Exception {
        List<String[]> runs = new ArrayList<>();
        String ns = "s3://cdp-prod-potato-data-lake-xyz";
        for (int k = 0; k < 8 * 24; k++) {
            long s = k * H;
            long rows = 9_800 + (k % 5) * 100;
            if (incident && (k == 5 * 24 + 9 || k == 24 + 9)) {
                rows = k == 24 + 9 ? 2_000 : 3_000;
            }
            run(runs, "potato-pipeline", "bronze_ingest", "b-" + k, s, s + 2 * MIN,
                    "[{\"namespace\":\"" + ns + "\",\"name\":\"bronze/nutrition\"}]");
            run(runs, "potato-pipeline", "silver_transform", "s-" + k, s, s + 3 * MIN,
                    "[{\"namespace\":\"" + ns + "\",\"name\":\"silver/nutrition\",\"outputFacets\":{\"outputStatistics\":{"
                            + "\"_producer\":\"https://github.com/OpenLineage/OpenLineage/tree/1.18.0/integration/spark\","
                            + "\"_schemaURL\":\"https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json\","
                            + "\"rowCount\":" + rows + "}}}]");
        }
        return List.of("lineage=openlineage:" + write(dir, "lineage.jsonl", runs));
    }

    /** Dataflow vCPUs every 10 minutes for 17 days: 4 at night, 8 by day, 3 at weekends. */
    static List<String> ecommerce(Path dir, boolean incident) throws Exception {
        List<String[]> samples = new ArrayList<>();
        for (long t = 0; t < 17 * DAY; t += 10 * MIN) {
            long day = t / DAY;
            long hour = t / H % 24;
            double v = day % 7 >= 5 ? 3 : hour < 8 ? 4 : 8;
            if (incident && day == 16 && hour == 10) {
                v = 14;
            } else if (incident && day == 3 && hour == 12) {
                v = 20;
            }
            samples.add(new String[] {key(t), "{\"name\":\"dataflow_current_vcpus\",\"value\":" + v + ",\"time\":\"" + iso(t)
                    + "\",\"labels\":{\"job\":\"ecommerce-streaming\"}}"});
        }
        return List.of("gcp=metrics:" + write(dir, "vcpus.jsonl", samples));
    }

    /** Start-up k's normal seconds: 240, 245 or 250. */
    private static long stockSeconds(int k) {
        return 240 + (k % 3) * 5;
    }

    /** A cluster started every 3 hours for 4 days (Databricks STARTING, then RUNNING). */
    static List<String> stock(Path dir, boolean incident) throws Exception {
        List<String[]> events = new ArrayList<>();
        for (int k = 0; k < 4 * 8; k++) {
            long t = k * 3 * H;
            long seconds = incident && k == 3 * 8 + 2 ? 285 : incident && k == 3 * 8 + 3 ? 320 : stockSeconds(k);
            events.add(new String[] {key(t), cluster("0110-etl", t, "STARTING")});
            events.add(new String[] {key(t + seconds * S), cluster("0110-etl", t + seconds * S, "RUNNING")});
        }
        return List.of("clusters=databricks-cluster-events:" + write(dir, "clusters.jsonl", events));
    }

    private static String cluster(String id, long t, String type) {
        return "{\"cluster_id\":\"" + id + "\",\"timestamp\":" + (T0.toEpochMilli() + t) + ",\"type\":\"" + type + "\"}";
    }
}
