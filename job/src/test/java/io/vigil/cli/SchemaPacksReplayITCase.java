package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.rules.RulesFile;
import io.vigil.source.InputSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
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
 * The packs' schema_change, count and null-rate rules replayed over OpenLineage scenarios of their
 * systems (the whole pack judges, its other rules included), as {@link PacksReplayITCase} does for the rest: a healthy stretch (the same schema run
 * after run, nulls under the SLA, occasional failures) raises nothing; each incident raises its
 * alert at the time and severity the pack gives, with the runbook's route; nothing else appears.
 * Schema facets are shaped as the Airflow provider and openlineage-spark write them
 * (operators/src/test/resources/openlineage/real), with these systems' names and columns.
 */
class SchemaPacksReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long MIN = 60_000;
    private static final long H = 60 * MIN;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    /** A pack's scenario: its lineage events, each with its event time (ms after T0). */
    interface Scenario {
        List<Timed> events();
    }

    static final class Timed {
        final long t;
        final String json;

        Timed(long t, String json) {
            this.t = t;
            this.json = json;
        }
    }

    private static final String[] LOAN_TAPE = {
        "loan_id", "string", "customer_id", "string", "principal", "decimal(12,2)", "days_past_due", "int",
        "disbursed_on", "date"};
    private static final String[] AUTH = {
        "event_time", "timestamp", "user_id", "string", "computer_id", "string", "auth_type", "string", "outcome", "string"};
    private static final String[] COMMERCE = {
        "event_time", "TIMESTAMP", "event_type", "STRING", "product_id", "INT64", "price", "FLOAT64", "user_id", "INT64",
        "user_session", "STRING"};

    static Stream<Arguments> packs() {
        return Stream.of(
                Arguments.of("abaco-loans", (Scenario) SchemaPacksReplayITCase::abaco, List.of(
                        // the 03:00 run writes the tape with days_past_due as a string and a new column;
                        // told once, resolved a day after
                        "03:05:00 abaco_loan_tape_schema firing critical dataset s3://abaco-loans-lake/loan_tape route=compliance-team",
                        // the burst's first failure fires the P1; the job's next COMPLETE (11:05) settles it;
                        // 20:00's failure is an incident of its own, settled by 20:10's COMPLETE
                        "10:00:00 abaco_pipeline_failure firing critical job abaco-loans/kpi_compute route=devops-alerts",
                        "11:05:00 abaco_pipeline_failure resolved critical job abaco-loans/kpi_compute route=devops-alerts",
                        "20:00:00 abaco_pipeline_failure firing critical job abaco-loans/kpi_compute route=devops-alerts",
                        "20:10:00 abaco_pipeline_failure resolved critical job abaco-loans/kpi_compute route=devops-alerts",
                        "27:05:00 abaco_loan_tape_schema resolved critical dataset s3://abaco-loans-lake/loan_tape route=compliance-team",
                        // kpi_compute fails every 5 minutes from 10:00 to 10:55; judged every 10 minutes over
                        // 24 h: 6 failures at 10:30 (> 5), 12 at 11:00 (> 10), repeated every 4 h while firing
                        "10:30:00 abaco_error_count firing warning job namespace abaco-loans route=devops-alerts",
                        "11:00:00 abaco_error_count firing critical job namespace abaco-loans route=devops-alerts",
                        "15:00:00 abaco_error_count firing critical job namespace abaco-loans route=devops-alerts",
                        "19:00:00 abaco_error_count firing critical job namespace abaco-loans route=devops-alerts",
                        "23:00:00 abaco_error_count firing critical job namespace abaco-loans route=devops-alerts",
                        "27:00:00 abaco_error_count firing critical job namespace abaco-loans route=devops-alerts",
                        "31:00:00 abaco_error_count firing critical job namespace abaco-loans route=devops-alerts",
                        // a day later they leave the window, with the 20:00 failure still in it: 11 at 34:10,
                        // 9 at 34:20 (warning), 5 at 34:40 (not above 5)
                        "34:20:00 abaco_error_count firing warning job namespace abaco-loans route=devops-alerts",
                        "34:40:00 abaco_error_count resolved warning job namespace abaco-loans route=devops-alerts")),
                Arguments.of("authpulse", (Scenario) SchemaPacksReplayITCase::authpulse, List.of(
                        // the 02:00 check finds 25 null user ids in 10,000 rows (0.25 % > 0.1 %); 02:30's none
                        "02:05:00 authpulse_null_rate firing warning dataset s3://authpulse-dev-lakehouse-289591071327/curated/auth_events column user_id null rate route=authpulse-alerts",
                        "02:35:00 authpulse_null_rate resolved warning dataset s3://authpulse-dev-lakehouse-289591071327/curated/auth_events column user_id null rate route=authpulse-alerts",
                        // from 04:00 the upstream producer no longer sends computer_id (the Flink job's output)
                        "04:00:00 authpulse_schema_change firing warning dataset s3://authpulse-dev-lakehouse-289591071327/curated/auth_events route=authpulse-alerts",
                        "28:00:00 authpulse_schema_change resolved warning dataset s3://authpulse-dev-lakehouse-289591071327/curated/auth_events route=authpulse-alerts")),
                Arguments.of("ecommerce-streaming", (Scenario) SchemaPacksReplayITCase::ecommerce, List.of(
                        // 02:00: the topic gains a currency field (info); 03:00: user_session is gone (critical)
                        "02:00:00 ecommerce_schema_change firing info dataset pubsub/topic:shop-prod:ecommerce-events route=ecommerce-oncall L1",
                        "03:00:00 ecommerce_schema_change firing critical dataset pubsub/topic:shop-prod:ecommerce-events route=ecommerce-oncall L1",
                        // unresolved, it climbs the pack's escalation levels: L2 2 h, L3 4 h, L4 8 h after 02:00
                        "04:00:00 ecommerce_schema_change firing critical dataset pubsub/topic:shop-prod:ecommerce-events route=ecommerce-oncall L2",
                        "06:00:00 ecommerce_schema_change firing critical dataset pubsub/topic:shop-prod:ecommerce-events route=ecommerce-oncall L3",
                        "10:00:00 ecommerce_schema_change firing critical dataset pubsub/topic:shop-prod:ecommerce-events route=ecommerce-oncall L4",
                        "27:00:00 ecommerce_schema_change resolved critical dataset pubsub/topic:shop-prod:ecommerce-events route=ecommerce-oncall L4")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packs")
    void aHealthyStretchRaisesNothingAndEachIncidentItsAlert(String pack, Scenario scenario, List<String> expected)
            throws Exception {
        List<Timed> events = new ArrayList<>(scenario.events());
        events.sort(Comparator.comparingLong(e -> e.t));
        Path file = Files.write(dir.resolve("lineage.jsonl"),
                events.stream().map(e -> e.json).collect(Collectors.toList()), StandardCharsets.UTF_8);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes();
        Path out = dir.resolve("out");
        List<InputSpec> specs = List.of(ReplayCommand.spec("lineage", "openlineage:" + file, Duration.ofSeconds(30)));
        ReplayCommand.build(env, specs, out, RulesFile.load(PacksTest.PACKS.resolve(pack + ".yaml")));
        env.execute("schema-packs-replay-" + pack);

        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("sources").get("lineage").get("valid").asLong()).isEqualTo(events.size());
        List<String> alerts = new ArrayList<>();
        Path file2 = out.resolve("alerts.jsonl");
        if (Files.exists(file2)) {
            for (String line : Files.readAllLines(file2, StandardCharsets.UTF_8)) {
                alerts.add(shown(JSON.readTree(line)));
            }
        }
        alerts.sort(null);
        alerts.forEach(a -> System.out.println("ALERT " + pack + " " + a));
        assertThat(alerts).containsExactlyElementsOf(expected.stream().sorted().collect(Collectors.toList()));
    }

    /** An alert line: hours:minutes:seconds after T0, rule, state, severity, entity, route, escalation level. */
    private static String shown(JsonNode a) {
        long s = (Instant.parse(a.get("event_time").asText()).toEpochMilli() - PacksReplayITCase.T0.toEpochMilli()) / 1000;
        return String.format("%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) + " " + a.get("rule_id").asText() + " "
                + a.get("state").asText() + " " + a.get("severity").asText() + " " + a.get("entity").asText()
                + " route=" + a.path("labels").path("route").asText()
                + (a.has("escalation_level") ? " " + a.get("escalation_level").asText() : "");
    }

    // ---- the scenarios -----------------------------------------------------------------------

    /**
     * The loan tape written by an hourly run for 36 h; the 03:00 run's tape has days_past_due as a
     * string and a new segment column, kept since. kpi_compute fails every 5 minutes from 10:00 to
     * 10:55 (retried), and one failure at 20:00 is an ordinary day's.
     */
    static List<Timed> abaco() {
        List<Timed> out = new ArrayList<>();
        for (int k = 0; k <= 36; k++) {
            long s = k * H;
            String[] schema = k < 3 ? LOAN_TAPE : replace(append(LOAN_TAPE, "segment", "string"), "days_past_due", "string");
            ObjectNode tape = dataset("s3://abaco-loans-lake", "loan_tape", schema);
            out.add(run("START", "abaco-loans", "loan_tape", "tape-" + k, s, null, null));
            out.add(run("COMPLETE", "abaco-loans", "loan_tape", "tape-" + k, s + 5 * MIN, null, tape));
        }
        for (int k = 0; k < 12; k++) {
            long s = 10 * H + k * 5 * MIN;
            out.add(run("FAIL", "abaco-loans", "kpi_compute", "kpi-" + k, s, null, null));
        }
        out.add(run("COMPLETE", "abaco-loans", "kpi_compute", "kpi-ok", 11 * H + 5 * MIN, null, null));
        out.add(run("FAIL", "abaco-loans", "kpi_compute", "kpi-20", 20 * H, null, null));
        out.add(run("COMPLETE", "abaco-loans", "kpi_compute", "kpi-21", 20 * H + 10 * MIN, null, null));
        // another system's failures are not this pipeline's errors
        for (int k = 0; k < 12; k++) {
            out.add(run("FAIL", "other-team", "etl", "o-" + k, 12 * H + k * MIN, null, null));
        }
        return out;
    }

    /**
     * The Flink job writes the curated auth events every 30 minutes for 29 h (their schema facet
     * on its output); a DQ check reads them 5 minutes later with dataQualityMetrics on its input.
     * The 02:00 batch has 25 null user ids in 10,000 rows; from 04:00 computer_id is gone.
     */
    static List<Timed> authpulse() {
        List<Timed> out = new ArrayList<>();
        for (int k = 0; k * 30 * MIN <= 29 * H; k++) {
            long s = k * 30 * MIN;
            String[] schema = s < 4 * H ? AUTH : remove(AUTH, "computer_id");
            ObjectNode curated = dataset("s3://authpulse-dev-lakehouse-289591071327", "curated/auth_events", schema);
            out.add(run("COMPLETE", "authpulse", "flink_curate", "f-" + k, s, null, curated));
            ObjectNode checked = dataset("s3://authpulse-dev-lakehouse-289591071327", "curated/auth_events", schema);
            ObjectNode columns = ((ObjectNode) checked.with("inputFacets").with("dataQualityMetrics").put("rowCount", 10_000))
                    .putObject("columnMetrics");
            columns.putObject("user_id").put("nullCount", s == 2 * H ? 25 : 3); // 0.03 % is within the SLA
            columns.putObject("auth_type").put("nullCount", 0);
            out.add(run("COMPLETE", "authpulse", "dq_checks", "q-" + k, s + 5 * MIN, checked, null));
        }
        return out;
    }

    /** Dataflow's streaming job reports its lineage every 30 minutes for 28 h: the topic it reads, the table it writes. */
    static List<Timed> ecommerce() {
        List<Timed> out = new ArrayList<>();
        for (int k = 0; k * 30 * MIN <= 28 * H; k++) {
            long s = k * 30 * MIN;
            String[] topic = s < 2 * H ? COMMERCE : s < 3 * H ? append(COMMERCE, "currency", "STRING")
                    : remove(append(COMMERCE, "currency", "STRING"), "user_session");
            out.add(run("RUNNING", "dataflow", "ecommerce-streaming", "df-1", s,
                    dataset("pubsub", "topic:shop-prod:ecommerce-events", topic),
                    dataset("bigquery", "shop-prod.ecommerce.events", COMMERCE)));
        }
        return out;
    }

    // ---- events ------------------------------------------------------------------------------

    private static Timed run(String type, String ns, String job, String runId, long t, ObjectNode input, ObjectNode output) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventType", type).put("eventTime", Instant.ofEpochMilli(PacksReplayITCase.T0.toEpochMilli() + t).toString());
        e.putObject("run").put("runId", runId);
        e.putObject("job").put("namespace", ns).put("name", job);
        if (input != null) {
            e.putArray("inputs").add(input);
        }
        if (output != null) {
            e.putArray("outputs").add(output);
        }
        e.put("producer", "https://github.com/OpenLineage/OpenLineage/tree/1.18.0/integration/spark");
        return new Timed(t, e.toString());
    }

    /** A dataset with a schema facet of (name, type) pairs, as the Airflow provider and Spark write it. */
    private static ObjectNode dataset(String ns, String name, String[] fieldsAndTypes) {
        ObjectNode d = JSON.createObjectNode().put("namespace", ns).put("name", name);
        ObjectNode schema = d.putObject("facets").putObject("schema");
        schema.put("_producer", "https://github.com/OpenLineage/OpenLineage/tree/1.18.0/integration/spark")
                .put("_schemaURL", "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet");
        ArrayNode fields = schema.putArray("fields");
        for (int i = 0; i < fieldsAndTypes.length; i += 2) {
            fields.addObject().put("name", fieldsAndTypes[i]).put("type", fieldsAndTypes[i + 1]);
        }
        return d;
    }

    private static String[] append(String[] fields, String name, String type) {
        String[] out = java.util.Arrays.copyOf(fields, fields.length + 2);
        out[fields.length] = name;
        out[fields.length + 1] = type;
        return out;
    }

    private static String[] remove(String[] fields, String name) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            if (!fields[i].equals(name)) {
                out.add(fields[i]);
                out.add(fields[i + 1]);
            }
        }
        return out.toArray(new String[0]);
    }

    private static String[] replace(String[] fields, String name, String type) {
        String[] out = fields.clone();
        for (int i = 0; i < out.length; i += 2) {
            if (out[i].equals(name)) {
                out[i + 1] = type;
            }
        }
        return out;
    }
}
