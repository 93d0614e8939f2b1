package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * A source a test feeds while its MiniCluster job runs: alerts go in when the test says, and the
 * input ends only when the test ends it, so a job can stay live (resending firing alerts) between
 * the firing and the resolution. One feed per run name, in this JVM.
 */
final class AlertFeed implements SourceFunction<AlertEvent> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, BlockingQueue<Optional<AlertEvent>>> FEEDS = new ConcurrentHashMap<>();

    private final String run;
    private volatile boolean running = true;

    AlertFeed(String run) {
        this.run = run;
        FEEDS.put(run, new LinkedBlockingQueue<>());
    }

    /** Emits these alerts into the job of {@code run}. */
    static void send(String run, AlertEvent... alerts) {
        for (AlertEvent a : alerts) {
            FEEDS.get(run).add(Optional.of(a));
        }
    }

    /** Ends the input of {@code run}'s job: it finishes once its deliveries are confirmed. */
    static void end(String run) {
        FEEDS.get(run).add(Optional.empty());
    }

    @Override
    public void run(SourceContext<AlertEvent> ctx) throws Exception {
        BlockingQueue<Optional<AlertEvent>> feed = FEEDS.get(run);
        while (running) {
            Optional<AlertEvent> next = feed.poll(20, TimeUnit.MILLISECONDS);
            if (next == null) {
                continue;
            }
            if (!next.isPresent()) {
                return;
            }
            synchronized (ctx.getCheckpointLock()) {
                ctx.collect(next.get());
            }
        }
    }

    @Override
    public void cancel() {
        running = false;
    }
}
