package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.rules.RulesFile;
import io.vigil.source.InputSpec;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * Each rule pack of conf/packs replayed alone over a small scenario of its own system: a healthy
 * stretch that raises nothing, then an incident that raises the pack's alert at the time and
 * severity its runbook gives, labelled with the runbook's route and escalation level (potato: an
 * alert unresolved for hours climbs L1..L4; abaco: the Monday maintenance window holds failures back). The expected lines are exact: no
 * other alert may appear.
 */
class PacksReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
    private static final long S = 1000;
    private static final long MIN = 60 * S;
    private static final long H = 60 * MIN;
    private static final DateTimeFormatter REES46 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();

    /** A pack's scenario: writes its inputs under {@code dir}, returns the replay --input values. */
    interface Scenario {
        List<String> write(Path dir) throws Exception;
    }

    static Stream<Arguments> packs() {
        return Stream.of(
                Arguments.of("abaco-loans", (Scenario) PacksReplayITCase::abaco, List.of(
                        "03:00:00 abaco_par_90 firing warning metric par_90_pct{portfolio=abaco} route=risk-monitoring",
                        "03:05:00 abaco_par_90 firing critical metric par_90_pct{portfolio=abaco} route=risk-monitoring",
                        "03:05:00 abaco_par_90_executive firing critical metric par_90_pct{portfolio=abaco} route=executive-briefing",
                        "03:10:00 abaco_par_90_cfo firing critical metric par_90_pct{portfolio=abaco} route=executive-briefing",
                        "03:15:00 abaco_par_90 resolved critical metric par_90_pct{portfolio=abaco} route=risk-monitoring",
                        "03:15:00 abaco_par_90_cfo resolved critical metric par_90_pct{portfolio=abaco} route=executive-briefing",
                        "03:15:00 abaco_par_90_executive resolved critical metric par_90_pct{portfolio=abaco} route=executive-briefing",
                        // the Monday 02:00-04:00 UTC maintenance window: a failure that is over by 02:40 is
                        // never heard of; one still failing at 04:00 is delivered then
                        "04:00:00 abaco_pipeline_failure firing critical job abaco-loans/archive route=devops-alerts",
                        "04:20:00 abaco_pipeline_failure resolved critical job abaco-loans/archive route=devops-alerts",
                        "04:05:00 abaco_pipeline_failure firing critical job abaco-loans/loan_tape route=devops-alerts",
                        "05:05:00 abaco_pipeline_failure resolved critical job abaco-loans/loan_tape route=devops-alerts")),
                Arguments.of("potato-pipeline", (Scenario) PacksReplayITCase::potato, List.of(
                        // last silver update 01:03; 2 h later, plus the runbook's 5 minutes
                        "03:08:00 potato_silver_freshness firing warning dataset s3://cdp-prod-potato-data-lake-xyz/silver/nutrition route=potato-oncall L1",
                        // unresolved: the runbook's escalation path, L2 after 30 minutes, L3 after 60
                        "03:38:00 potato_silver_freshness firing warning dataset s3://cdp-prod-potato-data-lake-xyz/silver/nutrition route=potato-oncall L2",
                        "04:08:00 potato_silver_freshness firing warning dataset s3://cdp-prod-potato-data-lake-xyz/silver/nutrition route=potato-oncall L3",
                        // critical (P0) takes the policy with L4, reached 2 h after the alert started
                        "05:03:00 potato_silver_freshness firing critical dataset s3://cdp-prod-potato-data-lake-xyz/silver/nutrition route=potato-oncall L3",
                        "05:08:00 potato_silver_freshness firing critical dataset s3://cdp-prod-potato-data-lake-xyz/silver/nutrition route=potato-oncall L4",
                        "06:03:00 potato_silver_freshness resolved critical dataset s3://cdp-prod-potato-data-lake-xyz/silver/nutrition route=potato-oncall L4")),
                Arguments.of("authpulse", (Scenario) PacksReplayITCase::authpulse, List.of(
                        "01:01:00 authpulse_invalid_records firing warning source authpulse-auth route=authpulse-alerts",
                        "01:06:00 authpulse_invalid_records resolved warning source authpulse-auth route=authpulse-alerts",
                        // lag above 5 minutes from 01:30, for the alarm's 3 minutes
                        "01:33:00 authpulse_kinesis_iterator_age firing warning metric kinesis_iterator_age_ms{StreamName=authpulse-dev-stream} route=authpulse-alerts",
                        "01:41:00 authpulse_kinesis_iterator_age resolved warning metric kinesis_iterator_age_ms{StreamName=authpulse-dev-stream} route=authpulse-alerts")),
                Arguments.of("ecommerce-streaming", (Scenario) PacksReplayITCase::ecommerce, List.of(
                        // 2 of 3 records invalid from 01:00 to 01:40; the 5-minute window over k minutes of it
                        // holds 2k invalid of 15: 13 % at 01:01 (> 10 %), 27 % at 01:02 (> 25 %), 53 % at 01:04
                        "01:01:00 ecommerce_error_rate firing warning source ecommerce-events route=ecommerce-oncall L1",
                        "01:04:00 ecommerce_error_rate firing critical source ecommerce-events route=ecommerce-oncall L1",
                        // above 25 % from 01:02, for 30 minutes; back under it at 01:44 (13 %)
                        "01:32:00 ecommerce_error_rate_sustained firing warning source ecommerce-events route=ecommerce-oncall L1",
                        // after 01:40 the burst leaves the window a minute at a time: 40 % at 01:42 (back to
                        // warning), 13 % at 01:44, none at 01:45
                        "01:42:00 ecommerce_error_rate firing warning source ecommerce-events route=ecommerce-oncall L1",
                        "01:44:00 ecommerce_error_rate_sustained resolved warning source ecommerce-events route=ecommerce-oncall L1",
                        "01:45:00 ecommerce_error_rate resolved warning source ecommerce-events route=ecommerce-oncall L1")),
                Arguments.of("stock-release", (Scenario) PacksReplayITCase::stock, List.of(
                        "2025-01-10T09:06:00Z stock_release_workflow_failed firing critical job github:MateoClagg/E2E-Stock-Data-Pipeline/Release to CodeArtifact route=stock-release",
                        // the second cluster failing within the hour (one entity for all clusters: the key is the
                        // event type); resolved an hour after
                        "2025-01-10T10:20:00Z stock_install_failures firing critical event type FAIL route=stock-release",
                        "2025-01-10T11:20:00Z stock_install_failures resolved critical event type FAIL route=stock-release",
                        "2025-01-10T12:00:00Z stock_audit_vulnerabilities firing warning metric pip_audit_vulnerabilities{project=stock-pipeline} route=stock-release",
                        // the CodeArtifact calls fill the day with data until 22:01, so the two alerts still
                        // firing repeat every 4 h (repeat_interval) until then; the quiet night is a gap
                        "2025-01-10T13:06:00Z stock_release_workflow_failed firing critical job github:MateoClagg/E2E-Stock-Data-Pipeline/Release to CodeArtifact route=stock-release",
                        "2025-01-10T17:06:00Z stock_release_workflow_failed firing critical job github:MateoClagg/E2E-Stock-Data-Pipeline/Release to CodeArtifact route=stock-release",
                        "2025-01-10T21:06:00Z stock_release_workflow_failed firing critical job github:MateoClagg/E2E-Stock-Data-Pipeline/Release to CodeArtifact route=stock-release",
                        "2025-01-10T16:00:00Z stock_audit_vulnerabilities firing warning metric pip_audit_vulnerabilities{project=stock-pipeline} route=stock-release",
                        "2025-01-10T20:00:00Z stock_audit_vulnerabilities firing warning metric pip_audit_vulnerabilities{project=stock-pipeline} route=stock-release",
                        "2025-01-11T09:05:00Z stock_release_workflow_failed resolved critical job github:MateoClagg/E2E-Stock-Data-Pipeline/Release to CodeArtifact route=stock-release",
                        "2025-01-11T12:00:00Z stock_audit_vulnerabilities resolved warning metric pip_audit_vulnerabilities{project=stock-pipeline} route=stock-release",
                        // cluster 0110-c starts on 1.2.0 while the release pins 1.3.0; its restart on 1.3.0 settles it
                        "2025-01-10T13:00:00Z stock_version_drift firing critical cluster id 0110-c route=stock-release",
                        "2025-01-10T14:30:00Z stock_version_drift resolved critical cluster id 0110-c route=stock-release",
                        // a cold import of 2.6 s (over 2 s); the next start imports in 1.4 s
                        "2025-01-10T16:00:00Z stock_import_slow firing warning metric stock_pipeline_import_seconds{cluster_id=0110-d} route=stock-release",
                        "2025-01-10T17:00:00Z stock_import_slow resolved warning metric stock_pipeline_import_seconds{cluster_id=0110-d} route=stock-release",
                        // the 08:00 token expires: CodeArtifact refuses calls from 20:00 to 20:10 (judged each
                        // minute over 15 minutes); the restart's fresh token ends them
                        "2025-01-10T20:01:00Z stock_codeartifact_denied firing warning source aws.codeartifact route=stock-release",
                        "2025-01-10T20:26:00Z stock_codeartifact_denied resolved warning source aws.codeartifact route=stock-release")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packs")
    void aHealthyStretchRaisesNothingAndTheIncidentItsAlert(String pack, Scenario scenario, List<String> expected)
            throws Exception {
        List<InputSpec> specs = new ArrayList<>();
        for (String in : scenario.write(dir)) {
            int eq = in.indexOf('=');
            specs.add(ReplayCommand.spec(in.substring(0, eq), in.substring(eq + 1), Duration.ofSeconds(30)));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes();
        Path out = dir.resolve("out");
        ReplayCommand.build(env, specs, out, RulesFile.load(PacksTest.PACKS.resolve(pack + ".yaml")));
        env.execute("packs-replay-" + pack);

        JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
        summary.get("sources").fields().forEachRemaining(s ->
                assertThat(s.getValue().get("valid").asLong()).as(s.getKey()).isPositive());
        List<String> alerts = new ArrayList<>();
        Path file = out.resolve("alerts.jsonl");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                alerts.add(shown(json.readTree(line)));
            }
        }
        alerts.sort(null);
        alerts.forEach(a -> System.out.println("ALERT " + pack + " " + a));
        assertThat(alerts).containsExactlyElementsOf(expected.stream().sorted().collect(java.util.stream.Collectors.toList()));
    }

    /** An alert line: time after T0 (or the instant, for recorded inputs), rule, state, severity, entity, route. */
    private static String shown(JsonNode a) {
        Instant t = Instant.parse(a.get("event_time").asText());
        long s = (t.toEpochMilli() - T0.toEpochMilli()) / 1000;
        String when = s < 0 ? t.toString() : String.format("%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        return when + " " + a.get("rule_id").asText() + " " + a.get("state").asText() + " " + a.get("severity").asText()
                + " " + a.get("entity").asText() + " route=" + a.path("labels").path("route").asText()
                + (a.has("escalation_level") ? " " + a.get("escalation_level").asText() : "");
    }

    private static String iso(long ms) {
        return Instant.ofEpochMilli(T0.toEpochMilli() + ms).toString();
    }

    private static String metric(String name, double v, long t, String labels) {
        return "{\"name\":\"" + name + "\",\"value\":" + v + ",\"time\":\"" + iso(t) + "\",\"labels\":{" + labels + "}}";
    }

    /** START and COMPLETE/FAIL of one OpenLineage run; {@code outputs} a JSON list or empty. */
    private static void run(List<String[]> lines, String ns, String job, String id, long start, long end, String outcome,
            String outputs) {
        lines.add(new String[] {String.format("%012d", start), event("START", ns, job, id, start, "")});
        lines.add(new String[] {String.format("%012d", end), event(outcome, ns, job, id, end,
                outcome.equals("COMPLETE") ? outputs : "")});
    }

    private static String event(String type, String ns, String job, String id, long t, String outputs) {
        return "{\"eventType\":\"" + type + "\",\"eventTime\":\"" + iso(t) + "\",\"run\":{\"runId\":\"" + id
                + "\"},\"job\":{\"namespace\":\"" + ns + "\",\"name\":\"" + job + "\"}"
                + (outputs.isEmpty() ? "" : ",\"outputs\":" + outputs) + "}";
    }

    /** Lines in time order (the sort key is the first element). */
    private static Path write(Path dir, String name, List<String[]> lines) throws Exception {
        lines.sort(java.util.Comparator.comparing((String[] l) -> l[0]));
        List<String> text = new ArrayList<>();
        lines.forEach(l -> text.add(l[1]));
        return Files.write(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** KPIs every 5 minutes, PAR_90 rising through 3, 5 and 10 % at 03:00; the 04:00 run fails. */
    static List<String> abaco(Path dir) throws Exception {
        List<String[]> kpi = new ArrayList<>();
        for (long t = 0; t <= 6 * H; t += 5 * MIN) {
            double par = t == 3 * H ? 3.5 : t == 3 * H + 5 * MIN ? 5.5 : t == 3 * H + 10 * MIN ? 11 : 2.5;
            String l = "\"portfolio\":\"abaco\"";
            kpi.add(new String[] {String.format("%012d", t), metric("par_90_pct", par, t, l)});
            kpi.add(new String[] {String.format("%012d", t), metric("collection_rate_pct", 2.0, t, l)});
            kpi.add(new String[] {String.format("%012d", t), metric("rdr_90_pct", 60, t, l)});
            kpi.add(new String[] {String.format("%012d", t), metric("portfolio_health", 7, t, l)});
            // another portfolio's PAR_90 is out of this pack's scope
            kpi.add(new String[] {String.format("%012d", t), metric("par_90_pct", 9, t, "\"portfolio\":\"norte\"")});
        }
        List<String[]> runs = new ArrayList<>();
        String outputs = "[{\"namespace\":\"s3://abaco-loans-lake\",\"name\":\"kpi_snapshot\"}]";
        for (int k = 0; k <= 5; k++) {
            run(runs, "abaco-loans", "loan_tape", "run-" + k, k * H, k * H + 5 * MIN, k == 4 ? "FAIL" : "COMPLETE", outputs);
        }
        // during Monday's maintenance (T0 is a Monday): diagnostics fail at 02:10 and pass at 02:40;
        // the archive job fails at 03:40 and passes only at 04:20
        run(runs, "abaco-loans", "diagnostics", "d-1", 2 * H, 2 * H + 10 * MIN, "FAIL", "");
        run(runs, "abaco-loans", "diagnostics", "d-2", 2 * H + 30 * MIN, 2 * H + 40 * MIN, "COMPLETE", "");
        run(runs, "abaco-loans", "archive", "a-1", 3 * H + 30 * MIN, 3 * H + 40 * MIN, "FAIL", "");
        run(runs, "abaco-loans", "archive", "a-2", 4 * H + 10 * MIN, 4 * H + 20 * MIN, "COMPLETE", "");
        return List.of("kpi=metrics:" + write(dir, "kpi.jsonl", kpi), "lineage=openlineage:" + write(dir, "lineage.jsonl", runs));
    }

    /** Bronze ingests every 30 minutes throughout; the silver transform stops after its 01:00 run. */
    static List<String> potato(Path dir) throws Exception {
        List<String[]> runs = new ArrayList<>();
        String silver = "[{\"namespace\":\"s3://cdp-prod-potato-data-lake-xyz\",\"name\":\"silver/nutrition\"}]";
        String bronze = "[{\"namespace\":\"s3://cdp-prod-potato-data-lake-xyz\",\"name\":\"bronze/nutrition\"}]";
        for (int k = 0; k * 30 * MIN <= 7 * H; k++) {
            long s = k * 30 * MIN;
            run(runs, "potato-pipeline", "bronze_ingest", "b-" + k, s, s + 2 * MIN, "COMPLETE", bronze);
            if (s <= H || s >= 6 * H) {
                run(runs, "potato-pipeline", "silver_transform", "s-" + k, s, s + 3 * MIN, "COMPLETE", silver);
            }
        }
        return List.of("lineage=openlineage:" + write(dir, "lineage.jsonl", runs));
    }

    /** Auth events every 10 s for 2 hours, one broken line at 01:00; Kinesis lag 400 s from 01:30 to 01:40. */
    static List<String> authpulse(Path dir) throws Exception {
        List<String[]> auth = new ArrayList<>();
        for (long t = 0, i = 0; t <= 2 * H; t += 10 * S, i++) {
            String u = "U" + (i % 5 + 1);
            long sec = (T0.toEpochMilli() + t) / 1000;
            auth.add(new String[] {String.format("%012d", t), sec + "," + u + "@DOM1," + u + "@DOM1,C" + (i % 7 + 10) + ",C"
                    + (i % 3 + 1) + ",Kerberos,Network,LogOn,Success"});
            if (t == H) {
                auth.add(new String[] {String.format("%012d", t), "garbage from a broken collector"});
            }
        }
        List<String[]> cw = new ArrayList<>();
        for (long m = 0; m <= 120; m++) {
            long t = m * MIN;
            double lag = m >= 90 && m <= 100 ? 400_000 : 1000;
            cw.add(new String[] {String.format("%012d", t),
                    metric("kinesis_iterator_age_ms", lag, t, "\"StreamName\":\"authpulse-dev-stream\"")});
            cw.add(new String[] {String.format("%012d", t),
                    metric("flink_failed_checkpoints", 0, t, "\"Application\":\"authpulse-dev-flink-app\"")});
        }
        return List.of("authpulse-auth=lanl-auth:" + write(dir, "auth.txt", auth),
                "cloudwatch=metrics:" + write(dir, "cloudwatch.jsonl", cw));
    }

    /**
     * Commerce events every 20 s for 3 hours; from 01:00 to 01:40 two of every three (those at :20
     * and :40 of each minute) have an unknown event type.
     */
    static List<String> ecommerce(Path dir) throws Exception {
        List<String[]> shop = new ArrayList<>();
        for (long t = 0, i = 0; t <= 3 * H; t += 20 * S, i++) {
            String time = REES46.format(Instant.ofEpochMilli(T0.toEpochMilli() + t));
            boolean broken = t >= H && t < H + 40 * MIN && i % 3 != 0;
            shop.add(new String[] {String.format("%012d", t), broken ? time + ",refund,1,2,,,1.0,3,s"
                    : time + ",view," + (1000 + i % 50) + ",2053013555631882655,electronics.smartphone,apple,199.99,"
                            + (500 + i % 40) + ",s" + (i % 40)});
        }
        Path file = write(dir, "shop.csv", shop);
        List<String> text = new ArrayList<>(Files.readAllLines(file));
        text.add(0, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session");
        Files.write(file, text);
        return List.of("ecommerce-events=rees46:" + file);
    }

    /**
     * The recorded release workflow runs (a failed release, then a good one), three pip-audit reports
     * and Databricks cluster start-ups.
     */
    static List<String> stock(Path dir) throws Exception {
        List<String> inputs = new ArrayList<>();
        for (String r : List.of("failed-release.jsonl", "successful-release.jsonl", "other-workflow-failed.jsonl")) {
            try (InputStream in = PacksReplayITCase.class.getResourceAsStream("/release/" + r)) {
                Path p = Files.write(dir.resolve(r), in.readAllBytes());
                inputs.add(r.replace(".jsonl", "") + "=github-actions:" + p);
            }
        }
        String clean = "{\"dependencies\":[{\"name\":\"requests\",\"version\":\"2.32.3\",\"vulns\":[]}],\"fixes\":[]}";
        String vulnerable = "{\"dependencies\":[{\"name\":\"requests\",\"version\":\"2.19.0\",\"vulns\":[{\"id\":\"PYSEC-2018-28\","
                + "\"fix_versions\":[\"2.20.0\"],\"description\":\"\"}]}],\"fixes\":[]}";
        List<String> audits = List.of(
                "{\"time\":\"2025-01-10T08:00:00Z\",\"project\":\"stock-pipeline\",\"report\":" + clean + "}",
                "{\"time\":\"2025-01-10T12:00:00Z\",\"project\":\"stock-pipeline\",\"report\":" + vulnerable + "}",
                "{\"time\":\"2025-01-11T12:00:00Z\",\"project\":\"stock-pipeline\",\"report\":" + clean + "}");
        inputs.add("audit=pip-audit:" + Files.write(dir.resolve("audit.jsonl"), audits, StandardCharsets.UTF_8));
        // cluster start-ups: one healthy; then two clusters whose init script (the package install) fails
        long t = Instant.parse("2025-01-10T10:00:00Z").toEpochMilli();
        List<String> clusters = List.of(
                cluster("0110-ok", t - 30 * MIN, "STARTING", ""), cluster("0110-ok", t - 25 * MIN, "RUNNING", ""),
                cluster("0110-a", t - 5 * MIN, "STARTING", ""), cluster("0110-a", t, "TERMINATING", INIT_FAILED),
                cluster("0110-b", t + 15 * MIN, "STARTING", ""), cluster("0110-b", t + 20 * MIN, "TERMINATING", INIT_FAILED));
        inputs.add("clusters=databricks-cluster-events:" + Files.write(dir.resolve("clusters.jsonl"), clusters, StandardCharsets.UTF_8));
        // each cluster start reports the version it imported (prometheus_client's Info shape) and its cold
        // import time: healthy clusters on the pinned 1.3.0 importing in 1.1-1.5 s
        List<String> checks = new ArrayList<>();
        String[][] starts = {
            {"2025-01-10T08:00:00Z", "0110-ok", "1.3.0", "1.2"}, {"2025-01-10T11:00:00Z", "0110-ok", "1.3.0", "1.1"},
            {"2025-01-10T13:00:00Z", "0110-c", "1.2.0", "1.3"}, {"2025-01-10T14:30:00Z", "0110-c", "1.3.0", "1.5"},
            {"2025-01-10T16:00:00Z", "0110-d", "1.3.0", "2.6"}, {"2025-01-10T17:00:00Z", "0110-d", "1.3.0", "1.4"}};
        for (String[] c : starts) {
            checks.add("{\"name\":\"stock_pipeline_info\",\"value\":1,\"time\":\"" + c[0] + "\",\"labels\":{\"cluster_id\":\""
                    + c[1] + "\",\"version\":\"" + c[2] + "\"}}");
            checks.add("{\"name\":\"stock_pipeline_import_seconds\",\"value\":" + c[3] + ",\"time\":\"" + c[0]
                    + "\",\"labels\":{\"cluster_id\":\"" + c[1] + "\"}}");
        }
        inputs.add("cluster-checks=metrics:" + Files.write(dir.resolve("checks.jsonl"), checks, StandardCharsets.UTF_8));
        // CodeArtifact's CloudTrail records via EventBridge (operators' eventbridge/real/codeartifact-cloudtrail.jsonl,
        // retimed): a token and a package read every 30 minutes; refused token calls at 20:00, 20:05, 20:10
        List<String> recorded;
        try (InputStream in = PacksReplayITCase.class.getResourceAsStream("/eventbridge/real/codeartifact-cloudtrail.jsonl")) {
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().collect(java.util.stream.Collectors.toList());
        }
        List<String> calls = new ArrayList<>();
        long day = Instant.parse("2025-01-10T08:00:00Z").toEpochMilli();
        for (long at = day; at <= day + 14 * H; at += 30 * MIN) {
            calls.add(retimed(recorded.get(0), "2018-12-11T13:31:37Z", at));
            calls.add(retimed(recorded.get(1), "2018-12-17T02:05:46Z", at + MIN));
        }
        for (long at = day + 12 * H; at <= day + 12 * H + 10 * MIN; at += 5 * MIN) {
            calls.add(retimed(recorded.get(2), "2018-12-11T13:31:37Z", at));
        }
        calls.sort(java.util.Comparator.comparing(c -> c.substring(c.indexOf("\"time\":"))));
        inputs.add("codeartifact=eventbridge:" + Files.write(dir.resolve("codeartifact.jsonl"), calls, StandardCharsets.UTF_8));
        return inputs;
    }

    /** A recorded line with its time (envelope and record) moved to {@code at}. */
    private static String retimed(String line, String recordedTime, long at) {
        return line.replace("\"" + recordedTime + "\"", "\"" + Instant.ofEpochMilli(at) + "\"");
    }

    private static final String INIT_FAILED = "{\"reason\":{\"code\":\"INIT_SCRIPT_FAILURE\",\"type\":\"CLIENT_ERROR\"}}";

    private static String cluster(String id, long t, String type, String details) {
        return "{\"cluster_id\":\"" + id + "\",\"timestamp\":" + t + ",\"type\":\"" + type + "\""
                + (details.isEmpty() ? "" : ",\"details\":" + details) + "}";
    }
}
