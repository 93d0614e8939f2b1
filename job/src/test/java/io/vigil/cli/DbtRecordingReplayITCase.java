package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.rules.RulesFile;
import io.vigil.source.InputSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays events recorded from dbt's OpenLineage integration (operators' test resources
 * openlineage/real/) through the whole job with the default rules: a failed dbt test alerts
 * {@code dq_assertion_failed} on its input dataset at the FAIL event's time; static lineage
 * events are counted and alert nothing.
 */
class DbtRecordingReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private Path copy(String recording) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/openlineage/real/" + recording)) {
            Path p = dir.resolve(recording);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    @Test
    void aFailedDbtTestAlertsOnItsDatasetAtTheEventsTime() throws Exception {
        List<InputSpec> specs = new ArrayList<>();
        specs.add(ReplayCommand.spec("dbt", "openlineage:" + copy("dbt-ol-structured-logs-failed-test.jsonl"), Duration.ofSeconds(30)));
        specs.add(ReplayCommand.spec("dbt-rr", "openlineage:" + copy("dbt-run-results-failed-tests.jsonl"), Duration.ofSeconds(30)));
        specs.add(ReplayCommand.spec("static", "openlineage:" + copy("static-events.jsonl"), Duration.ofSeconds(30)));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes();
        Path out = dir.resolve("out");
        ReplayCommand.build(env, specs, out, RulesFile.load(Paths.get("../conf/rules.yaml")));
        env.execute("dbt-recording-replay-it");

        List<JsonNode> alerts = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("alerts.jsonl"))) {
            alerts.add(json.readTree(line));
        }
        // for the report: every state change, as fired
        alerts.forEach(a -> System.out.println("ALERT " + a.get("rule_id").asText() + " " + a.get("state").asText() + " "
                + a.get("event_time").asText() + " " + a.get("entity").asText()));

        List<JsonNode> dq = alerts.stream().filter(a -> a.get("rule_id").asText().equals("dq_assertion_failed"))
                .collect(Collectors.toList());
        assertThat(dq).extracting(a -> a.get("state").asText() + " " + a.get("event_time").asText() + " " + a.get("entity").asText())
                .containsExactlyInAnyOrder(
                        "firing 2024-12-17T10:03:22.793Z dataset postgres://postgres:5432/postgres.public.customers"
                                + " assertion accepted_values column first_name",
                        // given in both facets and inputFacets: one alert each, not two
                        "firing 2021-08-25T11:00:25.277Z dataset snowflake://ASDF1234.eu-central-1.aws/DEMO_DB.public.customers"
                                + " assertion unique column customer_id",
                        "firing 2021-08-25T11:00:25.277Z dataset snowflake://ASDF1234.eu-central-1.aws/DEMO_DB.public.customers"
                                + " assertion not_null column customer_id",
                        // never run again while the replay's clock moves on to 2024: retired after the
                        // default retention of 7 days (its timer on the hour)
                        "resolved 2021-09-01T12:00:00Z dataset snowflake://ASDF1234.eu-central-1.aws/DEMO_DB.public.customers"
                                + " assertion unique column customer_id",
                        "resolved 2021-09-01T12:00:00Z dataset snowflake://ASDF1234.eu-central-1.aws/DEMO_DB.public.customers"
                                + " assertion not_null column customer_id");
        assertThat(dq).filteredOn(a -> a.get("state").asText().equals("resolved"))
                .allSatisfy(a -> assertThat(a.get("summary").asText()).contains("expired (retention 168h)"));
        // DatasetEvents and JobEvents reach no run rule
        assertThat(alerts).noneMatch(a -> a.get("entity").asText().contains("openlineage/")
                || a.get("entity").asText().contains("myjob") || a.get("entity").asText().contains("my-dataset"));

        JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
        JsonNode st = summary.get("sources").get("static");
        assertThat(st.get("valid").asLong()).isEqualTo(4);
        assertThat(st.get("invalid").asLong()).isZero();
        assertThat(st.get("lineage_events").asLong()).isEqualTo(4);
        assertThat(st.get("zoneless_time").asLong()).isEqualTo(2);
        assertThat(summary.get("sources").get("dbt").get("valid").asLong()).isEqualTo(3);
        assertThat(summary.get("sources").get("dbt").get("unreadable_facets").asLong()).isZero();
    }
}
