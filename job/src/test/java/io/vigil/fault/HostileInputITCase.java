package io.vigil.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.cli.ReplayCommand;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.HadoopCatalogExtension;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.VigilTables;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import io.vigil.parse.RecordDecoder;
import io.vigil.rules.Rule;
import io.vigil.rules.RuleKind;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RulesFile;
import io.vigil.rules.Silence;
import io.vigil.source.InputSpec;
import io.vigil.testing.HostileCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault test of hostile input: for every input format a file of records built to break a
 * parser (see {@link HostileCorpus}) is replayed through the real topology, default rules and the
 * curated tables, with no restart strategy, so any exception fails the job. Every record must come
 * out as a dead letter with a reason and its original bytes, in the summary, the dead-letter file
 * and the dead_letter table alike; no event table may get a row and no alert but an invalid-rate
 * one may fire. Beside healthy inputs, hostile ones must neither fail nor stall the job.
 */
class HostileInputITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    @RegisterExtension
    final HostileCorpus corpus = new HostileCorpus();

    private final ObjectMapper json = new ObjectMapper();
    private RuleSet rules;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyHostileRecordOfEveryFormatIsDeadLetteredAndTheJobNeverFails() throws Exception {
        Map<String, HostileCorpus.Input> inputs = new LinkedHashMap<>();
        long seed = 1;
        for (InputFormat f : InputFormat.values()) {
            HostileCorpus.Input in = corpus.write(f.id().replace("-", ""), f, seed++);
            inputs.put(in.name, in);
            // each hostile variant differs from a valid record only where it is hostile
            RecordDecoder decoder = new RecordDecoder();
            for (String valid : in.controls) {
                Envelope e = decoder.decode(RawRecord.of(in.name, f, valid.getBytes(StandardCharsets.UTF_8), 0, "control"));
                assertThat(e.isValid()).as(f + " control " + valid + ": " + (e.isValid() ? "" : e.deadLetter.detail)).isTrue();
            }
        }
        long t0 = System.nanoTime();
        Path out = replay(inputs, Map.of());
        long ms = (System.nanoTime() - t0) / 1_000_000;

        List<String> fired = checkAllDeadLettered(inputs, out);
        // nothing was accepted: every table of valid events is empty
        for (CuratedTable t : List.of(VigilTables.PIPELINE_RUNS, VigilTables.DATASET_UPDATES, VigilTables.METRIC_SAMPLES,
                VigilTables.AUTH_EVENTS, VigilTables.AUTH_USER_FEATURES, VigilTables.COMMERCE_EVENTS)) {
            assertThat(warehouse.rows(t)).as(t.name()).isEmpty();
        }
        assertThat(warehouse.rows(VigilTables.DQ_RESULTS)).as("only the sources' invalid rates")
                .allMatch(r -> r.getField("subject_type").equals("source"))
                .allMatch(r -> ((Double) r.getField("observed_value")) == 1.0);
        assertThat(warehouse.rows(VigilTables.COMMERCE_METRICS)).allMatch(r -> ((Long) r.getField("valid_events")) == 0);
        System.out.println("measured: " + inputs.values().stream().mapToInt(i -> i.records.size()).sum()
                + " hostile records in " + inputs.size() + " formats, all dead-lettered, job " + ms + " ms; alerts " + fired);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void hostileInputsBesideHealthyOnesNeitherStopNorStallTheJob() throws Exception {
        // Dead letters without a time of their own count at epoch 0 on a source with no valid event,
        // the others at the records' own time, decades later, where the healthy inputs are.
        Map<String, HostileCorpus.Input> inputs = new LinkedHashMap<>();
        for (InputFormat f : List.of(InputFormat.LANL_AUTH, InputFormat.COMMERCE_JSON)) {
            HostileCorpus.Input in = corpus.write(f.id().replace("-", ""), f, 11);
            inputs.put(in.name, in);
        }
        Map<String, String> healthy = Map.of("auth", InputFormat.LANL_AUTH.id() + ":" + corpus.healthy("auth", InputFormat.LANL_AUTH, 120),
                "shop", InputFormat.REES46.id() + ":" + corpus.healthy("shop", InputFormat.REES46, 120));
        long t0 = System.nanoTime();
        Path out = replay(inputs, healthy);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        List<String> fired = checkAllDeadLettered(inputs, out);
        JsonNode sources = json.readTree(out.resolve("summary.json").toFile()).get("sources");
        for (String name : healthy.keySet()) {
            assertThat(sources.get(name).get("valid").asLong()).as(name + " valid").isEqualTo(120);
            assertThat(sources.get(name).get("invalid").asLong()).as(name + " invalid").isZero();
        }
        assertThat(warehouse.rows(VigilTables.AUTH_EVENTS)).hasSize(120).allMatch(r -> r.getField("source").equals("auth"));
        assertThat(warehouse.rows(VigilTables.COMMERCE_EVENTS)).hasSize(120).allMatch(r -> r.getField("source").equals("shop"));
        assertThat(fired).as("alerts").allMatch(a -> a.endsWith(" source lanlauth") || a.endsWith(" source commercejson"));
        System.out.println("measured: hostile beside healthy inputs, job " + ms + " ms; alerts " + fired);
    }

    /** Replays hostile inputs and healthy ones ({@code name -> FORMAT:PATH}) with the default rules into the tables. */
    private Path replay(Map<String, HostileCorpus.Input> hostile, Map<String, String> healthy) throws Exception {
        List<InputSpec> specs = new ArrayList<>();
        for (HostileCorpus.Input in : hostile.values()) {
            specs.add(ReplayCommand.spec(in.name, in.formatAndPath(), Duration.ofSeconds(30)));
        }
        for (Map.Entry<String, String> h : healthy.entrySet()) {
            specs.add(ReplayCommand.spec(h.getKey(), h.getValue(), Duration.ofSeconds(30)));
        }
        rules = RulesFile.load(Paths.get("../conf/rules.yaml"));
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // any exception fails the job, and the test
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IcebergTables.forBoundedInputs(conf));
        env.setParallelism(2);
        // checkpoints while held dead letters (1 MiB payloads among them) are in the parse operators' state
        env.enableCheckpointing(3000);
        Path out = corpus.dir().resolve("out");
        ReplayCommand.build(env, specs, out, rules, new Silence[0], IcebergTables.in(warehouse.config()));
        env.execute("hostile-input-it");
        return out;
    }

    /**
     * Every record of every hostile input is a dead letter, once, with a reason and its bytes: in
     * the summary, dead-letter.jsonl and the dead_letter table; the only alerts are invalid-rate
     * ones. Returns the alerts as {@code rule state entity}.
     */
    private List<String> checkAllDeadLettered(Map<String, HostileCorpus.Input> inputs, Path out) throws Exception {
        // summary: per source, every record read is invalid, none valid
        JsonNode sources = json.readTree(out.resolve("summary.json").toFile()).get("sources");
        for (HostileCorpus.Input in : inputs.values()) {
            JsonNode s = sources.get(in.name);
            int n = in.records.size();
            assertThat(s.get("valid").asLong()).as(in.name + " valid").isZero();
            assertThat(s.get("invalid").asLong()).as(in.name + " invalid").isEqualTo(n);
            assertThat(s.get("read").asLong()).as(in.name + " read").isEqualTo(n);
            long byReason = 0;
            for (JsonNode r : s.get("invalid_by_reason")) {
                byReason += r.asLong();
            }
            assertThat(byReason).as(in.name + " by reason").isEqualTo(n);
        }

        // dead-letter.jsonl: one line per record, each with a reason and the record's bytes
        Map<String, List<String>> fileOrigins = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("dead-letter.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode d = json.readTree(line);
            HostileCorpus.Input in = inputs.get(d.get("source").asText());
            HostileCorpus.Record r = record(in, d.get("origin").asText());
            checkDeadLetter(in, r, d.get("reason").asText(), d.get("payload").asText(), d.get("payload_encoding").asText(),
                    d.get("payload_truncated").asBoolean(), d.get("payload_bytes").asLong());
            fileOrigins.computeIfAbsent(in.name, k -> new ArrayList<>()).add(d.get("origin").asText());
        }
        for (HostileCorpus.Input in : inputs.values()) {
            // once each; not in file order: those without a usable time of their own are held to the end
            assertThat(fileOrigins.get(in.name)).as(in.name + " dead letters in the file")
                    .containsExactlyInAnyOrderElementsOf(origins(in));
        }

        // the dead_letter table: the same records, exactly once, with the same reasons and bytes
        Map<String, List<String>> tableOrigins = new HashMap<>();
        for (Record row : warehouse.rows(VigilTables.DEAD_LETTER)) {
            HostileCorpus.Input in = inputs.get((String) row.getField("source"));
            HostileCorpus.Record r = record(in, (String) row.getField("origin"));
            checkDeadLetter(in, r, (String) row.getField("reason"), (String) row.getField("payload"),
                    (String) row.getField("payload_encoding"), (Boolean) row.getField("payload_truncated"),
                    (Long) row.getField("payload_bytes"));
            tableOrigins.computeIfAbsent(in.name, k -> new ArrayList<>()).add((String) row.getField("origin"));
        }
        for (HostileCorpus.Input in : inputs.values()) {
            assertThat(tableOrigins.get(in.name)).as(in.name + " dead_letter rows")
                    .containsExactlyInAnyOrderElementsOf(origins(in));
        }

        // no alert but the invalid-rate ones (the data-quality rules about sources)
        Set<String> invalidRateRules = new TreeSet<>();
        for (Rule r : rules.rules) {
            if (r.kind == RuleKind.INVALID_RATE) {
                invalidRateRules.add(r.id);
            }
        }
        List<String> fired = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("alerts.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode a = json.readTree(line);
            fired.add(a.get("rule_id").asText() + " " + a.get("state").asText() + " " + a.get("entity").asText());
        }
        assertThat(fired).as("alerts").allMatch(a -> invalidRateRules.contains(a.substring(0, a.indexOf(' '))));
        assertThat(warehouse.rows(VigilTables.ALERTS)).hasSameSizeAs(fired)
                .allMatch(r -> invalidRateRules.contains((String) r.getField("rule_id")));
        return fired;
    }

    private static List<String> origins(HostileCorpus.Input in) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= in.records.size(); i++) {
            out.add(in.path.getFileName() + ":" + i);
        }
        return out;
    }

    /** The record a dead letter's origin ({@code file:line}) names. */
    private static HostileCorpus.Record record(HostileCorpus.Input in, String origin) {
        assertThat(in).as("a dead letter of a healthy or unknown source: " + origin).isNotNull();
        assertThat(origin).startsWith(in.path.getFileName() + ":");
        int line = Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
        assertThat(line).as(origin).isBetween(1, in.records.size());
        return in.records.get(line - 1);
    }

    /** A dead letter keeps the record's bytes (the first MiB of an oversized one, with its size) and a reason. */
    private static void checkDeadLetter(HostileCorpus.Input in, HostileCorpus.Record r, String reason, String payload,
            String encoding, boolean truncated, long size) {
        String what = in.name + " " + r;
        assertThat(ReasonCode.valueOf(reason)).as(what).isNotNull();
        assertThat(encoding).as(what).isIn("utf8", "base64");
        byte[] kept = "base64".equals(encoding) ? Base64.getDecoder().decode(payload) : payload.getBytes(StandardCharsets.UTF_8);
        assertThat(kept).as(what + " payload").isEqualTo(r.keptPayload());
        assertThat(truncated).as(what + " truncated").isEqualTo(r.oversized());
        assertThat(size).as(what + " payload_bytes").isEqualTo(r.bytes.length);
        if (r.oversized()) {
            assertThat(reason).as(what).isEqualTo("TOO_LARGE");
        } else if (r.what.startsWith("invalid UTF-8") || r.what.endsWith("unpaired surrogate escaped in a string")) {
            assertThat(reason).as(what).isEqualTo("BAD_ENCODING");
        } else if (r.what.contains("100,000") && r.what.contains("deep")) {
            assertThat(reason).as(what).isEqualTo("TOO_LARGE");
        } else if (r.what.equals("empty line") || r.what.equals("blank line") || r.what.equals("BOM only, CRLF")) {
            assertThat(reason).as(what).isEqualTo("EMPTY");
        }
        if (r.what.startsWith("invalid UTF-8")) {
            assertThat(encoding).as(what).isEqualTo("base64");
        }
    }
}
