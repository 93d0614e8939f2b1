package io.vigil.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.VigilJob;
import io.vigil.VigilTopology;
import io.vigil.config.VigilConfig;
import io.vigil.model.Envelope;
import io.vigil.model.ReasonCode;
import io.vigil.model.RunEventType;
import io.vigil.parse.EventBridgeParser;
import io.vigil.testing.CollectingSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.KinesisClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import org.apache.flink.runtime.jobgraph.SavepointConfigOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code format: eventbridge} Kinesis input, as an EventBridge rule targeting the stream feeds it:
 * the AWS documentation's example events (each put many times, with its own event time) and broken
 * ones, read by the job's topology, stopped with a savepoint mid-stream while more are put, and
 * restored: every record reaches its output (a sample, a run, a dead letter) exactly once.
 */
@Timeout(180)
class EventBridgeInputITCase {
    @RegisterExtension
    static final KinesisMockExtension KINESIS = new KinesisMockExtension();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path REAL = Paths.get("../operators/src/test/resources/eventbridge/real");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BROKEN_ID = Pattern.compile("broken-(\\d+)");

    /** Every 10th record is broken, in one of these ways (record n breaks the (n/10 mod 5)-th way). */
    private static final int BROKEN_EVERY = 10;

    @TempDir
    Path savepoints;

    @Test
    void everyRecordOnceAsSampleRunOrDeadLetterAcrossARestore() throws Exception {
        List<ObjectNode> samples = samples();
        assertThat(samples).as("the documentation examples").hasSize(7);
        KINESIS.createStream("eventbridge", 2);
        // Event times one second apart, in the past: record n's time says which record it is.
        long base = (System.currentTimeMillis() / 1000 - 3600) * 1000;
        Map<Integer, String> put = new TreeMap<>();
        put.putAll(put(samples, base, 0, 200));

        VigilConfig config = config();
        CollectingSink<Envelope> events = new CollectingSink<>("eventbridge-events");
        CollectingSink<Envelope> dead = new CollectingSink<>("eventbridge-dead");
        JobClient first = start(config, events, dead, null);
        await(first, () -> outputs(events, dead, base).size() >= 100, "half the first batch read");
        String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        int beforeStop = outputs(events, dead, base).size();

        put.putAll(put(samples, base, 200, 200)); // put while no job runs
        JobClient second = start(config, events, dead, savepoint);
        await(second, () -> outputs(events, dead, base).size() >= put.size(), "every record read after the restore");
        Thread.sleep(1500); // anything read twice would arrive by now
        second.cancel().get(30, TimeUnit.SECONDS);

        List<Integer> out = outputs(events, dead, base);
        assertThat(out).as("no record twice").doesNotHaveDuplicates();
        assertThat(new java.util.TreeSet<>(out)).as("every acknowledged record").isEqualTo(put.keySet());

        Map<Integer, Envelope> byRecord = new HashMap<>();
        for (Envelope e : events.received()) {
            byRecord.put(record(e.eventTime, base), e);
        }
        int runs = 0;
        int alarms = 0;
        int calls = 0;
        for (Map.Entry<Integer, Envelope> r : byRecord.entrySet()) {
            String kind = put.get(r.getKey());
            Envelope e = r.getValue();
            if (kind.equals("CodeArtifact Package Version State Change")) {
                runs++;
                assertThat(e.run.jobNamespace).isEqualTo("codeartifact:mydomain/myrepo");
                assertThat(e.run.eventType).isEqualTo(RunEventType.COMPLETE);
            } else if (kind.equals("AWS API Call via CloudTrail")) {
                calls++;
                assertThat(e.metric.name).isEqualTo(EventBridgeParser.GENERIC_METRIC);
                assertThat(e.metric.label("source")).isEqualTo("aws.codeartifact");
                assertThat(e.metric.label("event_name")).isIn("GetAuthorizationToken", "ReadFromRepository");
            } else {
                alarms++;
                assertThat(kind).isEqualTo("CloudWatch Alarm State Change");
                assertThat(e.metric.name).isEqualTo(EventBridgeParser.ALARM_METRIC);
                assertThat(e.metric.label("account")).isEqualTo("123456789012");
            }
        }
        assertThat(runs).isPositive();
        assertThat(alarms).isPositive();
        assertThat(calls).isPositive();
        Map<ReasonCode, Integer> reasons = new TreeMap<>();
        for (Envelope d : dead.received()) {
            assertThat(put.get(brokenId(d.deadLetter.payload))).startsWith("broken");
            assertThat(d.deadLetter.origin).matches("shardId-\\d{12}:\\d+");
            reasons.merge(d.deadLetter.reason, 1, Integer::sum);
        }
        assertThat(reasons.keySet()).containsExactlyInAnyOrder(ReasonCode.MISSING_FIELD, ReasonCode.BAD_TYPE,
                ReasonCode.UNKNOWN_VALUE, ReasonCode.BAD_TIMESTAMP, ReasonCode.MALFORMED_JSON);
        assertThat(dead.received()).hasSize(put.size() / BROKEN_EVERY);
        System.out.printf("eventbridge input: %d records put, %d runs, %d alarm samples, %d CloudTrail samples,"
                + " %d dead letters %s; %d out before the savepoint%n", put.size(), runs, alarms, calls,
                dead.received().size(), reasons, beforeStop);
    }

    /** The documentation's example events, one per line of the files beside their NOTES.md. */
    private static List<ObjectNode> samples() throws Exception {
        List<ObjectNode> out = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(REAL, "*.jsonl")) {
            d.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add((ObjectNode) JSON.readTree(line));
                }
            }
        }
        return out;
    }

    /**
     * Puts records {@code first}..{@code first+n-1}: record n is a sample with time base + n s, or
     * broken; returns what each acknowledged record is (its detail-type, or "broken ...").
     */
    private static Map<Integer, String> put(List<ObjectNode> samples, long base, int first, int n) throws Exception {
        Map<Integer, String> acked = new TreeMap<>();
        try (KinesisClient k = KINESIS.client()) {
            for (int from = first; from < first + n; from += 100) {
                List<PutRecordsRequestEntry> batch = new ArrayList<>();
                List<Integer> ids = new ArrayList<>();
                List<String> kinds = new ArrayList<>();
                for (int i = from; i < Math.min(first + n, from + 100); i++) {
                    ObjectNode event = samples.get(i % samples.size()).deepCopy();
                    event.put("time", Instant.ofEpochMilli(base + i * 1000L).toString());
                    String kind = event.get("detail-type").textValue();
                    String line;
                    if ((i + 1) % BROKEN_EVERY == 0) {
                        kind = "broken";
                        line = broken(event, i);
                    } else {
                        line = JSON.writeValueAsString(event);
                    }
                    batch.add(PutRecordsRequestEntry.builder().partitionKey("key-" + i)
                            .data(SdkBytes.fromString(line, StandardCharsets.UTF_8)).build());
                    ids.add(i);
                    kinds.add(kind);
                }
                PutRecordsResponse r = k.putRecords(b -> b.streamName("eventbridge").records(batch));
                for (int j = 0; j < ids.size(); j++) {
                    if (r.records().get(j).errorCode() == null) {
                        acked.put(ids.get(j), kinds.get(j));
                    }
                }
            }
        }
        return acked;
    }

    /** Record {@code i} broken in one of five ways, each carrying "broken-i" in its text. */
    private static String broken(ObjectNode event, int i) throws Exception {
        event.put("id", "broken-" + i);
        switch ((i / BROKEN_EVERY) % 5) {
            case 0:
                event.remove("detail");
                break;
            case 1:
                event.put("region", 42);
                break;
            case 2:
                event.put("detail-type", "CloudWatch Alarm State Change");
                event.put("source", "aws.cloudwatch");
                event.set("detail", JSON.createObjectNode().put("alarmName", "a")
                        .set("state", JSON.createObjectNode().put("value", "PANIC")));
                break;
            case 3:
                event.put("time", "yesterday broken-" + i);
                break;
            default:
                return "{\"id\":\"broken-" + i + "\", truncated";
        }
        return JSON.writeValueAsString(event);
    }

    private static int brokenId(String payload) {
        Matcher m = BROKEN_ID.matcher(payload);
        assertThat(m.find()).as("a dead letter of a broken record: %s", payload).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static int record(long eventTime, long base) {
        assertThat((eventTime - base) % 1000).isZero();
        return (int) ((eventTime - base) / 1000);
    }

    /** The records each output so far stands for: a valid event's by its time, a dead letter's by its text. */
    private static List<Integer> outputs(CollectingSink<Envelope> events, CollectingSink<Envelope> dead, long base) {
        List<Integer> out = new ArrayList<>();
        for (Envelope e : events.received()) {
            out.add(record(e.eventTime, base));
        }
        for (Envelope d : dead.received()) {
            out.add(brokenId(d.deadLetter.payload));
        }
        return out;
    }

    private static VigilConfig config() {
        Properties in = new Properties();
        in.setProperty("type", "kinesis");
        in.setProperty("format", "eventbridge");
        in.setProperty("stream.arn", KINESIS.streamArn("eventbridge"));
        in.setProperty("initial.position", "TRIM_HORIZON");
        in.setProperty("aws.endpoint", KINESIS.endpoint().toString());
        in.setProperty("watermark.idleness", "5s");
        Map<String, Properties> groups = new TreeMap<>();
        groups.put("input.eventbridge", in);
        return VigilConfig.from(groups);
    }

    private static JobClient start(VigilConfig config, CollectingSink<Envelope> events, CollectingSink<Envelope> dead,
            String savepoint) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(SavepointConfigOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500, CheckpointingMode.EXACTLY_ONCE);
        env.setRestartStrategy(RestartStrategies.noRestart());
        VigilTopology.on(env).input(VigilJob.input(config.inputs.get(0))).events(events).deadLetters(dead).build();
        return env.executeAsync("eventbridge-input-it");
    }

    private static void await(JobClient job, BooleanSupplier done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!done.getAsBoolean()) {
            JobStatus s = job.getJobStatus().get();
            if (s.isGloballyTerminalState()) {
                job.getJobExecutionResult().get(); // throws why
                throw new AssertionError("job ended (" + s + ") before: " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
