package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.rules.RulesFile;
import io.vigil.source.InputSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays recorded GitHub {@code workflow_run} webhooks (test resources release/) through the whole
 * job with the package-release workflow rule: the failed release run raises exactly that alert;
 * a successful release, and a failure of another workflow of another repository, raise none.
 */
class ReleaseWorkflowReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private Path copy(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/release/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    private List<JsonNode> replay(String... recordings) throws Exception {
        List<InputSpec> specs = new ArrayList<>();
        for (String r : recordings) {
            specs.add(ReplayCommand.spec(r.replace(".jsonl", ""), "github-actions:" + copy(r), Duration.ofSeconds(30)));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes();
        Path out = dir.resolve("out-" + recordings.length);
        ReplayCommand.build(env, specs, out, RulesFile.load(copy("rules.yaml")));
        env.execute("release-workflow-replay-it");
        JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
        for (String r : recordings) {
            JsonNode s = summary.get("sources").get(r.replace(".jsonl", ""));
            assertThat(s.get("valid").asLong()).as(r).isPositive();
            assertThat(s.get("invalid").asLong()).as(r).isZero();
        }
        List<JsonNode> alerts = new ArrayList<>();
        Path file = out.resolve("alerts.jsonl");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                alerts.add(json.readTree(line));
            }
        }
        alerts.forEach(a -> System.out.println("ALERT " + a.get("rule_id").asText() + " " + a.get("state").asText() + " "
                + a.get("event_time").asText() + " " + a.get("entity").asText()));
        return alerts;
    }

    @Test
    void aFailedReleaseWorkflowRaisesTheReleaseAlert() throws Exception {
        List<JsonNode> alerts = replay("failed-release.jsonl", "successful-release.jsonl", "other-workflow-failed.jsonl");
        assertThat(alerts).extracting(a -> a.get("rule_id").asText() + " " + a.get("state").asText() + " "
                        + a.get("event_time").asText() + " " + a.get("entity").asText())
                .containsExactly(
                        "release_workflow_failed firing 2025-01-10T09:06:00Z job github:MateoClagg/E2E-Stock-Data-Pipeline/Release to CodeArtifact",
                        // the next day's successful release settles it
                        "release_workflow_failed resolved 2025-01-11T09:05:00Z job github:MateoClagg/E2E-Stock-Data-Pipeline/Release to CodeArtifact");
        assertThat(alerts.get(0).get("severity").asText()).isEqualTo("critical");
    }

    @Test
    void aSuccessfulReleaseRaisesNone() throws Exception {
        assertThat(replay("successful-release.jsonl")).isEmpty();
    }
}
