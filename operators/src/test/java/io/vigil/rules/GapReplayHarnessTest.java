package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AlertEvent;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.parse.RecordDecoder;
import io.vigil.testing.Samples;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Replay across a global gap (no data in any input for ten days), through the event-time clock,
 * the evaluator and the notification policy wired as in the job, with each channel between them
 * delivered in its own order and the channels interleaved in many ways: a firing staleness alert
 * repeats before the gap as before, not inside it, and again from the first repeat slot after it;
 * the delivered alerts are the same, field for field, whichever channel ran ahead.
 */
class GapReplayHarnessTest {
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final long DAY = 24 * 60 * MIN;
    private static final String RULES = "  - id: auth_stale\n    kind: source_stale\n    select: {family: auth}\n"
            + "    warning: 5m\n    critical: 15m\n    repeat_interval: 4h\n"
            + "    retention: 60d\n"; // longer than the gaps here: not retired in them

    private final RecordDecoder decoder = new RecordDecoder(() -> T0 + 365 * DAY);

    // ---- the scripts --------------------------------------------------------------------------

    /**
     * A logon at T0, then only metrics, one a minute, for {@code before} minutes; ten days of
     * nothing; metrics for twelve hours, and a logon {@code authBack} minutes after the gap (or none).
     * A watermark follows each minute; one comes inside the gap, before the first record after it
     * has been passed (as when the inputs before the gap have ended).
     */
    private List<Object> script(int before, Integer authBack) {
        List<Object> s = new ArrayList<>();
        s.add(line(InputFormat.LANL_AUTH, "auth", EvaluatorDriver.lanl(T0, "U1", "C2", "Success")));
        long gapEnd = T0 + before * MIN + 10 * DAY;
        for (int m = 0; m < before; m++) {
            s.add(line(InputFormat.METRICS, "kpi", EvaluatorDriver.metric("heartbeat", 1, T0 + m * MIN)));
            s.add(T0 + m * MIN);
        }
        s.add(gapEnd - 30_001);
        for (int m = 0; m < 12 * 60; m++) {
            long t = gapEnd + m * MIN;
            s.add(line(InputFormat.METRICS, "kpi", EvaluatorDriver.metric("heartbeat", 1, t)));
            if (authBack != null && m == authBack) {
                s.add(line(InputFormat.LANL_AUTH, "auth", EvaluatorDriver.lanl(t + 5_000, "U1", "C2", "Success")));
            }
            s.add(t);
        }
        s.add(Long.MAX_VALUE);
        return s;
    }

    private Envelope line(InputFormat f, String source, String text) {
        Envelope e = decoder.decode(Samples.raw(f, text));
        e.source = source;
        return e;
    }

    // ---- the tests ----------------------------------------------------------------------------

    @Test
    void aStaleSourceRepeatsBeforeTheGapNotInsideItAndAgainAfterIt() throws Exception {
        List<String> evaluated = new ArrayList<>();
        List<String> alerts = run(script(12 * 60, null), Order.LOCKSTEP, 0, evaluated);
        assertThat(evaluated).as("the evaluator itself skips the gap").isEqualTo(alerts);
        long g = 12 * 60 + 10 * 24 * 60; // the gap's end, in minutes after T0
        assertThat(alerts).containsExactly(
                "firing warning @5 since 5: source auth silent for 5m (warning: at least 5m)",
                "firing critical @15 since 5: source auth silent for 15m (critical: at least 15m)",
                "firing critical @255 since 5: source auth silent for 15m (critical: at least 15m)",
                "firing critical @495 since 5: source auth silent for 4h15m (critical: at least 15m)",
                // the next slots, 735m and on, lie in the gap; the first at or after its end:
                "firing critical @" + (g + 15) + " since 5: source auth silent for 8h15m (critical: at least 15m)",
                "firing critical @" + (g + 255) + " since 5: source auth silent for " + (g + 15) / 60
                        + "h15m (critical: at least 15m)",
                "firing critical @" + (g + 495) + " since 5: source auth silent for " + (g + 255) / 60
                        + "h15m (critical: at least 15m)");
    }

    @Test
    void theAlertsDoNotDependOnWhichChannelRanAhead() throws Exception {
        List<Object> stays = script(12 * 60, null);
        List<Object> returns = script(3 * 60, 120);
        List<String> expected = run(returns, Order.LOCKSTEP, 0);
        long g = 3 * 60 + 10 * 24 * 60;
        assertThat(expected).containsExactly(
                "firing warning @5 since 5: source auth silent for 5m (warning: at least 5m)",
                "firing critical @15 since 5: source auth silent for 15m (critical: at least 15m)",
                // slots are 15m + 4h·k: 255m and on lie in the gap, G + 75m is the first after it
                "firing critical @" + (g + 75) + " since 5: source auth silent for 15m (critical: at least 15m)",
                "resolved critical @" + (g + 120) + " since 5: source auth is fresh again",
                "firing warning @" + (g + 125) + " since " + (g + 125) + ": source auth silent for 5m (warning: at least 5m)",
                "firing critical @" + (g + 135) + " since " + (g + 125) + ": source auth silent for 15m (critical: at least 15m)",
                "firing critical @" + (g + 375) + " since " + (g + 125) + ": source auth silent for 15m (critical: at least 15m)",
                "firing critical @" + (g + 615) + " since " + (g + 125) + ": source auth silent for 4h15m (critical: at least 15m)");
        List<String> staying = run(stays, Order.LOCKSTEP, 0);
        for (Order order : Order.values()) {
            for (int seed = 0; seed < (order == Order.RANDOM ? 12 : 1); seed++) {
                assertThat(run(returns, order, seed)).as("%s %s, the source returns", order, seed).isEqualTo(expected);
                assertThat(run(stays, order, seed)).as("%s %s, the source stays silent", order, seed).isEqualTo(staying);
            }
        }
    }

    @Test
    void nightlyGapsKeepTheRepeatsInTheDayAndTheGapsFew() throws Exception {
        List<Object> s = new ArrayList<>();
        s.add(line(InputFormat.LANL_AUTH, "auth", EvaluatorDriver.lanl(T0, "U1", "C2", "Success")));
        for (int day = 0; day < 30; day++) {
            for (int m = 0; m < 10 * 60; m += 10) { // ten hours of data, then fourteen without
                long t = T0 + day * DAY + m * MIN;
                s.add(line(InputFormat.METRICS, "kpi", EvaluatorDriver.metric("heartbeat", 1, t)));
                s.add(t);
            }
        }
        s.add(Long.MAX_VALUE);
        long gaps;
        int most = 0;
        List<AlertEvent> alerts;
        try (Pipeline p = new Pipeline(EvaluatorDriver.rules(RULES))) {
            for (Object o : s) {
                p.enqueue(o);
                while (p.step(p.toClock) || p.step(p.clockToEvaluator) || p.step(p.clockToPolicy) || p.step(p.toEvaluator)
                        || p.step(p.evaluatorToPolicy)) {
                    most = Math.max(most, p.gapsKept());
                }
            }
            gaps = p.clockOutput.stream().filter(c -> c.gapTo != Long.MIN_VALUE).count();
            alerts = p.policy.extractOutputValues();
        }
        assertThat(gaps).isEqualTo(29);
        assertThat(most).as("gaps kept by the evaluator").isLessThanOrEqualTo(2);
        // day one: warning at 5m, critical at 15m, repeats at 4h15m and 8h15m; each later day repeats
        // at 0h15m, 4h15m and 8h15m (slots 15m + 4h·k; those from 12h15m to 20h15m lie in the night)
        assertThat(alerts).hasSize(2 + 29 * 3 + 2);
        assertThat(alerts).allSatisfy(a -> assertThat(Math.floorMod(a.eventTime - T0, DAY)).isLessThan(10 * 60 * MIN));
    }

    // ---- the pipeline -------------------------------------------------------------------------

    /** How the channels are interleaved. */
    private enum Order {
        /** Each record and watermark all the way through before the next. */
        LOCKSTEP,
        /** The evaluator sees every record before any clock tick, gap or watermark of the clock. */
        CONTROL_LAST,
        /** The clock's output first; the evaluator's records and own watermarks after it. */
        RECORDS_LAST,
        /** The notification policy sees nothing of the evaluator until the end. */
        POLICY_LAST,
        /** Random chunks of random channels. */
        RANDOM
    }

    private static List<String> run(List<Object> script, Order order, int seed) throws Exception {
        return run(script, order, seed, new ArrayList<>());
    }

    /** The delivered alerts; {@code evaluated} receives the evaluator's own. */
    private static List<String> run(List<Object> script, Order order, int seed, List<String> evaluated) throws Exception {
        try (Pipeline p = new Pipeline(EvaluatorDriver.rules(RULES))) {
            if (order == Order.LOCKSTEP) {
                for (Object o : script) {
                    p.enqueue(o);
                    p.drain(p.toClock, p.clockToEvaluator, p.clockToPolicy, p.toEvaluator, p.evaluatorToPolicy);
                }
            } else {
                script.forEach(p::enqueue);
                switch (order) {
                    case CONTROL_LAST:
                        p.drain(p.toClock, p.toEvaluator, p.evaluatorToPolicy, p.clockToPolicy, p.clockToEvaluator);
                        break;
                    case RECORDS_LAST:
                        p.drain(p.toClock, p.clockToEvaluator, p.clockToPolicy, p.evaluatorToPolicy, p.toEvaluator);
                        break;
                    case POLICY_LAST:
                        p.drain(p.toClock, p.clockToEvaluator, p.toEvaluator, p.clockToPolicy, p.evaluatorToPolicy);
                        break;
                    default:
                        Random r = new Random(seed);
                        List<Deque<Object>> channels = List.of(p.toClock, p.toEvaluator, p.clockToEvaluator, p.clockToPolicy,
                                p.evaluatorToPolicy);
                        while (channels.stream().anyMatch(c -> !c.isEmpty())) {
                            Deque<Object> c = channels.get(r.nextInt(channels.size()));
                            for (int n = 1 + r.nextInt(200); n > 0 && p.step(c); n--) {
                                // delivered
                            }
                        }
                }
            }
            p.evaluated.stream().map(GapReplayHarnessTest::describe).forEach(evaluated::add);
            return p.policy.extractOutputValues().stream().map(GapReplayHarnessTest::describe).collect(Collectors.toList());
        }
    }

    private static String describe(AlertEvent a) {
        assertThat(a.emittedAt).isEqualTo(a.eventTime);
        return a.state.wire() + " " + a.severity.wire() + " @" + (a.eventTime - T0) / MIN + " since " + (a.startsAt - T0) / MIN
                + ": " + a.summary;
    }

    /**
     * The clock, the evaluator and the notification policy, in replay, with the channels of the
     * job between them: each a queue delivered in order, the queues in any interleaving.
     */
    private static final class Pipeline implements AutoCloseable {
        final RuleSet set;
        final OneInputStreamOperatorTestHarness<ClockMark, Control> clock;
        final EvaluatorHarness evaluator;
        final KeyedBroadcastOperatorTestHarness<String, AlertEvent, Control, AlertEvent> policy;
        /** Records and watermarks (as Long) of the inputs, to the clock. */
        final Deque<Object> toClock = new ArrayDeque<>();
        /** The same, routed per rule, to the evaluator's keyed side. */
        final Deque<Object> toEvaluator = new ArrayDeque<>();
        /** The clock's broadcast output, to each of its two readers. */
        final Deque<Object> clockToEvaluator = new ArrayDeque<>();
        final Deque<Object> clockToPolicy = new ArrayDeque<>();
        final Deque<Object> evaluatorToPolicy = new ArrayDeque<>();
        final List<Control> clockOutput = new ArrayList<>();
        final List<AlertEvent> evaluated = new ArrayList<>();

        Pipeline(RuleSet set) throws Exception {
            this.set = set;
            clock = new OneInputStreamOperatorTestHarness<>(new ClockOperator(true));
            clock.open();
            evaluator = new EvaluatorHarness(set, true);
            evaluator.open();
            policy = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                    new NotificationPolicy(set, new Silence[0], true), a -> NotificationPolicy.KEY, Types.STRING,
                    RuleStates.RULES, RuleStates.CLOCK, RuleStates.SILENCES, RuleStates.GAPS);
        }

        void enqueue(Object o) {
            toClock.add(o);
            if (o instanceof Envelope) {
                List<RuleInput> routed = new ArrayList<>();
                for (Rule r : set.rules) {
                    EvaluatorDriver.routeOne(r, (Envelope) o, routed);
                }
                toEvaluator.addAll(routed);
            } else {
                toEvaluator.add(o);
            }
        }

        /** Delivers until every channel is empty, always from the first non-empty in {@code priority}. */
        @SafeVarargs
        final void drain(Deque<Object>... priority) throws Exception {
            boolean any = true;
            while (any) {
                any = false;
                for (Deque<Object> c : priority) {
                    if (step(c)) {
                        any = true;
                        break;
                    }
                }
            }
        }

        /** Delivers the next element of a channel; false when it is empty. */
        boolean step(Deque<Object> channel) throws Exception {
            Object o = channel.poll();
            if (o == null) {
                return false;
            }
            if (channel == toClock) {
                if (o instanceof Envelope) {
                    ClockMark m = ClockMark.of((Envelope) o);
                    if (m != null) {
                        clock.processElement(new StreamRecord<>(m, m.time));
                    }
                } else {
                    clock.processWatermark((Long) o);
                }
                for (Object out : taken(clock.getOutput())) {
                    if (out instanceof Control) {
                        clockOutput.add((Control) out);
                    }
                    clockToEvaluator.add(out);
                    clockToPolicy.add(out);
                }
            } else if (channel == toEvaluator || channel == clockToEvaluator) {
                if (o instanceof RuleInput) {
                    evaluator.processElement((RuleInput) o, ((RuleInput) o).eventTime);
                } else if (o instanceof Control) {
                    evaluator.processBroadcastElement((Control) o, 0);
                } else if (channel == toEvaluator) {
                    evaluator.processWatermark((Long) o);
                } else {
                    evaluator.processBroadcastWatermark((Long) o);
                }
                for (Object out : taken(evaluator.getOutput())) {
                    if (out instanceof AlertEvent) {
                        evaluated.add((AlertEvent) out);
                    }
                    evaluatorToPolicy.add(out);
                }
            } else if (channel == clockToPolicy) {
                if (o instanceof Control) {
                    policy.processBroadcastElement((Control) o, 0);
                } else {
                    policy.processBroadcastWatermark((Long) o);
                }
            } else if (o instanceof AlertEvent) {
                policy.processElement((AlertEvent) o, ((AlertEvent) o).eventTime);
            } else {
                policy.processWatermark((Long) o);
            }
            return true;
        }

        /** What an operator emitted since last asked: values, and watermarks as Long. */
        private static List<Object> taken(Queue<Object> output) {
            List<Object> out = new ArrayList<>();
            for (Object o = output.poll(); o != null; o = output.poll()) {
                out.add(o instanceof Watermark ? (Object) ((Watermark) o).getTimestamp() : ((StreamRecord<?>) o).getValue());
            }
            return out;
        }

        /** How many gaps the evaluator keeps in its broadcast state. */
        int gapsKept() throws Exception {
            int n = 0;
            for (Map.Entry<Long, Long> ignored : evaluator.getOperator().getOperatorStateBackend()
                    .getBroadcastState(RuleStates.GAPS).entries()) {
                n++;
            }
            return n;
        }

        @Override
        public void close() throws Exception {
            clock.close();
            evaluator.close();
            policy.close();
        }
    }
}
