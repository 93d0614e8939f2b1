package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RulesFile;
import io.vigil.source.InputSpec;
import io.vigil.testing.IncidentScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Replays scripted incidents against the default rules and checks every alert exactly. */
class AlertsITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private List<JsonNode> replay(boolean incidents, long hours, String out) throws Exception {
        Path in = Files.createDirectories(dir.resolve(out + "-in"));
        List<InputSpec> specs = new ArrayList<>();
        for (String arg : new IncidentScenario(in, incidents, hours).write()) {
            int eq = arg.indexOf('=');
            specs.add(ReplayCommand.spec(arg.substring(0, eq), arg.substring(eq + 1), Duration.ofSeconds(30)));
        }
        RuleSet rules = RulesFile.load(Paths.get("../conf/rules.yaml"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Path outDir = dir.resolve(out);
        ReplayCommand.build(env, specs, outDir, rules);
        env.execute("alerts-it");
        List<JsonNode> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(outDir.resolve("alerts.jsonl"))) {
            alerts.add(json.readTree(line));
        }
        JsonNode summary = json.readTree(outDir.resolve("summary.json").toFile());
        assertThat(summary.get("total").get("read").asLong()).isPositive();
        return alerts;
    }

    private static String shown(JsonNode a) {
        long ms = Instant.parse(a.get("event_time").asText()).toEpochMilli() - IncidentScenario.T0.toEpochMilli();
        long s = ms / 1000;
        return String.format("%02d:%02d:%02d %s %s %s %s", s / 3600, s / 60 % 60, s % 60, a.get("rule_id").asText(),
                a.get("state").asText(), a.get("severity").asText(), a.get("entity").asText());
    }

    @Test
    void everyDefaultRuleRaisesExactlyItsScriptedAlerts() throws Exception {
        List<JsonNode> alerts = replay(true, 6, "incidents");
        List<String> seen = new ArrayList<>();
        for (JsonNode a : alerts) {
            seen.add(shown(a));
        }
        assertThat(seen).containsExactlyElementsOf(IncidentScenario.EXPECTED);

        // one alert_id per (rule, entity) from firing to resolved; contract fields present
        Map<String, String> ids = new HashMap<>();
        for (JsonNode a : alerts) {
            String key = a.get("rule_id").asText() + "|" + a.get("entity").asText();
            assertThat(ids.computeIfAbsent(key, k -> a.get("alert_id").asText())).isEqualTo(a.get("alert_id").asText());
            assertThat(a.get("summary").asText()).isNotBlank();
            assertThat(a.get("runbook_url").asText()).startsWith("deploy/rules-runbook.md#" + a.get("rule_id").asText());
            assertThat(a.get("emitted_at").asText()).isEqualTo(a.get("event_time").asText()); // replay: repeatable
            if (a.get("state").asText().equals("resolved")) {
                assertThat(a.get("ends_at").asText()).isEqualTo(a.get("event_time").asText());
            }
        }
        assertThat(ids.keySet()).extracting(k -> k.substring(0, k.indexOf('|'))).containsExactlyInAnyOrder(
                "kpi_par_90", "source_stale", "job_run_duration", "kpi_collection_rate", "auth_invalid_records",
                "dataset_freshness", "kpi_rdr_90", "task_latency_p95", "auth_user_fanout", "kpi_portfolio_health",
                "dq_assertion_failed", "ecommerce_invalid_events", "kinesis_iterator_age", "job_failure_rate",
                "job_failure_rate", "job_failure_rate", "job_flapping", "auth_bruteforce", "job_consecutive_failures");
    }

    @Test
    void eightQuietHoursRaiseNoAlertAtAll() throws Exception {
        assertThat(replay(false, 8, "quiet")).extracting(AlertsITCase::shown).isEmpty();
    }
}
