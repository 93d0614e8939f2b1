package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.ReasonCode;
import io.vigil.source.InputSpec;
import io.vigil.testing.ReplayCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replays mixed good, bad and out-of-order files on a MiniCluster and checks every count. */
class ReplayITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    final ReplayCorpus corpus = new ReplayCorpus();

    private final ObjectMapper json = new ObjectMapper();

    private Path replay(List<ReplayCorpus.Input> inputs, String out) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes(); // the event model must never need Kryo
        List<InputSpec> specs = new ArrayList<>();
        for (ReplayCorpus.Input in : inputs) {
            specs.add(ReplayCommand.spec(in.name, in.format.id() + ":" + in.path, Duration.ofSeconds(30)));
        }
        Path dir = corpus.dir().resolve(out);
        ReplayCommand.build(env, specs, dir, io.vigil.rules.RulesFile.load(java.nio.file.Paths.get("../conf/rules.yaml")));
        env.execute("replay-it");
        return dir;
    }

    @Test
    void everyRecordIsCountedOnceAsValidOrInvalidPerSource() throws Exception {
        List<ReplayCorpus.Input> inputs = List.of(
                corpus.lanlAuth("auth", 5_000, 7),
                corpus.rees46("shop", 11),
                corpus.openLineageDir("lineage"),
                corpus.allBroken("kpi"));
        Path dir = replay(inputs, "out");

        JsonNode summary = json.readTree(dir.resolve("summary.json").toFile());
        List<String> deadLetters = Files.readAllLines(dir.resolve("dead-letter.jsonl"), StandardCharsets.UTF_8);
        Map<String, Integer> deadPerSource = new HashMap<>();
        for (String line : deadLetters) {
            JsonNode d = json.readTree(line);
            deadPerSource.merge(d.get("source").asText(), 1, Integer::sum);
            assertThat(ReasonCode.valueOf(d.get("reason").asText())).isNotNull();
            assertThat(d.get("payload")).isNotNull();
            assertThat(d.get("origin").asText()).matches(".+:\\d+");
        }
        long totalRead = 0;
        for (ReplayCorpus.Input in : inputs) {
            JsonNode s = summary.get("sources").get(in.name);
            assertThat(s.get("valid").asLong()).as(in.name + " valid").isEqualTo(in.valid);
            assertThat(s.get("invalid").asLong()).as(in.name + " invalid").isEqualTo(in.invalid);
            assertThat(s.get("read").asLong()).as(in.name + " read = valid + invalid").isEqualTo(in.records());
            assertThat(deadPerSource.getOrDefault(in.name, 0)).as(in.name + " dead letters written").isEqualTo(in.invalid);
            long byReason = 0;
            for (JsonNode n : s.get("invalid_by_reason")) {
                byReason += n.asLong();
            }
            assertThat(byReason).isEqualTo(in.invalid);
            totalRead += in.records();
        }
        assertThat(summary.get("total").get("read").asLong()).isEqualTo(totalRead);
        assertThat(summary.get("sources").get("auth").get("late").asLong()).isEqualTo(2);
        assertThat(summary.get("sources").get("lineage").get("late").asLong()).isEqualTo(1);
        JsonNode shopReasons = summary.get("sources").get("shop").get("invalid_by_reason");
        assertThat(shopReasons.get("TOO_LARGE").asLong()).isEqualTo(1);
        assertThat(shopReasons.get("BAD_ENCODING").asLong()).isEqualTo(1);
        assertThat(shopReasons.get("UNKNOWN_VALUE").asLong()).isEqualTo(1);
        assertThat(shopReasons.get("OUT_OF_RANGE").asLong()).isEqualTo(1);
        assertThat(shopReasons.get("BAD_TIMESTAMP").asLong()).isEqualTo(1);
        // a source with no valid event has no time axis: its dead letters count at epoch 0
        assertThat(deadLetters).filteredOn(l -> l.contains("\"source\":\"kpi\""))
                .allMatch(l -> l.contains("\"counted_at\":\"1970-01-01T00:00:00Z\""));
        // dead letters of a source keep file order
        List<Integer> authLines = new ArrayList<>();
        for (String l : deadLetters) {
            JsonNode d = json.readTree(l);
            if (d.get("source").asText().equals("auth")) {
                authLines.add(Integer.parseInt(d.get("origin").asText().replaceAll(".*:", "")));
            }
        }
        assertThat(authLines).isSorted();
    }

    @Test
    void theSameInputGivesTheSameOutput() throws Exception {
        List<ReplayCorpus.Input> inputs = List.of(corpus.lanlAuth("auth", 3_000, 3), corpus.rees46("shop", 5),
                corpus.openLineageDir("lineage"));
        Path first = replay(inputs, "first");
        Path second = replay(inputs, "second");
        assertThat(Files.readAllBytes(second.resolve("dead-letter.jsonl")))
                .isEqualTo(Files.readAllBytes(first.resolve("dead-letter.jsonl")));
        assertThat(Files.readString(second.resolve("summary.json"))).isEqualTo(Files.readString(first.resolve("summary.json")));
        assertThat(Files.size(first.resolve("dead-letter.jsonl"))).isGreaterThan(1L << 20); // the 2 MiB line, kept up to 1 MiB
        assertThat(Files.readString(first.resolve("dead-letter.jsonl"))).contains("\"payload_truncated\":true", "\"payload_bytes\":2097152");
    }
}
