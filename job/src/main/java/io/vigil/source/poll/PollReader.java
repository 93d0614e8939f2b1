package io.vigil.source.poll;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls its splits on one worker thread, each when its next period is due, and emits a poll's
 * samples and moves the split's position in one step on the task thread: a checkpoint sees
 * either all of a poll's samples emitted and the position after them, or neither.
 */
final class PollReader implements SourceReader<RawRecord, PollSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(PollReader.class);

    private final String sourceName;
    private final Map<String, Poller> pollers = new LinkedHashMap<>();
    private final PollSchedule schedule;
    private final SourceReaderContext context;
    private final Map<String, PollSplit> splits = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<Result> done = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private final ScheduledExecutorService worker;

    private final Counter requests;
    private final Counter retries;
    private final Counter failures;
    private final Counter periods;
    private final Counter skipped;

    PollReader(String sourceName, List<Poller> pollers, PollSchedule schedule, SourceReaderContext context) {
        this.sourceName = sourceName;
        pollers.forEach(p -> this.pollers.put(p.id(), p));
        this.schedule = schedule;
        this.context = context;
        this.requests = context.metricGroup().counter("pollRequests");
        this.retries = context.metricGroup().counter("pollRetries");
        this.failures = context.metricGroup().counter("pollFailures");
        this.periods = context.metricGroup().counter("pollPeriodsEmitted");
        this.skipped = context.metricGroup().counter("pollPeriodsSkipped");
        // made here, not in start(): a restored reader is given its splits before start()
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-poll-" + sourceName + "-" + context.getIndexOfSubtask());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<PollSplit> added) {
        for (PollSplit s : added) {
            Poller p = pollers.get(s.id);
            if (p == null) {
                LOG.warn("input {}: query {} is no longer configured; its position is dropped", sourceName, s.id);
                continue;
            }
            try {
                p.open();
            } catch (Exception e) {
                throw new IllegalStateException("input " + sourceName + ": cannot open query " + s.id + ": " + e, e);
            }
            PollSplit mine = s.copy();
            if (mine.nextStart == PollSplit.NOT_STARTED) {
                mine.nextStart = schedule.firstStart(System.currentTimeMillis());
            }
            splits.put(mine.id, mine);
            scheduleNext(mine);
        }
    }

    private void scheduleNext(PollSplit s) {
        long due = s.nextStart + schedule.stepMs + schedule.delayMs;
        schedule(s.id, s.nextStart, Math.max(0, due - System.currentTimeMillis()));
    }

    private void schedule(String id, long start, long waitMs) {
        worker.schedule(() -> poll(id, start), waitMs, TimeUnit.MILLISECONDS);
    }

    /** On the worker thread: one poll of one split, with its retries; the result goes to the task thread. */
    private void poll(String id, long start) {
        Poller p = pollers.get(id);
        long now = System.currentTimeMillis();
        long last = schedule.lastPollableEnd(now);
        if (last <= start) {
            schedule(id, start, start + schedule.stepMs + schedule.delayMs - now);
            return;
        }
        long from = start;
        long skip = 0;
        if (!p.replays() && last - start > schedule.stepMs) {
            // a scrape sees only the present: the periods missed are gone, and counted
            skip = (last - schedule.stepMs - start) / schedule.stepMs;
            from = last - schedule.stepMs;
        }
        long to = Math.min(last, from + schedule.maxPeriodsPerPoll * schedule.stepMs);
        PollFailure failure = null;
        for (int attempt = 1; attempt <= schedule.attempts; attempt++) {
            requests.inc();
            try {
                List<String> lines = p.poll(from, to, schedule.stepMs);
                offer(new Result(id, start, from, to, lines, null, skip));
                return;
            } catch (PollFailure f) {
                failure = f;
            } catch (RuntimeException e) {
                failure = new PollFailure("unexpected answer: " + e, false, -1, e);
            }
            if (!failure.retryable() || attempt == schedule.attempts) {
                break;
            }
            retries.inc();
            long wait = Math.max(schedule.backoff(attempt), Math.min(failure.retryAfterMs(), schedule.maxBackoffMs));
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        offer(new Result(id, start, from, to, null, failure, skip));
    }

    private void offer(Result r) {
        done.add(r);
        synchronized (lock) {
            available.complete(null);
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RawRecord> output) {
        Result r = done.poll();
        if (r == null) {
            synchronized (lock) {
                if (done.isEmpty() && available.isDone()) {
                    available = new CompletableFuture<>();
                }
            }
            return done.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
        }
        PollSplit s = splits.get(r.id);
        if (s == null || s.nextStart != r.start) {
            return InputStatus.MORE_AVAILABLE; // a split no longer ours
        }
        if (r.failure != null) {
            failures.inc();
            LOG.warn("input {}: query {} failed for {} .. {} after retries; tried again in {} ms: {}", sourceName, r.id,
                    Instant.ofEpochMilli(r.from), Instant.ofEpochMilli(r.to), schedule.stepMs, r.failure.getMessage());
            schedule(r.id, s.nextStart, schedule.stepMs);
        } else {
            long receivedAt = System.currentTimeMillis();
            String origin = r.id + "@" + Instant.ofEpochMilli(r.from);
            InputFormat format = pollers.get(r.id).format();
            for (String line : r.lines) {
                output.collect(RawRecord.received(sourceName, format,
                        line.getBytes(StandardCharsets.UTF_8), receivedAt, origin));
            }
            if (r.skipped > 0) {
                skipped.inc(r.skipped);
                LOG.warn("input {}: query {} cannot fetch past periods; {} period(s) before {} skipped",
                        sourceName, r.id, r.skipped, Instant.ofEpochMilli(r.from));
            }
            periods.inc((r.to - r.from) / schedule.stepMs);
            s.nextStart = r.to;
            scheduleNext(s);
        }
        return done.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (lock) {
            return available;
        }
    }

    @Override
    public List<PollSplit> snapshotState(long checkpointId) {
        List<PollSplit> out = new ArrayList<>();
        splits.values().forEach(s -> out.add(s.copy()));
        return out;
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() {
        worker.shutdownNow();
        for (String id : splits.keySet()) {
            pollers.get(id).close();
        }
    }

    /** A finished poll: the samples of {@code [from, to)}, or why there are none. */
    private static final class Result {
        final String id;
        /** The split's position the poll started from: a stale result no longer matches it. */
        final long start;
        final long from;
        final long to;
        final List<String> lines;
        final PollFailure failure;
        final long skipped;

        Result(String id, long start, long from, long to, List<String> lines, PollFailure failure, long skipped) {
            this.id = id;
            this.start = start;
            this.from = from;
            this.to = to;
            this.lines = lines;
            this.failure = failure;
            this.skipped = skipped;
        }
    }
}
