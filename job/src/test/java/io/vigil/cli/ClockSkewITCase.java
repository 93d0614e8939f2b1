package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RulesFile;
import io.vigil.source.InputSpec;
import io.vigil.testing.IncidentScenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's skewed clocks: the six scripted hours of four inputs (auth, commerce, OpenLineage,
 * metrics; auth at four records a second, about 90,000 records, every default rule firing)
 * replayed twice, once with one auth record and one commerce record moved 12 h ahead. The two
 * records become FUTURE_TIME dead letters and nothing else changes: no record is late, and the
 * alerts are the same.
 */
class ClockSkewITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final long T0 = IncidentScenario.T0.toEpochMilli();
    /** The auth record of 02:30:00 and the commerce record of 03:30:00, in their files' notations. */
    private static final String AUTH_AT = (T0 / 1000 + 9000) + ",";
    private static final String SHOP_AT = "2026-11-02 03:30:00 UTC,";
    private static final int FILLER_PER_RECORD = 39;

    @TempDir Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private static final class Run {
        final List<String> alerts = new ArrayList<>();
        JsonNode summary;
        final List<JsonNode> deadLetters = new ArrayList<>();
    }

    private Run replay(String name, boolean skewed) throws Exception {
        Path in = Files.createDirectories(dir.resolve(name + "-in"));
        List<String> args = new IncidentScenario(in, true, 6).write();
        densify(in.resolve("auth.txt"));
        if (skewed) {
            rewriteOne(in.resolve("auth.txt"), AUTH_AT + "U", l -> (T0 / 1000 + 9000 + 12 * 3600) + l.substring(AUTH_AT.length() - 1));
            rewriteOne(in.resolve("shop.csv"), SHOP_AT, l -> "2026-11-02 15:30:00 UTC," + l.substring(SHOP_AT.length()));
        }
        List<InputSpec> specs = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            specs.add(ReplayCommand.spec(arg.substring(0, eq), arg.substring(eq + 1), Duration.ofSeconds(30)));
        }
        RuleSet rules = RulesFile.load(Paths.get("../conf/rules.yaml"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Path out = dir.resolve(name);
        ReplayCommand.build(env, specs, out, rules);
        env.execute("clock-skew-" + name);
        Run r = new Run();
        for (String line : Files.readAllLines(out.resolve("alerts.jsonl"))) {
            JsonNode a = json.readTree(line);
            long s = (Instant.parse(a.get("event_time").asText()).toEpochMilli() - T0) / 1000;
            r.alerts.add(String.format("%02d:%02d:%02d %s %s %s %s", s / 3600, s / 60 % 60, s % 60,
                    a.get("rule_id").asText(), a.get("state").asText(), a.get("severity").asText(), a.get("entity").asText()));
        }
        r.summary = json.readTree(out.resolve("summary.json").toFile());
        for (String line : Files.readAllLines(out.resolve("dead-letter.jsonl"))) {
            r.deadLetters.add(json.readTree(line));
        }
        return r;
    }

    /**
     * Four auth records a second, as a real authentication stream has at least: after each of the
     * scenario's regular logons (one per 10 s; none in its silent spell) 39 more of other users in
     * the same second. One dead letter among them stays under auth_invalid_records' 0.1 %, as it
     * would in production; among the scenario's 30 records in 5 minutes it would not.
     */
    private static void densify(Path auth) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(auth, StandardCharsets.UTF_8)) {
            out.add(line);
            if (line.matches("\\d+,U[1-5]@DOM1,.*,Kerberos,Network,LogOn,Success")) {
                String second = line.substring(0, line.indexOf(','));
                for (int k = 0; k < FILLER_PER_RECORD; k++) {
                    out.add(second + ",F" + k + "@DOM1,F" + k + "@DOM1,C20,C1,Kerberos,Network,LogOn,Success");
                }
            }
        }
        Files.write(auth, out, StandardCharsets.UTF_8);
    }

    /** Rewrites the one line that starts with {@code prefix}. */
    private static void rewriteOne(Path file, String prefix, UnaryOperator<String> change) throws Exception {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int hits = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                lines.set(i, change.apply(lines.get(i)));
                hits++;
            }
        }
        assertThat(hits).as(prefix).isEqualTo(1);
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static long count(JsonNode tally, String field) {
        return tally.path(field).asLong();
    }

    @Test
    void oneRecordTwelveHoursAheadAmongThousandsChangesNoAlert() throws Exception {
        Run clean = replay("clean", false);
        Run skewed = replay("skewed", true);

        assertThat(count(clean.summary.get("total"), "read")).isGreaterThan(80_000);
        // At four auth records a second the scenario's one garbage auth line (02:00) is under 0.1 %
        // too: the clean replay raises every scripted alert but that one.
        List<String> expected = new ArrayList<>(IncidentScenario.EXPECTED);
        expected.remove("02:01:00 auth_invalid_records firing warning source auth");
        expected.remove("02:06:00 auth_invalid_records resolved warning source auth");
        assertThat(clean.alerts).containsExactlyElementsOf(expected);
        assertThat(skewed.alerts).as("the replay with two records 12 h ahead").containsExactlyElementsOf(clean.alerts);

        JsonNode c = clean.summary.get("total");
        JsonNode s = skewed.summary.get("total");
        assertThat(s.path("invalid_by_reason").path("FUTURE_TIME").asLong()).isEqualTo(2);
        assertThat(c.path("invalid_by_reason").has("FUTURE_TIME")).isFalse();
        assertThat(skewed.summary.get("sources").get("auth").path("invalid_by_reason").path("FUTURE_TIME").asLong()).isEqualTo(1);
        assertThat(skewed.summary.get("sources").get("shop").path("invalid_by_reason").path("FUTURE_TIME").asLong()).isEqualTo(1);
        assertThat(count(s, "read")).isEqualTo(count(c, "read"));
        assertThat(count(s, "valid")).isEqualTo(count(c, "valid") - 2);
        assertThat(count(s, "late")).isEqualTo(count(c, "late"));

        List<JsonNode> future = new ArrayList<>();
        for (JsonNode d : skewed.deadLetters) {
            if (d.get("reason").asText().equals("FUTURE_TIME")) {
                future.add(d);
            }
        }
        assertThat(future).hasSize(2);
        for (JsonNode d : future) {
            // payload kept; counted at its source's clock, a few records after its place, not 12 h on
            assertThat(d.get("payload").asText()).satisfiesAnyOf(
                    p -> assertThat(p).startsWith((T0 / 1000 + 9000 + 12 * 3600) + ","),
                    p -> assertThat(p).startsWith("2026-11-02 15:30:00 UTC,"));
            long counted = Instant.parse(d.get("counted_at").asText()).toEpochMilli() - T0;
            assertThat(counted).isBetween(2 * 3_600_000L + 30 * 60_000L, 3 * 3_600_000L + 35 * 60_000L);
        }
    }
}
