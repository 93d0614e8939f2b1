package io.vigil.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.VigilJob;
import io.vigil.VigilTopology;
import io.vigil.config.VigilConfig;
import io.vigil.model.Envelope;
import io.vigil.testing.CollectingSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code type: pubsub} OpenLineage input, from config to parsed envelopes, against the in-JVM
 * Pub/Sub stand-in. Its ack deadline (500 ms) is shorter than the checkpoint interval (2 s) that
 * acknowledges, so messages are delivered again and again, and publishers retry a few events: what
 * comes out is still each event and each broken message exactly once.
 */
@Timeout(120)
class PubSubInputITCase {
    private static final String PROJECT = "vigil-test";
    private static final String SUBSCRIPTION = "lineage";

    @RegisterExtension
    static final PubSubStandIn PUBSUB = new PubSubStandIn(Duration.ofMillis(500));

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void everyMessageIsReadAndParsedOnceDespiteRedeliveriesAndPublisherRetries() throws Exception {
        Map<String, Properties> groups = new TreeMap<>();
        Properties in = new Properties();
        in.setProperty("type", "pubsub");
        in.setProperty("format", "openlineage");
        in.setProperty("project", PROJECT);
        in.setProperty("subscription", SUBSCRIPTION);
        in.setProperty("emulator.host", PUBSUB.hostPort());
        groups.put("input.lineage", in);
        VigilConfig config = VigilConfig.from(groups);
        assertThat(config.inputs.get(0).pubsub.dedupTtl).isEqualTo(Duration.ofMinutes(10));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(2000, CheckpointingMode.EXACTLY_ONCE); // acks go out on checkpoints
        env.setRestartStrategy(RestartStrategies.noRestart());
        CollectingSink<Envelope> events = new CollectingSink<>("pubsub-events");
        CollectingSink<Envelope> deadLetters = new CollectingSink<>("pubsub-dead");
        VigilTopology.on(env).input(VigilJob.input(config.inputs.get(0))).events(events).deadLetters(deadLetters).build();
        JobClient job = env.executeAsync("pubsub-it");

        // 6 batches of 50 a little apart: each meets the ack deadline and the checkpoints afresh.
        long now = System.currentTimeMillis();
        Set<String> eventIds = new HashSet<>();
        Set<String> brokenIds = new HashSet<>();
        int published = 0;
        for (int i = 0; i < 300; i++) {
            if ((i + 1) % 25 == 0) {
                brokenIds.add(PUBSUB.publish(PROJECT, SUBSCRIPTION, ("{\"eventType\":\"START\",\"run\":" + i).getBytes(StandardCharsets.UTF_8)));
                published++;
                continue;
            }
            byte[] event = runEvent(i, Instant.ofEpochMilli(now - 60_000 + i));
            PUBSUB.publish(PROJECT, SUBSCRIPTION, event);
            published++;
            eventIds.add("run-" + i);
            if (i % 60 == 7) {
                PUBSUB.publish(PROJECT, SUBSCRIPTION, event); // a publisher's retry: a new message, the same event
                published++;
            }
            if (i % 50 == 49) {
                Thread.sleep(300);
            }
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (PUBSUB.outstanding() > 0 || events.received().size() + deadLetters.received().size() < 300) {
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job ended").isFalse();
            if (PUBSUB.redelivered() == 0) {
                // the 500 ms ack deadline gives redeliveries only when a checkpoint is slower than it:
                // end the leases, so some are redelivered however fast the checkpoints come
                PUBSUB.endLeases();
            }
            assertThat(System.nanoTime()).as("all messages acknowledged in time").isLessThan(deadline);
            Thread.sleep(100);
        }
        Thread.sleep(1500); // a duplicate that got through would arrive by now
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        job.cancel().get();

        System.out.printf("pubsub test: %d published (%d events, %d broken, %d publisher retries), %d deliveries "
                        + "(%d redeliveries), %d events and %d dead letters out%n",
                published, eventIds.size(), brokenIds.size(), published - 300, PUBSUB.delivered(), PUBSUB.redelivered(),
                events.received().size(), deadLetters.received().size());
        assertThat(PUBSUB.redelivered()).as("the stand-in delivered messages again").isPositive();
        Set<String> runIds = new HashSet<>();
        for (Envelope e : events.received()) {
            runIds.add(e.run.runId);
        }
        assertThat(events.received()).as("each event once").hasSize(eventIds.size());
        assertThat(runIds).isEqualTo(eventIds);
        Set<String> origins = new HashSet<>();
        for (Envelope d : deadLetters.received()) {
            origins.add(d.deadLetter.origin);
            assertThat(d.deadLetter.payload).startsWith("{\"eventType\":\"START\",\"run\":");
        }
        assertThat(deadLetters.received()).as("each broken message once").hasSize(brokenIds.size());
        assertThat(origins).as("dead letters carry their message id").isEqualTo(brokenIds);
    }

    /** A minimal valid OpenLineage START event of run {@code run-i}. */
    static byte[] runEvent(int i, Instant at) {
        return ("{\"eventType\":\"START\",\"eventTime\":\"" + at + "\",\"producer\":\"https://vigil.test/it\","
                + "\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
                + "\"run\":{\"runId\":\"run-" + i + "\"},\"job\":{\"namespace\":\"it\",\"name\":\"job-" + (i % 7) + "\"},"
                + "\"inputs\":[],\"outputs\":[]}").getBytes(StandardCharsets.UTF_8);
    }
}
