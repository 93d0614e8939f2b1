package io.vigil.cep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.model.AuthEvent;
import io.vigil.model.Envelope;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RunEventType;
import io.vigil.rules.RulesFile;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link RunMatchOperator} against the real CEP operator of the same rule, fed the same randomized
 * arrivals and watermarks: many keys, runs of random length, gaps at, just under and just over the
 * rule's bounds, equal times, arrival shuffled within the watermark bound and a few late events.
 * Both must emit the same matches per key, in the same order, after the same watermark and with
 * the same record timestamp, also across a restore from a snapshot halfway; and the run operator
 * keeps no state and no timer once the watermark has passed the input and {@code within}.
 */
class RunMatchOperatorHarnessTest {
    private static final long T0 = 1_790_000_000_000L;
    private static final long SEC = 1000;
    private static final long MIN = 60 * SEC;
    private static final long BOUND = 30 * SEC;
    /** Seeds per rule; a longer soak: {@code -Drunmatch.seeds=200}. */
    private static final int SEEDS = Integer.getInteger("runmatch.seeds", 6);

    /** The same rule on CEP and on the run operator. */
    private static final class Pair implements AutoCloseable {
        private final String ruleId;
        PatternDriver cep;
        PatternDriver run;
        /** Output of the operators before their restarts. */
        final List<Object> cepBefore = new ArrayList<>();
        final List<Object> runBefore = new ArrayList<>();
        private final PatternFields fields;
        private final List<String> sent = new ArrayList<>();
        private long watermark = Long.MIN_VALUE;

        Pair(String ruleId, PatternSpec spec) throws Exception {
            this.ruleId = ruleId;
            this.cep = PatternDriver.onCep(ruleId, spec);
            this.run = PatternDriver.onRun(ruleId, spec);
            this.fields = spec.fields();
        }

        void send(Envelope e) throws Exception {
            PatternEvent p = fields.project(e);
            sent.add(fields.key(p) + " " + p + " (watermark " + watermark + ")");
            cep.process(e);
            run.process(e);
        }

        void watermark(long t) throws Exception {
            watermark = t;
            cep.watermark(t);
            run.watermark(t);
        }

        /** Both operators restored from a snapshot, as after a failure: state and timers go through their serializers. */
        void restart() throws Exception {
            cepBefore.addAll(cep.h.getOutput());
            runBefore.addAll(run.h.getOutput());
            cep = cep.restarted(ruleId);
            run = run.restarted(ruleId);
            sent.add("(both operators restored from a snapshot)");
        }

        List<Object> cepOutput() {
            List<Object> out = new ArrayList<>(cepBefore);
            out.addAll(cep.h.getOutput());
            return out;
        }

        List<Object> runOutput() {
            List<Object> out = new ArrayList<>(runBefore);
            out.addAll(run.h.getOutput());
            return out;
        }

        String arrivals(String key) {
            StringBuilder sb = new StringBuilder();
            for (String x : sent) {
                if (x.startsWith(key + " ") || x.startsWith("(")) {
                    sb.append("  ").append(x).append('\n');
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws Exception {
            cep.close();
            run.close();
        }
    }

    /**
     * Per key, each match as {@code after watermark #i @timestamp: fields}: what the harness
     * output says of when and what was emitted.
     */
    private static Map<String, List<String>> emitted(List<Object> output) {
        Map<String, List<String>> out = new TreeMap<>();
        int watermarks = 0;
        for (Object o : output) {
            if (o instanceof Watermark) {
                watermarks++;
            } else {
                @SuppressWarnings("unchecked")
                StreamRecord<PatternMatch> r = (StreamRecord<PatternMatch>) o;
                PatternMatch m = r.getValue();
                out.computeIfAbsent(m.key, k -> new ArrayList<>()).add("after watermark #" + watermarks + " @" + r.getTimestamp()
                        + ": " + m.ruleId + " | " + m.entity + " | " + m.events + " events " + m.firstEventTime + ".."
                        + m.eventTime + " | " + m.summary);
            }
        }
        return out;
    }

    /** What a differential run saw, to show the comparison is not vacuous. */
    private static final class Outcome {
        int matches;
        /** Matches CEP emitted later than their last event: held back by an older partial match. */
        int heldBack;
        int keys;
    }

    /**
     * Feeds {@code events} to both operators in arrival order (each event delayed by up to the
     * bound, a few by more: late), with the watermark {@code max seen - bound} after about half
     * of them, then a final watermark past everything; compares their output.
     */
    private static Outcome differential(String ruleId, PatternSpec spec, List<Envelope> events, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<long[]> arrival = new ArrayList<>(); // {arrival, index}
        for (int i = 0; i < events.size(); i++) {
            long delay = rnd.nextInt(100) == 0 ? BOUND + rnd.nextLong(2 * BOUND) : rnd.nextLong(BOUND);
            arrival.add(new long[] {events.get(i).eventTime + delay, i});
        }
        arrival.sort(Comparator.comparingLong((long[] a) -> a[0]).thenComparingLong(a -> a[1]));
        Outcome o = new Outcome();
        try (Pair p = new Pair(ruleId, spec)) {
            long maxSeen = Long.MIN_VALUE;
            long watermark = Long.MIN_VALUE;
            long last = Long.MIN_VALUE;
            int restartAt = arrival.size() / 2;
            for (long[] a : arrival) {
                if (--restartAt == 0) {
                    p.restart();
                    if (watermark > Long.MIN_VALUE) {
                        // a restored operator's watermark starts over; the input sends its own again
                        // before any event, as a restored source does (CEP, fed events behind its old
                        // watermark before that, can fail on them: two events with one event id)
                        p.watermark(watermark);
                    }
                }
                Envelope e = events.get((int) a[1]);
                p.send(e);
                maxSeen = Math.max(maxSeen, e.eventTime);
                last = Math.max(last, e.eventTime);
                if (rnd.nextBoolean() && maxSeen - BOUND > watermark) {
                    watermark = maxSeen - BOUND;
                    p.watermark(watermark);
                }
            }
            p.watermark(last + spec.withinMs + 1);
            Map<String, List<String>> cep = emitted(p.cepOutput());
            Map<String, List<String>> run = emitted(p.runOutput());
            for (String key : union(cep, run)) {
                // key by key: a diff of the whole map would take AssertJ minutes
                if (!Objects.equals(cep.get(key), run.get(key))) {
                    assertThat(run.get(key)).as("matches of %s (seed %d), run operator against CEP; its events in arrival "
                            + "order:%n%s", key, seed, p.arrivals(key)).isEqualTo(cep.get(key));
                }
            }
            assertThat(p.run.keyedStateEntries()).as("state left").isZero();
            assertThat(p.run.eventTimeTimers()).as("timers left").isZero();
            for (Object x : p.cepOutput()) {
                if (!(x instanceof StreamRecord)) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                StreamRecord<PatternMatch> r = (StreamRecord<PatternMatch>) x;
                o.matches++;
                o.heldBack += r.getTimestamp() > r.getValue().eventTime ? 1 : 0;
            }
            o.keys = cep.size();
        }
        return o;
    }

    private static Set<String> union(Map<String, List<String>> a, Map<String, List<String>> b) {
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static PatternSpec spec(String pattern) throws Exception {
        List<String> errors = new ArrayList<>();
        PatternSpec s = PatternSpecs.parse(new ObjectMapper(new YAMLFactory()).readTree(pattern + "resolve: {after: 1h}\n"), "r", errors);
        assertThat(errors).isEmpty();
        return s;
    }

    private static Envelope auth(long t, String user, String computer, String orientation, boolean success) {
        AuthEvent a = new AuthEvent();
        a.time = t;
        a.sourceUser = user;
        a.sourceDomain = "DOM1";
        a.destinationUser = user;
        a.destinationDomain = "DOM1";
        a.sourceComputer = computer;
        a.destinationComputer = "C586";
        a.authType = "NTLM";
        a.logonType = "Network";
        a.orientation = orientation;
        a.success = success;
        return Envelope.of("lanl", a);
    }

    private static Envelope run(long t, String job, RunEventType type) {
        PipelineRunEvent r = new PipelineRunEvent();
        r.eventTime = t;
        r.eventType = type;
        r.jobNamespace = "etl";
        r.jobName = job;
        r.runId = job + "-" + t;
        r.producer = "https://github.com/apache/airflow";
        return Envelope.of("lineage", r);
    }

    /**
     * A gap between a key's events: often none (equal times) or short (runs inside the bounds),
     * often a bound (or a fraction of it) exactly, a second under or a second over, sometimes long.
     */
    private static long gap(SplittableRandom rnd, long... bounds) {
        int r = rnd.nextInt(100);
        if (r < 12) {
            return 0;
        }
        if (r < 50) {
            return (1 + rnd.nextInt(40)) * SEC;
        }
        if (r < 80) {
            long b = bounds[rnd.nextInt(bounds.length)] / (1 + rnd.nextInt(5));
            return Math.max(0, b + (rnd.nextInt(3) - 1) * SEC);
        }
        if (r < 92) {
            return (1 + rnd.nextInt(300)) * SEC;
        }
        long w = bounds[bounds.length - 1];
        return w + rnd.nextLong(w);
    }

    /**
     * Logons of many users: per user a share of failed LogOns (from 30 % to 95 %), the rest
     * successful, with LogOffs and TGS requests between (other events for rules that admit them).
     */
    private static List<Envelope> logons(long seed, int users, int perUser, long... bounds) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Envelope> out = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = "U" + u;
            long t = T0 + rnd.nextLong(30 * MIN);
            int failPercent = 30 + rnd.nextInt(66);
            for (int i = 0; i < perUser; i++) {
                t += gap(rnd, bounds);
                int kind = rnd.nextInt(100);
                String orientation = kind < 8 ? "LogOff" : kind < 11 ? "TGS" : "LogOn";
                out.add(auth(t, user, "C" + (1 + rnd.nextInt(4)), orientation, rnd.nextInt(100) >= failPercent));
            }
        }
        return out;
    }

    /** Finished and other runs of many jobs, each with its own share of failures. */
    private static List<Envelope> runs(long seed, int jobs, int perJob, long... bounds) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Envelope> out = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            long t = T0 + rnd.nextLong(30 * MIN);
            int failPercent = 30 + rnd.nextInt(66);
            for (int i = 0; i < perJob; i++) {
                t += gap(rnd, bounds);
                int kind = rnd.nextInt(100);
                RunEventType type = kind < 10 ? RunEventType.START : kind < 14 ? RunEventType.ABORT
                        : rnd.nextInt(100) < failPercent ? RunEventType.FAIL : RunEventType.COMPLETE;
                out.add(run(t, "job" + j, type));
            }
        }
        return out;
    }

    private static Outcome everySeed(String ruleId, PatternSpec spec, BiFunction<Long, PatternSpec, List<Envelope>> input)
            throws Exception {
        Outcome all = new Outcome();
        for (long seed = 1; seed <= SEEDS; seed++) {
            Outcome o = differential(ruleId, spec, input.apply(seed, spec), seed);
            all.matches += o.matches;
            all.heldBack += o.heldBack;
            all.keys += o.keys;
        }
        System.out.printf("%s: %,d matches (%,d held back) over %,d keys with matches%n", ruleId, all.matches, all.heldBack, all.keys);
        return all;
    }

    @Test
    void authBruteforceAsCepFindsIt() throws Exception {
        PatternSpec spec = PatternDriver.defaultSpec("auth_bruteforce");
        Outcome o = everySeed("auth_bruteforce", spec, (seed, s) -> logons(seed, 150, 40, 10 * MIN, 10 * MIN, 20 * MIN));
        assertThat(o.matches).isGreaterThan(100);
        assertThat(o.heldBack).as("matches CEP holds back behind an older partial match").isPositive();
    }

    @Test
    void jobConsecutiveFailuresAsCepFindsIt() throws Exception {
        PatternSpec spec = PatternDriver.defaultSpec("job_consecutive_failures");
        Outcome o = everySeed("job_consecutive_failures", spec, (seed, s) -> runs(seed, 100, 40, 8 * 3600 * SEC, 24 * 3600 * SEC));
        assertThat(o.matches).isGreaterThan(100);
    }

    @Test
    void abacoPipelineFailureAsCepFindsIt() throws Exception {
        PatternSpec spec = RulesFile.load(Paths.get("../conf/packs/abaco-loans.yaml")).rule("abaco_pipeline_failure").pattern;
        // its jobs are abaco-loans/*: the same runs under that namespace
        Outcome o = everySeed("abaco_pipeline_failure", spec, (seed, s) -> {
            List<Envelope> out = runs(seed, 60, 30, 30 * MIN, 60 * MIN);
            out.forEach(e -> e.run.jobNamespace = "abaco-loans");
            return out;
        });
        assertThat(o.matches).isGreaterThan(100);
    }

    /** Sub-shapes the default rules do not use: exact counts, strict or relaxed last steps, runs alone. */
    @ParameterizedTest
    @ValueSource(strings = {
        // exactly N, a strict last step close to the run
        "steps:\n  - {name: guess, where: {outcome: failure, orientation: LogOn}, times: 3, within: 2m, contiguity: strict}\n"
                + "  - {name: success, where: {outcome: success, orientation: LogOn}, within_previous: 1m, contiguity: strict}\nwithin: 5m\n",
        // exactly N, no span of its own, a relaxed last step without within_previous
        "steps:\n  - {name: guess, where: {outcome: failure}, times: 4, contiguity: strict}\n"
                + "  - {name: success, where: {outcome: success, orientation: LogOn}}\nwithin: 10m\n",
        // N or more, a strict last step
        "steps:\n  - {name: guess, where: {outcome: failure, orientation: LogOn}, times: 2+, within: 1m, contiguity: strict}\n"
                + "  - {name: success, where: {outcome: success}, within_previous: 30s, contiguity: strict}\nwithin: 3m\n",
        // 1 or more, a relaxed last step, no span
        "steps:\n  - {name: guess, where: {outcome: failure, orientation: LogOn}, times: 1+, contiguity: strict}\n"
                + "  - {name: success, where: {outcome: success}, within_previous: 90s}\nwithin: 2m\n",
        // N or more with a short span, a relaxed last step soon after: runs slide and partial matches hold others back
        "steps:\n  - {name: guess, where: {outcome: failure}, times: 3+, within: 1m, contiguity: strict}\n"
                + "  - {name: success, where: {outcome: success}, within_previous: 30s}\nwithin: 2m\n",
        // one event, then a relaxed last step
        "steps:\n  - {name: guess, where: {outcome: failure, orientation: LogOn}}\n"
                + "  - {name: success, where: {outcome: success, orientation: LogOn}, within_previous: 1m}\nwithin: 3m\n",
        // a run alone: N or more, N exactly, one event
        "steps:\n  - {name: guess, where: {outcome: failure}, times: 2+, within: 1m, contiguity: strict}\nwithin: 5m\n",
        "steps:\n  - {name: guess, where: {outcome: failure, orientation: LogOn}, times: 4, contiguity: strict}\nwithin: 3m\n",
        "steps:\n  - {name: guess, where: {outcome: failure, orientation: LogOff}}\nwithin: 1h\n",
    })
    void otherRunShapesAsCepFindsThem(String steps) throws Exception {
        String pattern = "pattern:\n  events: {family: auth}\n  key: destination_user\n  entity: [source_computer]\n"
                + steps.replaceAll("(?m)^", "  ");
        PatternSpec spec = spec(pattern);
        Outcome o = everySeed("r", spec, (seed, s) -> logons(seed, 120, 40, s.steps[0].withinMs > 0 ? s.steps[0].withinMs : MIN,
                s.steps.length > 1 && s.steps[1].withinPreviousMs > 0 ? s.steps[1].withinPreviousMs : MIN, s.withinMs));
        assertThat(o.matches).isGreaterThan(50);
    }
}
