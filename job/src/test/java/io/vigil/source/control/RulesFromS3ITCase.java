package io.vigil.source.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.cli.VigilCli;
import io.vigil.delivery.AwsTestCredentials;
import io.vigil.iceberg.S3ProxyExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A running job ({@code vigil run}) judging by rules in an S3 stand-in: a lowered threshold takes
 * effect without restart, a broken rules object is refused while the rules in force go on judging,
 * and {@code vigil silence add} into the control prefix mutes a firing alert within a poll interval.
 */
class RulesFromS3ITCase {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    @RegisterExtension
    static final AwsTestCredentials CREDENTIALS = new AwsTestCredentials();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "vigil-ops";
    private static final long POLL_MS = 2_000;

    @TempDir Path dir;

    private static String rules(String warning, String extra) {
        return "rules:\n"
                + "  - id: par_high\n"
                + "    kind: metric_threshold\n"
                + "    select: {metric: par_90_pct}\n"
                + "    warning: " + warning + "\n"
                + "    repeat_interval: 1s\n"
                + extra;
    }

    @Test
    void rulesAndSilencesFromObjectStorageApplyWithoutRestart() throws Exception {
        S3.createBucket(BUCKET);
        // the generator's par_90_pct stays between 2.0 and 2.8: 50 never fires, 1 always does
        put("vigil/rules.yaml", rules("50", ""));
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, String.join("\n",
                "vigil:",
                "  parallelism: 1",
                "  checkpoint.interval: 1s",
                "  web.port: 0",
                "  output.dir: " + dir.resolve("out"),
                "  watchdog.interval: 1s",
                "  rules.file: s3://" + BUCKET + "/vigil/rules.yaml",
                "  control.path: s3://" + BUCKET + "/vigil/control/",
                "  control.poll-interval: " + POLL_MS + "ms",
                "  control.aws.region: us-east-1",
                "  control.aws.endpoint: " + S3.endpoint(),
                "iceberg:",
                "  enabled: false",
                "alerts.file:",
                "  type: file",
                "input.kpi:",
                "  type: generator",
                "  format: metrics",
                "  rate: 60",
                // samples are judged once the watermark passes them: keep that close to their arrival
                "  watermark.out-of-orderness: 500ms",
                ""));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> VigilCli.run(
                new String[] {"run", "--config", config.toString(), "--for", "60s"},
                new PrintStream(printed, true, StandardCharsets.UTF_8), System.err));

        // running: the heartbeat comes out, the threshold of 50 fires nothing
        await(a -> a.path("rule_id").asText().equals("monitor_watchdog"), 40_000, run, printed);
        Thread.sleep(3 * POLL_MS);
        assertThat(alerts()).noneMatch(a -> a.path("rule_id").asText().equals("par_high"));

        // (a) the threshold lowered in the object fires without a restart; pushed as people would
        Path lowered = dir.resolve("rules.yaml");
        Files.writeString(lowered, rules("1", ""));
        String[] diff = cli("rules", "diff", lowered.toString(), "--against", "s3://" + BUCKET + "/vigil/rules.yaml");
        assertThat(diff[0]).as(diff[1]).isEqualTo("1");
        assertThat(diff[1]).contains("~ par_high.warning: 50 -> 1").contains("1 change(s)");
        String[] pushed = cli("rules", "push", lowered.toString(), "--to", "s3://" + BUCKET + "/vigil/rules.yaml");
        assertThat(pushed[0]).as(pushed[1]).isEqualTo("0");
        assertThat(cli("rules", "diff", lowered.toString(), "--against", "s3://" + BUCKET + "/vigil/rules.yaml")[0])
                .isEqualTo("0");
        await(a -> firing(a), 10 * POLL_MS, run, printed);

        // (b) a broken version (an unknown key) is refused: push will not upload it, and uploaded
        // otherwise the job refuses it; were it applied, its 50 would resolve everything
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, rules("50", "    treshold: 4\n"));
        assertThat(cli("rules", "push", broken.toString(), "--to", "s3://" + BUCKET + "/vigil/rules.yaml")[0])
                .isEqualTo("1");
        put("vigil/rules.yaml", rules("50", "    treshold: 4\n"));
        Thread.sleep(3 * POLL_MS);
        long before = alerts().stream().filter(RulesFromS3ITCase::firing).count();
        Thread.sleep(3 * POLL_MS);
        List<JsonNode> all = alerts();
        assertThat(all.stream().filter(RulesFromS3ITCase::firing).count()).as("the old rules go on judging")
                .isGreaterThan(before);
        assertThat(all).noneMatch(a -> a.path("rule_id").asText().equals("par_high")
                && a.path("state").asText().equals("resolved"));

        // (c) a silence written by the CLI into the control prefix mutes abaco's alert within a poll interval
        ByteArrayOutputStream cli = new ByteArrayOutputStream();
        long silencedAt = System.currentTimeMillis();
        int exit = VigilCli.run(new String[] {"silence", "add", "--matcher", "rule_id=par_high",
                "--matcher", "entity=~.*abaco.*", "--duration", "1h", "--author", "on-call", "--comment", "incident 42",
                "--control", "s3://" + BUCKET + "/vigil/control/", "--aws-region", "us-east-1",
                "--aws-endpoint", S3.endpoint().toString()}, new PrintStream(cli, true, StandardCharsets.UTF_8), System.err);
        assertThat(exit).as(cli.toString(StandardCharsets.UTF_8)).isZero();
        String id = cli.toString(StandardCharsets.UTF_8).trim();
        // one poll interval, and a second for the control line to reach the policy
        long mutedFrom = silencedAt + POLL_MS + 1_000;
        Thread.sleep(POLL_MS + 1_000 + 4 * POLL_MS);
        List<JsonNode> after = new ArrayList<>();
        for (JsonNode a : alerts()) {
            if (firing(a) && Instant.parse(a.path("event_time").asText()).toEpochMilli() >= mutedFrom) {
                after.add(a);
            }
        }
        assertThat(after).as("other portfolios still fire").anyMatch(a -> !a.path("entity").asText().contains("abaco"));
        assertThat(after).as("abaco is silenced").noneMatch(a -> a.path("entity").asText().contains("abaco"));
        assertThat(alerts()).as("abaco fired before the silence")
                .anyMatch(a -> firing(a) && a.path("entity").asText().contains("abaco"));

        ByteArrayOutputStream listed = new ByteArrayOutputStream();
        assertThat(VigilCli.run(new String[] {"silence", "list", "--control", "s3://" + BUCKET + "/vigil/control/",
                "--aws-region", "us-east-1", "--aws-endpoint", S3.endpoint().toString()},
                new PrintStream(listed, true, StandardCharsets.UTF_8), System.err)).isZero();
        assertThat(listed.toString(StandardCharsets.UTF_8)).contains(id).contains("active").contains("on-call")
                .contains("entity=~.*abaco.*").contains("incident 42");

        int runExit = run.get();
        assertThat(runExit).as(printed.toString(StandardCharsets.UTF_8)).isZero();
    }

    /** A bin/vigil command against the stand-in: exit code and what it printed. */
    private static String[] cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--aws-region", "us-east-1", "--aws-endpoint", S3.endpoint().toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VigilCli.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        return new String[] {Integer.toString(exit), out.toString(StandardCharsets.UTF_8)};
    }

    private static boolean firing(JsonNode a) {
        return a.path("rule_id").asText().equals("par_high") && a.path("state").asText().equals("firing");
    }

    private void put(String key, String text) {
        try (S3Client s3 = S3.client()) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
        }
    }

    private List<JsonNode> alerts() throws IOException {
        Path f = dir.resolve("out/alerts.jsonl");
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(f)) {
            for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    out.add(JSON.readTree(l));
                }
            }
        }
        return out;
    }

    private void await(Predicate<JsonNode> seen, long timeoutMs, CompletableFuture<Integer> run,
            ByteArrayOutputStream printed) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (alerts().stream().anyMatch(seen)) {
                return;
            }
            if (run.isDone()) {
                throw new AssertionError("the job ended: " + run.get() + "\n" + printed.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not seen within " + timeoutMs + " ms; alerts: " + alerts());
    }
}
