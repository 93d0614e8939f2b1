package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil run --dry-run} on the shipped cloud example, and on broken copies of it. */
class DryRunTest {
    @TempDir Path dir;

    private String[] run(String config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VigilCli.run(new String[] {"run", "--config", config, "--dry-run"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(exit), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void theCloudExampleIsValidAndItsDataflowIsPrintedWithoutConnecting() {
        // no AWS or Google credentials here, no network: building must not need them
        String[] r = run("../conf/cloud-example.json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        String out = r[1];
        assertThat(out).contains("../conf/cloud-example.json is valid")
                .contains("parallelism: the runtime's; checkpoints: the runtime's")
                .contains("auth: kinesis arn:aws:kinesis:eu-west-1:123456789012:stream/vigil-auth from LATEST, watermarks per shard, format auth-json")
                .contains("lineage: pubsub projects/analytics-prod/subscriptions/openlineage-vigil, duplicates dropped for 15m")
                .contains("tables: ").contains("(not contacted)")
                .contains("pager: sns {WARNING=arn:aws:sns:eu-west-1:123456789012:vigil-warning")
                .contains("watchdog: every 5m");
        // the operators it would run, with their uids: sources, per-input chain, rules, delivery
        assertThat(out).contains("[source-auth]", "[parse-auth]", "[dedup-lineage]", "[rules-by-entity]",
                "[notification-policy]", "[source-watchdog]", "[alert-delivery] x1");
    }

    @Test
    void theDryRunShowsWhereCredentialsAreButNeverAWebhookOrAPasswordInAUri() throws Exception {
        // the lines that show the catalog and the Slack routes are where these would appear
        ObjectMapper json = new ObjectMapper();
        JsonNode groups = json.readTree(Files.readString(Path.of("../conf/cloud-example.json")));
        for (JsonNode g : groups) {
            ObjectNode p = (ObjectNode) g.get("PropertyMap");
            if (g.get("PropertyGroupId").asText().equals("iceberg")) {
                p.removeAll();
                p.put("type", "jdbc").put("warehouse", "s3://vigil-lake/warehouse")
                        .put("uri", "jdbc:postgresql://vigil:pg-s3cr3t@db.internal:5432/catalog?password=pg-s3cr3t2&ssl=true");
            } else if (g.get("PropertyGroupId").asText().equals("alerts.risk")) {
                p.put("webhook", "https://hooks.slack.com/services/T0VIGIL/B0RISK/hook-s3cr3t");
            }
        }
        Path config = dir.resolve("with-secrets.json");
        Files.writeString(config, json.writeValueAsString(groups));
        String[] r = run(config.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("tables: jdbc catalog", "uri=jdbc:postgresql://****@db.internal:5432/catalog?password=****&ssl=true")
                .contains("risk: slack risk", "-> literal:****");
        assertThat(r[1] + r[2]).doesNotContain("pg-s3cr3t").doesNotContain("hook-s3cr3t").doesNotContain("vigil:pg");
    }

    @Test
    void aMissingKeyFailsNamingTheGroupAndKey() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode groups = json.readTree(Files.readString(Path.of("../conf/cloud-example.json")));
        for (JsonNode g : groups) {
            if (g.get("PropertyGroupId").asText().equals("input.auth")) {
                ((ObjectNode) g.get("PropertyMap")).remove("stream.arn");
            }
        }
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, json.writeValueAsString(groups));
        String[] r = run(broken.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("config: group 'input.auth', key 'stream.arn': is required");
        assertThat(r[1]).doesNotContain("is valid");
    }

    @Test
    void aPrometheusPollerIsDescribedAndItsBadQueryRefused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode groups = json.readTree(Files.readString(Path.of("../conf/cloud-example.json")));
        ObjectNode prom = json.createObjectNode().put("PropertyGroupId", "input.potato");
        prom.putObject("PropertyMap").put("type", "prometheus").put("url", "http://prometheus:9090")
                .put("queries", "last_run=max(last_successful_run_timestamp)").put("step", "30s");
        ((com.fasterxml.jackson.databind.node.ArrayNode) groups).add(prom);
        Path good = dir.resolve("prom.json");
        Files.writeString(good, json.writeValueAsString(groups));
        String[] r = run(good.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("potato: prometheus polling last_run at http://prometheus:9090 every 30s, 30s after each period, format metrics")
                .contains("[source-potato]");
        ((ObjectNode) prom.get("PropertyMap")).put("queries", "max(last_successful_run_timestamp)");
        Files.writeString(good, json.writeValueAsString(groups));
        r = run(good.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("config: group 'input.potato', key 'queries': 'max(last_successful_run_timestamp)' is not NAME=QUERY");
    }
}
