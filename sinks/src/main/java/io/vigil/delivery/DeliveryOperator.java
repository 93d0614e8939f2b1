package io.vigil.delivery;

import io.vigil.metrics.VigilMetrics;
import io.vigil.model.AlertEvent;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every alert state change to the routes of its channels, at least once, and emits one
 * {@link DeliveryRecord} per attempt.
 *
 * <p>Why this design. Alerts are few and must never be lost, and a channel's failure must never
 * fail the job. So: (1) Every (alert state change, route) is a {@link PendingDelivery} in operator
 * list state until the channel confirms it; a checkpoint snapshots all of them, in flight or not,
 * so a restore sends again whatever was not confirmed (a duplicate is possible, a loss is not). Not
 * waiting for confirmation before a checkpoint completes keeps a slow webhook from stalling
 * checkpoints of the whole job. (2) Requests are asynchronous (java.net.http, the SDK's async
 * client) and their outcomes come back as mails on the task's mailbox, as in Flink's
 * AsyncWaitOperator: state, output and timers are touched by the task thread only, without locks,
 * and the task thread never waits on the network. (3) Waits (backoff, Retry-After, rate limit, the
 * slow cadence) are one processing-time timer at the earliest due time, also run on the task
 * thread; timers still fire in {@link #endInput()} (Flink quiesces them only after it), where this
 * operator drives retries until it is done. (4) A channel never throws to the operator; every
 * failure is an {@link Outcome}: retried with exponential backoff and jitter, then, after the policy's attempts,
 * recorded as failed and retried on the slow cadence, until the policy gives up (too many refusals,
 * too old: recorded {@code abandoned}, counted). (5) Per lane (a
 * webhook, a topic) one request at a time, spaced by the channel's minimum interval, and a later
 * state change of an alert waits for the earlier one, so "resolved" never overtakes "firing".
 * (6) A bounded input ends only when every delivery is confirmed (stop-with-savepoint without
 * drain keeps them in the savepoint instead): a finished operator's state would not be restored.
 * (7) Bounded: a newer state change of an alert supersedes a pending older one on the same route
 * (only the newest is sent; the older is recorded {@code superseded}), and beyond the cap of pending
 * deliveries the oldest not in flight is abandoned ({@code queue full}). (8) A channel that wants
 * firing alerts re-sent ({@link Channel#resendMillis}, Alertmanager) gets, after each delivery of a
 * firing alert, a pending resend due one interval later: it is state like any delivery, and the
 * alert's next state change drops it (no record), which also cancels its wake-up timer.
 * (9) A grouping route ({@link Channel#grouping}) gets its alerts through {@link AlertGroups},
 * whose groups are state too; a flushed group becomes one pending delivery like any other. Live
 * the groups run on the wall clock (the same wake-up timer); in replay ({@code eventTime}) on
 * the watermark, so replays give the same notifications.
 */
public final class DeliveryOperator extends AbstractStreamOperator<DeliveryRecord>
        implements OneInputStreamOperator<AlertEvent, DeliveryRecord>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryOperator.class);

    private final List<Channel> channels;
    private final RetryPolicy retry;
    private final int maxPending;
    private final boolean eventTime;
    private final transient MailboxExecutor mailbox;

    private transient ListState<PendingDelivery> state;
    private transient ListState<AlertGroup> groupState;
    private transient ListState<AlertEvent> heldState;
    private transient ListState<RouteDigest> digestState;
    private transient AlertGroups groups;
    /** By arrival: the order deliveries are considered in. */
    private transient TreeMap<Long, PendingDelivery> pending;
    private transient Counter failures;
    private transient Counter abandoned;
    private transient Counter superseded;
    /** Seqs of the deliveries whose request is out: they are judged on their outcome. */
    private transient Set<Long> inFlight;
    /** Seqs in flight that a newer state change has superseded: dropped unless their request delivers. */
    private transient Set<Long> supersededInFlight;
    /** pending.size() for the metric reporter's thread. */
    private transient volatile int pendingCount;
    private transient long nextSeq;
    private transient Map<String, Channel> bySink;
    private transient Map<String, Channel.Connection> connections;
    private transient Map<String, Lane> lanes;
    private transient List<DeliveryRecord> unroutedAtRestore;
    /** The time of the registered wake-up timer; MAX_VALUE when none is. */
    private transient long wakeupAt;
    /** The registered wake-up timer, cancelled when nothing is left to wake for; null when none. */
    private transient java.util.concurrent.ScheduledFuture<?> wakeup;
    private transient long wakeupId;
    /** Set in endInput: no resends are scheduled any more and pending ones are dropped. */
    private transient boolean inputEnded;
    private transient Random random;
    private transient TypeSerializer<AlertEvent> alertSerializer;
    private transient volatile boolean closed;

    /** A webhook's or topic's traffic: one request in flight, and when the next may start. */
    private static final class Lane {
        boolean busy;
        long nextSendAt;
    }

    DeliveryOperator(List<Channel> channels, RetryPolicy retry, int maxPending, boolean eventTime,
            StreamOperatorParameters<DeliveryRecord> parameters) {
        this.channels = channels;
        this.retry = retry;
        this.maxPending = maxPending;
        this.eventTime = eventTime;
        this.mailbox = parameters.getMailboxExecutor();
        this.processingTimeService = parameters.getProcessingTimeService();
        setup(parameters.getContainingTask(), parameters.getStreamConfig(), parameters.getOutput());
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        bySink = new LinkedHashMap<>();
        for (Channel c : channels) {
            bySink.put(c.sink(), c);
        }
        state = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("pending-deliveries", TypeInformation.of(PendingDelivery.class)));
        pending = new TreeMap<>();
        inFlight = new HashSet<>();
        supersededInFlight = new HashSet<>();
        alertSerializer = TypeInformation.of(AlertEvent.class).createSerializer(getExecutionConfig().getSerializerConfig());
        unroutedAtRestore = new ArrayList<>();
        List<PendingDelivery> restored = new ArrayList<>();
        for (PendingDelivery p : state.get()) {
            restored.add(p);
        }
        restored.sort((a, b) -> Long.compare(a.seq, b.seq));
        long restoredAt = now();
        for (PendingDelivery p : restored) {
            if (p.queuedAt == 0) {
                p.queuedAt = restoredAt; // state from before queuedAt was kept: its age starts now
            }
            readmit(p);
        }
        if (!restored.isEmpty()) {
            LOG.info("Restored {} pending alert deliveries; they are sent again", pending.size());
        }
        groupState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("alert-groups", TypeInformation.of(AlertGroup.class)));
        heldState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("held-alerts", TypeInformation.of(AlertEvent.class)));
        groups = new AlertGroups(channels, eventTime);
        groups.restore(groupState.get(), heldState.get());
        digestState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("route-digests", TypeInformation.of(RouteDigest.class)));
        groups.restoreDigests(digestState.get());
        groups.startDigests(now());
    }

    /**
     * Takes a restored delivery back. If the configuration changed and its route is gone, the
     * alert goes to the routes that match it now; with none, it is recorded as unrouted.
     */
    private void readmit(PendingDelivery p) {
        if (p.notification == null) {
            p.notification = Notification.of(p.alert); // state from before notifications
            p.alert = null;
        }
        Channel c = bySink.get(p.sink);
        List<String> routes = c == null ? new ArrayList<>()
                : p.notification.digest != null ? new ArrayList<>(c.routeNames()) : c.routes(p.notification.first());
        if (p.notification.grouped() && !routes.contains(p.target)) {
            routes.clear(); // a group belongs to its route: with the route gone it has nowhere to go
        }
        if (routes.contains(p.target)) {
            p.seq = nextSeq++;
            pending.put(p.seq, p);
            return;
        }
        if (routes.isEmpty()) {
            LOG.warn("Pending delivery {} has no route any more: recorded as unrouted", p);
            unroutedAtRestore.add(unrouted(p.notification, p.sink, p.target, now()));
            return;
        }
        for (String route : routes) {
            boolean known = false;
            for (PendingDelivery q : pending.values()) {
                known |= q.sink.equals(p.sink) && q.target.equals(route) && sameChange(q.notification, p.notification);
            }
            if (!known) {
                PendingDelivery moved = new PendingDelivery(nextSeq++, p.sink, route, p.notification, p.dueAt);
                moved.queuedAt = p.queuedAt;
                pending.put(moved.seq, moved);
                LOG.info("Pending delivery {} moved to route {} (its route is no longer configured)", p, route);
            }
        }
    }

    private static boolean sameChange(Notification a, Notification b) {
        return a.key.equals(b.key) && a.madeAt == b.madeAt
                && (a.alerts.length == 0 || b.alerts.length == 0 || a.first().state == b.first().state);
    }

    @Override
    public void open() throws Exception {
        super.open();
        connections = new LinkedHashMap<>();
        for (Channel c : channels) {
            connections.put(c.sink(), c.open());
        }
        lanes = new LinkedHashMap<>();
        random = new Random();
        wakeupAt = Long.MAX_VALUE;
        MetricGroup metrics = VigilMetrics.root(getMetricGroup());
        failures = metrics.counter(VigilMetrics.DELIVERY_FAILURES);
        abandoned = metrics.counter(VigilMetrics.DELIVERIES_ABANDONED);
        superseded = metrics.counter(VigilMetrics.DELIVERIES_SUPERSEDED);
        metrics.gauge(VigilMetrics.PENDING_DELIVERIES, (Gauge<Integer>) () -> pendingCount);
        // restored deliveries go out as soon as the task runs
        post(this::pump, "alert delivery start");
    }

    @Override
    public void processElement(StreamRecord<AlertEvent> element) {
        // kept beyond this call: a copy, in case the job reuses objects
        AlertEvent alert = alertSerializer.copy(element.getValue());
        long now = now();
        boolean routed = false;
        for (Channel c : channels) {
            for (String route : c.routes(alert)) {
                routed = true;
                if (AlertGroups.groups(c, route)) {
                    continue; // the groups below take it
                }
                PendingDelivery p = new PendingDelivery(nextSeq++, c.sink(), route, Notification.of(alert), now);
                supersede(p, now);
                pending.put(p.seq, p);
                routed = true;
            }
        }
        if (!routed) {
            LOG.warn("Alert {} of rule {} matches no route of any channel", alert.alertId, alert.ruleId);
            output.collect(new StreamRecord<>(unrouted(Notification.of(alert), "none", "none", now)));
        }
        groups.add(alert, now);
        capPending(now);
        pump();
    }

    private void capPending(long now) {
        while (pending.size() > maxPending && abandonOldestWaiting(now)) {
            // each pass gives up one delivery
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        if (eventTime && !closed) {
            groups.advance(mark.getTimestamp(), this::enqueue);
            capPending(now());
            pump();
        }
    }

    /** A notification of a flushed group, pending like any delivery. */
    private void enqueue(String sink, String route, Notification n) {
        long now = now();
        if (n.digest != null) {
            output.collect(AlertDelivery.DIGESTS, new StreamRecord<>(n.digest));
        }
        PendingDelivery p = new PendingDelivery(nextSeq++, sink, route, n, now);
        supersede(p, now);
        pending.put(p.seq, p);
    }

    /**
     * Drops the pending state changes of {@code newer}'s alert on its route: only the newest is
     * worth sending. One whose request is out is judged on its outcome (delivered stays delivered).
     */
    private void supersede(PendingDelivery newer, long now) {
        if (eventTime && newer.notification.grouped()) {
            // on event time a watermark's jump can make several notifications of a group at
            // once: each is sent, in order, so a replay gives the same messages at any speed
            return;
        }
        List<PendingDelivery> older = new ArrayList<>();
        for (PendingDelivery q : pending.values()) {
            if (q.sink.equals(newer.sink) && q.target.equals(newer.target) && q.notification.key.equals(newer.notification.key)) {
                older.add(q);
                if (newer.notification.grouped() && q.notification.grouped()) {
                    carryResolved(q.notification, newer.notification);
                }
            }
        }
        for (PendingDelivery q : older) {
            if (inFlight.contains(q.seq)) {
                supersededInFlight.add(q.seq);
            } else if (q.resend) {
                // not a state change of its own: the newer one takes its place without a record
                pending.remove(q.seq);
            } else {
                pending.remove(q.seq);
                superseded.inc();
                output.collect(new StreamRecord<>(ended(q, DeliveryStatus.SUPERSEDED, "superseded by a newer state change", now)));
            }
        }
    }

    /**
     * A group's notification carries its resolved alerts once: a newer one that replaces it must
     * carry them too, or no one would hear they resolved.
     */
    private static void carryResolved(Notification older, Notification newer) {
        Set<String> carried = new HashSet<>(java.util.Arrays.asList(newer.alertIds()));
        List<AlertEvent> alerts = new ArrayList<>(java.util.Arrays.asList(newer.alerts));
        for (AlertEvent a : older.alerts) {
            if (a.state == io.vigil.model.AlertState.RESOLVED && carried.add(a.alertId)) {
                alerts.add(a);
            }
        }
        newer.alerts = alerts.toArray(new AlertEvent[0]);
    }

    /** Abandons the oldest delivery whose request is not out; false when every one is out. */
    private boolean abandonOldestWaiting(long now) {
        for (PendingDelivery p : pending.values()) {
            if (!inFlight.contains(p.seq)) {
                abandon(p, "queue full (" + maxPending + " pending)", now);
                return true;
            }
        }
        return false;
    }

    private void abandon(PendingDelivery p, String reason, long now) {
        pending.remove(p.seq);
        abandoned.inc();
        LOG.warn("Alert delivery {} abandoned: {}", p, reason);
        output.collect(new StreamRecord<>(ended(p, DeliveryStatus.ABANDONED, reason, now)));
    }

    /** The record of a delivery that ends without a request now: abandoned or superseded. */
    private static DeliveryRecord ended(PendingDelivery p, DeliveryStatus status, String reason, long now) {
        DeliveryRecord r = record(p.notification, p.sink, p.target);
        r.attempt = p.attempts;
        r.status = status;
        r.attemptedAt = now;
        r.error = reason;
        return r;
    }

    private boolean tooOld(PendingDelivery p, long now) {
        return now - p.queuedAt >= retry.maxAge().toMillis();
    }

    /**
     * Sends every delivery that is due, whose lane is free and has waited its interval, and that
     * no earlier state change of the same alert on the same lane is ahead of; then arranges to be
     * woken when the next one falls due.
     */
    private void pump() {
        pendingCount = pending.size();
        if (closed) {
            return;
        }
        for (DeliveryRecord r : unroutedAtRestore) {
            output.collect(new StreamRecord<>(r));
        }
        unroutedAtRestore.clear();
        long now = now();
        if (!eventTime) {
            groups.flushDue(now, this::enqueue);
            capPending(now);
        }
        List<PendingDelivery> expired = new ArrayList<>();
        for (PendingDelivery p : pending.values()) {
            if (!inFlight.contains(p.seq) && tooOld(p, now)) {
                expired.add(p);
            }
        }
        for (PendingDelivery p : expired) {
            abandon(p, "not delivered within " + io.vigil.config.Durations.format(retry.maxAge().toMillis()), now);
        }
        pendingCount = pending.size();
        long next = Long.MAX_VALUE;
        Set<String> ahead = new HashSet<>();
        for (PendingDelivery p : pending.values()) {
            Channel.Connection connection = connections.get(p.sink);
            String laneId = p.sink + "\u0000" + connection.lane(p.target);
            if (!ahead.add(laneId + "\u0000" + p.notification.key)) {
                continue;
            }
            Lane lane = lanes.computeIfAbsent(laneId, id -> new Lane());
            if (lane.busy) {
                continue;
            }
            long at = Math.max(p.dueAt, lane.nextSendAt);
            if (at > now) {
                next = Math.min(next, at);
                continue;
            }
            send(p, lane, connection, now);
        }
        // the oldest waiting delivery is abandoned at its age limit even if nothing else happens; one
        // in flight is judged when its answer comes (a wake-up for it now would fire at once, again
        // and again, until the answer came)
        long oldest = Long.MAX_VALUE;
        for (PendingDelivery p : pending.values()) {
            if (!inFlight.contains(p.seq)) {
                oldest = Math.min(oldest, p.queuedAt);
            }
        }
        if (oldest != Long.MAX_VALUE && oldest + retry.maxAge().toMillis() > now) {
            next = Math.min(next, oldest + retry.maxAge().toMillis());
        }
        if (!eventTime) {
            next = Math.min(next, groups.nextDue());
        }
        wakeAt(next);
    }

    private void send(PendingDelivery p, Lane lane, Channel.Connection connection, long now) {
        lane.busy = true;
        lane.nextSendAt = now + connection.minIntervalMillis();
        p.attempts++;
        inFlight.add(p.seq);
        long started = System.nanoTime();
        CompletableFuture<Outcome> result;
        try {
            result = connection.send(p.target, p.notification);
        } catch (RuntimeException e) {
            // a channel must not throw; if one does, only the exception's class is safe to record
            result = CompletableFuture.completedFuture(Outcome.retryable(null, e.getClass().getName()));
        }
        result.whenComplete((outcome, err) -> {
            Outcome o = err == null && outcome != null ? outcome
                    : Outcome.retryable(null, err == null ? "no outcome" : err.getClass().getName());
            long latency = (System.nanoTime() - started) / 1_000_000;
            post(() -> completed(p, lane, o, now, latency), "alert delivery outcome");
        });
    }

    /** On the task thread: records the attempt, and forgets the delivery or schedules its retry. */
    private void completed(PendingDelivery p, Lane lane, Outcome outcome, long attemptedAt, long latencyMs) {
        lane.busy = false;
        inFlight.remove(p.seq);
        boolean wasSuperseded = supersededInFlight.remove(p.seq);
        long now = now();
        // spaced from the end of the previous request too, so the server sees the gap whatever
        // the latencies (the next request arrives after this one's answer plus the interval)
        lane.nextSendAt = Math.max(lane.nextSendAt, now + connections.get(p.sink).minIntervalMillis());
        DeliveryRecord r = record(p.notification, p.sink, p.target);
        r.attempt = p.attempts;
        r.attemptedAt = attemptedAt;
        r.latencyMs = latencyMs;
        r.httpStatus = outcome.httpStatus();
        r.error = cap(outcome.error());
        r.messageId = outcome.messageId();
        if (outcome.kind() == Outcome.Kind.DELIVERED) {
            pending.remove(p.seq);
            r.status = DeliveryStatus.DELIVERED;
            LOG.debug("Delivered {}", p);
            long every = wasSuperseded || inputEnded || !p.notification.firing() ? 0
                    : bySink.get(p.sink).resendMillis(p.target);
            if (every > 0) {
                PendingDelivery again = new PendingDelivery(nextSeq++, p.sink, p.target, p.notification, now + every);
                again.resend = true;
                pending.put(again.seq, again);
                r.nextAttemptAt = again.dueAt;
            }
        } else if (wasSuperseded) {
            failures.inc();
            superseded.inc();
            pending.remove(p.seq);
            r.status = DeliveryStatus.SUPERSEDED;
        } else if (outcome.kind() == Outcome.Kind.REFUSED) {
            failures.inc();
            giveUp(p, r, "refused, not retried");
        } else if (outcome.kind() == Outcome.Kind.REJECTED && ++p.rejections >= retry.maxRejections()) {
            failures.inc();
            giveUp(p, r, "refused " + p.rejections + " times");
        } else if (tooOld(p, now)) {
            failures.inc();
            giveUp(p, r, "not delivered within " + io.vigil.config.Durations.format(retry.maxAge().toMillis()));
        } else {
            failures.inc();
            long wait;
            if (outcome.kind() == Outcome.Kind.REJECTED) {
                r.status = DeliveryStatus.REJECTED;
                wait = retry.slowRetry().toMillis();
            } else if (p.attempts < retry.maxAttempts()) {
                r.status = DeliveryStatus.RETRYING;
                wait = retry.backoffMillis(p.attempts, random);
            } else {
                r.status = DeliveryStatus.FAILED;
                wait = retry.slowRetry().toMillis();
            }
            if (outcome.retryAfterMillis() != Outcome.NO_RETRY_AFTER) {
                long asked = Math.min(outcome.retryAfterMillis(), retry.maxRetryAfter().toMillis());
                wait = Math.max(wait, asked);
                lane.nextSendAt = Math.max(lane.nextSendAt, now + asked);
            }
            p.dueAt = now + wait;
            r.nextAttemptAt = p.dueAt;
            if (r.status == DeliveryStatus.RETRYING) {
                LOG.info("Alert delivery {} {}: retry in {} ms", p, outcome, wait);
            } else {
                LOG.warn("Alert delivery {} {}: kept, retried in {} ms", p, outcome, wait);
            }
        }
        output.collect(new StreamRecord<>(r));
        pump();
    }

    /** Ends {@code p} with its last attempt's record {@code r}: abandoned, the reason before the attempt's error. */
    private void giveUp(PendingDelivery p, DeliveryRecord r, String reason) {
        pending.remove(p.seq);
        abandoned.inc();
        r.status = DeliveryStatus.ABANDONED;
        r.error = cap(reason + (r.error == null ? "" : ": " + r.error));
        LOG.warn("Alert delivery {} abandoned: {}", p, r.error);
    }

    /** Runs {@code action} on the task thread; after close the mailbox refuses, and state redelivers. */
    private void post(Runnable action, String description) {
        if (closed) {
            return;
        }
        try {
            mailbox.execute(action::run, description);
        } catch (RejectedExecutionException closing) {
            LOG.debug("Mailbox closed; {} dropped (pending deliveries stay in state)", description);
        }
    }

    /**
     * Makes sure a timer fires at {@code at} or earlier (one earlier or equal is enough: it pumps
     * and registers the next); {@code Long.MAX_VALUE}, nothing to wait for: the timer is cancelled,
     * so none outlives the deliveries it was for.
     */
    private void wakeAt(long at) {
        if (at == Long.MAX_VALUE) {
            if (wakeup != null) {
                wakeup.cancel(false);
                wakeup = null;
            }
            wakeupAt = Long.MAX_VALUE;
            return;
        }
        if (wakeupAt <= at) {
            return;
        }
        if (wakeup != null) {
            wakeup.cancel(false);
        }
        wakeupAt = at;
        long id = ++wakeupId;
        wakeup = getProcessingTimeService().registerTimer(at, time -> {
            // a timer cancelled after it fired may still run: it must not forget a newer one
            if (wakeupId == id) {
                wakeupAt = Long.MAX_VALUE;
                wakeup = null;
            }
            pump();
        });
    }

    private long now() {
        return getProcessingTimeService().getCurrentProcessingTime();
    }

    @Override
    public void endInput() throws Exception {
        // Nothing may be lost: the input is over, but this operator finishes only once every
        // delivery is confirmed (a failing channel keeps it here, retrying on the slow cadence).
        // Resends keep firing alerts alive only while the job runs: a finished job sends none.
        inputEnded = true;
        groups.end(now(), this::enqueue);
        List<PendingDelivery> resends = new ArrayList<>();
        for (PendingDelivery p : pending.values()) {
            if (p.resend && !inFlight.contains(p.seq)) {
                resends.add(p);
            }
        }
        for (PendingDelivery p : resends) {
            pending.remove(p.seq);
        }
        pump();
        if (!pending.isEmpty()) {
            LOG.info("Input ended; waiting for {} pending alert deliveries", pending.size());
        }
        while (!pending.isEmpty()) {
            mailbox.yield();
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // everything not confirmed, in flight or not: a restore sends it again
        state.update(new ArrayList<>(pending.values()));
        groupState.update(groups.groupList());
        heldState.update(groups.heldList());
        digestState.update(groups.digestList());
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (connections != null) {
            for (Channel.Connection c : connections.values()) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    LOG.warn("Could not close the {} connection: {}", c, e.getClass().getName());
                }
            }
        }
        super.close();
    }

    /** Errors are for people reading a table: a page of text at most. */
    private static String cap(String error) {
        return error == null || error.length() <= 1000 ? error : error.substring(0, 1000) + "…";
    }

    /** Deliveries not yet confirmed, for tests. */
    int pendingCount() {
        return pending.size();
    }

    /** Alert groups kept (grouping routes), for tests. */
    int groupCount() {
        return groups.size();
    }

    /** Alerts held for the watermark (replay), for tests. */
    int heldCount() {
        return groups.heldList().size();
    }

    /** The deliveriesAbandoned counter, for tests. */
    long abandonedCount() {
        return abandoned.getCount();
    }

    /** The deliveriesSuperseded counter, for tests. */
    long supersededCount() {
        return superseded.getCount();
    }

    private static DeliveryRecord record(Notification n, String sink, String route) {
        DeliveryRecord r = new DeliveryRecord();
        r.sink = sink;
        r.route = route;
        r.alertId = n.key;
        r.alertIds = n.alertIds();
        r.ruleId = n.ruleIds();
        r.severity = n.severity() == null ? null : n.severity().wire();
        if (n.digest != null) {
            r.state = "digest";
        } else if (n.grouped()) {
            r.state = (n.firing() ? io.vigil.model.AlertState.FIRING : io.vigil.model.AlertState.RESOLVED).wire();
        } else {
            r.state = n.first().state == null ? null : n.first().state.wire();
        }
        r.alertEmittedAt = n.madeAt;
        return r;
    }

    private static DeliveryRecord unrouted(Notification n, String sink, String route, long attemptedAt) {
        DeliveryRecord r = record(n, sink, route);
        r.attempt = 0;
        r.status = DeliveryStatus.UNROUTED;
        r.attemptedAt = attemptedAt;
        return r;
    }

    /** Creates the operator with the task's mailbox, through which outcomes come back. */
    static final class Factory extends AbstractStreamOperatorFactory<DeliveryRecord>
            implements OneInputStreamOperatorFactory<AlertEvent, DeliveryRecord> {
        private static final long serialVersionUID = 1L;

        private final List<Channel> channels;
        private final RetryPolicy retry;
        private final int maxPending;
        private final boolean eventTime;

        Factory(List<Channel> channels, RetryPolicy retry, int maxPending) {
            this(channels, retry, maxPending, false);
        }

        Factory(List<Channel> channels, RetryPolicy retry, int maxPending, boolean eventTime) {
            this.channels = new ArrayList<>(channels);
            this.retry = retry;
            this.maxPending = maxPending;
            this.eventTime = eventTime;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<DeliveryRecord>> T createStreamOperator(
                StreamOperatorParameters<DeliveryRecord> parameters) {
            return (T) new DeliveryOperator(channels, retry, maxPending, eventTime, parameters);
        }

        @Override
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return DeliveryOperator.class;
        }
    }
}
