package io.vigil.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.VigilJob;
import io.vigil.VigilTopology;
import io.vigil.config.VigilConfig;
import io.vigil.model.Envelope;
import io.vigil.testing.CollectingSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.KinesisClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code type: kinesis} input, from config to parsed envelopes, against kinesis-mock: a
 * two-shard stream read through the job's own topology, and a stand-in that goes away mid-stream.
 */
@Timeout(150)
class KinesisInputITCase {
    @RegisterExtension
    static final KinesisMockExtension KINESIS = new KinesisMockExtension();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Every 40th record is broken: it must come out as a dead letter, bytes unchanged. */
    private static final int BROKEN_EVERY = 40;

    @Test
    void everyRecordOfATwoShardStreamIsReadAndParsedOnce() throws Exception {
        KINESIS.createStream("metrics-count", 2);
        Run run = start("count", "metrics-count");
        List<String> put = put("metrics-count", 0, 400);
        run.await(() -> run.ids().size() >= put.size(), "all records read");
        Thread.sleep(1500); // anything read twice would arrive by now
        run.cancel();

        assertThat(run.events.received().size() + run.deadLetters.received().size())
                .as("records in = records out, each once").isEqualTo(put.size());
        assertThat(run.deadLetters.received()).hasSize(400 / BROKEN_EVERY);
        assertThat(run.ids()).isEqualTo(new HashSet<>(put));
        Set<String> shards = new HashSet<>();
        for (Envelope d : run.deadLetters.received()) {
            assertThat(d.deadLetter.origin).matches("shardId-\\d{12}:\\d+");
            shards.add(d.deadLetter.origin.split(":")[0]);
            assertThat(d.deadLetter.payload).startsWith("broken record ");
            assertThat(d.deadLetter.receivedAt).isBetween(run.startedAt, System.currentTimeMillis());
        }
        assertThat(shards).as("both shards carried dead letters").hasSize(2);
    }

    @Test
    void aStandInRestartMidStreamLosesNoAcknowledgedRecordAndTheJobKeepsRunning(@InjectMiniCluster MiniCluster mini)
            throws Exception {
        long t0 = System.nanoTime();
        KINESIS.createStream("metrics-fault", 2);
        Run run = start("fault", "metrics-fault");
        List<String> put = new ArrayList<>(put("metrics-fault", 0, 150));
        run.await(() -> run.ids().size() >= 150, "the first batch read");
        long t1 = System.nanoTime();
        // Put and durable at the stand-in (as Kinesis is before it acknowledges), then it goes
        // away while the job is reading them: the job's readers fail until it is back.
        put.addAll(put("metrics-fault", 150, 150));
        KINESIS.awaitPersisted("metrics-fault", 300);
        KINESIS.stop();
        Thread.sleep(2000);
        KINESIS.start();
        long t2 = System.nanoTime();
        put.addAll(put("metrics-fault", 300, 150));
        run.await(() -> run.ids().containsAll(put), "every acknowledged record read after the restart");
        long t3 = System.nanoTime();
        assertThat(run.client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        int attempts = 0;
        for (AccessExecutionVertex v : mini.getExecutionGraph(run.client.getJobID()).get().getAllExecutionVertices()) {
            attempts = Math.max(attempts, v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        run.cancel();

        assertThat(run.ids()).isEqualTo(new HashSet<>(put));
        int out = run.events.received().size() + run.deadLetters.received().size();
        // At-least-once at this sink: a restart from a checkpoint re-reads what followed it.
        assertThat(out).isGreaterThanOrEqualTo(put.size());
        System.out.printf("kinesis fault test: %d records put, %d received (%d read again after restore), "
                        + "task attempts %d; first batch read after %d ms, outage %d ms, caught up %d ms later%n",
                put.size(), out, out - put.size(), attempts + 1, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                (t3 - t2) / 1_000_000);
    }

    /** Puts {@code n} records (ids from {@code first}) in batches; returns the ids the stand-in acknowledged. */
    private static List<String> put(String stream, int first, int n) {
        List<String> ids = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (KinesisClient k = KINESIS.client()) {
            for (int from = first; from < first + n; from += 100) {
                List<PutRecordsRequestEntry> batch = new ArrayList<>();
                List<String> batchIds = new ArrayList<>();
                for (int i = from; i < Math.min(first + n, from + 100); i++) {
                    String id = "r" + i;
                    String line = (i + 1) % BROKEN_EVERY == 0 ? "broken record " + id
                            : "{\"name\":\"kinesis_it\",\"value\":" + i + ",\"time\":" + (now + i) + ",\"labels\":{\"id\":\"" + id + "\"}}";
                    batch.add(PutRecordsRequestEntry.builder().partitionKey("key-" + i)
                            .data(SdkBytes.fromString(line, StandardCharsets.UTF_8)).build());
                    batchIds.add(id);
                }
                PutRecordsResponse r = k.putRecords(b -> b.streamName(stream).records(batch));
                for (int i = 0; i < batchIds.size(); i++) {
                    if (r.records().get(i).errorCode() == null) {
                        ids.add(batchIds.get(i));
                    }
                }
            }
        }
        return ids;
    }

    private static Run start(String name, String stream) throws Exception {
        Map<String, Properties> groups = new TreeMap<>();
        Properties in = new Properties();
        in.setProperty("type", "kinesis");
        in.setProperty("format", "metrics");
        in.setProperty("stream.arn", KINESIS.streamArn(stream));
        in.setProperty("initial.position", "TRIM_HORIZON");
        in.setProperty("aws.endpoint", KINESIS.endpoint().toString());
        in.setProperty("watermark.idleness", "5s");
        groups.put("input.kinesis", in);
        VigilConfig config = VigilConfig.from(groups);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(1000, CheckpointingMode.EXACTLY_ONCE);
        // bounded: a broken test fails instead of restarting forever
        env.setRestartStrategy(RestartStrategies.fixedDelayRestart(20, 1000));
        Run run = new Run(name);
        VigilTopology.on(env)
                .input(VigilJob.input(config.inputs.get(0)))
                .events(run.events)
                .deadLetters(run.deadLetters)
                .build();
        run.startedAt = System.currentTimeMillis();
        run.client = env.executeAsync("kinesis-it-" + name);
        return run;
    }

    /** A running job and what it delivered. */
    private static final class Run {
        final CollectingSink<Envelope> events;
        final CollectingSink<Envelope> deadLetters;
        JobClient client;
        long startedAt;

        Run(String name) {
            events = new CollectingSink<>("kinesis-events-" + name);
            deadLetters = new CollectingSink<>("kinesis-dead-" + name);
        }

        /** Record ids seen: the id label of a valid sample, the text after "broken record " of a dead letter. */
        Set<String> ids() {
            Set<String> ids = new HashSet<>();
            for (Envelope e : events.received()) {
                ids.add(e.metric.label("id"));
            }
            for (Envelope e : deadLetters.received()) {
                ids.add(e.deadLetter.payload.substring("broken record ".length()));
            }
            return ids;
        }

        void await(BooleanSupplier done, String what) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!done.getAsBoolean()) {
                JobStatus s = client.getJobStatus().get();
                if (s.isGloballyTerminalState() || System.nanoTime() > deadline) {
                    AssertionError e = new AssertionError("not " + what + ": job " + s + ", " + ids().size() + " ids seen");
                    if (s.isGloballyTerminalState()) {
                        try {
                            client.getJobExecutionResult().get();
                        } catch (java.util.concurrent.ExecutionException failed) {
                            e.initCause(failed.getCause());
                        }
                    }
                    throw e;
                }
                Thread.sleep(100);
            }
        }

        void cancel() throws Exception {
            client.cancel().get();
        }
    }
}
