package io.vigil.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.parse.RecordDecoder;
import io.vigil.testing.Samples;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Drives the operator {@link PatternStreams} runs each default pattern rule on through elements and
 * watermarks ({@link RunMatchOperator} for auth_bruteforce and job_consecutive_failures, Flink CEP
 * for job_flapping; RunMatchOperatorHarnessTest holds the first to CEP's results): it
 * fires on the exact event and not one event short, not outside its time bounds, once per
 * incident, the same on input shuffled within the out-of-orderness bound, and leaves no keyed
 * state or timer behind once the watermark has passed a key's partial matches and {@code within}.
 */
class PatternHarnessTest {
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final long SEC = 1000;
    private static final long MIN = 60 * SEC;
    private static final long HOUR = 60 * MIN;
    /** The out-of-orderness the job's watermarks allow. */
    private static final long BOUND = 30 * SEC;
    private static final RecordDecoder DECODER = new RecordDecoder(() -> T0 + 365L * 24 * HOUR);

    private static Envelope decode(InputFormat f, String text) {
        Envelope e = DECODER.decode(Samples.raw(f, text));
        assertThat(e.isValid()).as(text).isTrue();
        return e;
    }

    /** A LANL auth.txt line: the user logs on to C586 from {@code src}. */
    private static Envelope logon(long t, String user, String src, String orientation, String outcome) {
        return decode(InputFormat.LANL_AUTH, (t / 1000) + "," + user + "@DOM1," + user + "@DOM1," + src + ",C586,NTLM,Network,"
                + orientation + "," + outcome);
    }

    private static Envelope fail(long t, String user, String src) {
        return logon(t, user, src, "LogOn", "Fail");
    }

    private static Envelope ok(long t, String user, String src) {
        return logon(t, user, src, "LogOn", "Success");
    }

    /** An OpenLineage run event of job {@code etl/JOB}. */
    private static Envelope run(long t, String job, String type) {
        return decode(InputFormat.OPENLINEAGE, "{\"eventType\":\"" + type + "\",\"eventTime\":\"" + Instant.ofEpochMilli(t)
                + "\",\"run\":{\"runId\":\"r-" + job + "-" + t + "\"},\"job\":{\"namespace\":\"etl\",\"name\":\"" + job + "\"},"
                + "\"producer\":\"https://github.com/apache/airflow\"}");
    }

    /** Finished runs of one job at {@code start}, one every {@code everyMs}: F for FAIL, C for COMPLETE. */
    private static List<Envelope> runs(String job, long start, long everyMs, String outcomes) {
        List<Envelope> out = new ArrayList<>();
        for (int i = 0; i < outcomes.length(); i++) {
            out.add(run(start + i * everyMs, job, outcomes.charAt(i) == 'F' ? "FAIL" : "COMPLETE"));
        }
        return out;
    }

    private static List<String> fed(String ruleId, List<Envelope> events, long endWatermark) throws Exception {
        try (PatternDriver d = PatternDriver.forDefault(ruleId)) {
            d.replay(events, BOUND);
            d.watermark(endWatermark);
            return d.described(T0);
        }
    }

    /**
     * The arrival order of events whose times are shuffled by less than {@code bound}: each event
     * is delayed by a random amount below the bound, so none arrives behind the watermark
     * {@code max seen - bound}.
     */
    private static List<Envelope> shuffledWithin(List<Envelope> events, long bound, long seed) {
        Random rnd = new Random(seed);
        Map<Envelope, Long> arrival = new HashMap<>();
        for (Envelope e : events) {
            arrival.put(e, e.eventTime + (long) (rnd.nextDouble() * (bound - 1)));
        }
        List<Envelope> out = new ArrayList<>(events);
        out.sort(Comparator.comparing(arrival::get));
        return out;
    }

    private static List<Envelope> sorted(List<Envelope> events) {
        List<Envelope> out = new ArrayList<>(events);
        out.sort(Comparator.comparingLong(e -> e.eventTime));
        return out;
    }

    private static long last(List<Envelope> events) {
        return events.stream().mapToLong(e -> e.eventTime).max().orElseThrow();
    }

    /** The same matches, in any order across keys, for sorted and for shuffled input. */
    private static void sameMatchesSortedAndShuffled(String ruleId, List<Envelope> events, int expected) throws Exception {
        long end = last(events) + 25 * HOUR;
        List<String> inOrder = fed(ruleId, sorted(events), end);
        assertThat(inOrder).hasSize(expected);
        for (long seed = 1; seed <= 5; seed++) {
            List<Envelope> shuffled = shuffledWithin(events, BOUND, seed);
            assertThat(shuffled).isNotEqualTo(sorted(events));
            assertThat(fed(ruleId, shuffled, end)).containsExactlyInAnyOrderElementsOf(inOrder);
        }
    }

    @Nested
    class AuthBruteforce {
        private static final String RULE = "auth_bruteforce";

        @Test
        void firesOnTheSuccessfulLogonNamingTheUserAndTheComputers() throws Exception {
            try (PatternDriver d = PatternDriver.forDefault(RULE)) {
                List<Envelope> events = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    events.add(fail(T0 + i * MIN, "U666", "C17"));
                }
                events.add(ok(T0 + 100 * SEC, "U1", "C5")); // another user, same minutes
                events.add(fail(T0 + 200 * SEC, "U1", "C5"));
                events.add(ok(T0 + 7 * MIN, "U666", "C42"));
                for (Envelope e : sorted(events)) {
                    d.send(e);
                }
                d.watermark(T0 + 7 * MIN - 1);
                assertThat(d.matches()).as("CEP emits once the watermark reaches the success").isEmpty();
                d.watermark(T0 + 7 * MIN);
                assertThat(d.described(T0)).containsExactly("@420s destination user U666@DOM1 from C17,C42: 5 failed LogOn "
                        + "attempts against U666@DOM1 from C17 within 4m, then a successful LogOn from C42 (6 events)");
                PatternMatch m = d.matches().get(0);
                assertThat(new Object[] {m.ruleId, m.key, m.eventTime, m.firstEventTime})
                        .containsExactly(RULE, "U666@DOM1", T0 + 7 * MIN, T0);
            }
        }

        @Test
        void doesNotFireOneFailureShortOrOnFailuresOfOtherKinds() throws Exception {
            List<Envelope> events = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                events.add(fail(T0 + i * MIN, "U666", "C17"));
            }
            events.add(logon(T0 + 4 * MIN, "U666", "C17", "TGS", "Fail")); // not a LogOn: not admitted
            events.add(fail(T0 + 5 * MIN, "U667", "C17")); // another user
            events.add(ok(T0 + 6 * MIN, "U666", "C42"));
            assertThat(fed(RULE, events, T0 + HOUR)).isEmpty();
        }

        @Test
        void aSuccessfulLogonBetweenFailuresStartsTheCountAgain() throws Exception {
            List<Envelope> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                events.add(fail(T0 + i * MIN, "U666", "C17"));
            }
            events.add(ok(T0 + 3 * MIN, "U666", "C17"));
            for (int i = 4; i < 6; i++) {
                events.add(fail(T0 + i * MIN, "U666", "C17"));
            }
            events.add(ok(T0 + 7 * MIN, "U666", "C42"));
            assertThat(fed(RULE, events, T0 + HOUR)).isEmpty();
        }

        @Test
        void doesNotFireWhenTheFailuresSpreadOverTenMinutesOrMore() throws Exception {
            List<Envelope> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                events.add(fail(T0 + i * 150 * SEC, "U666", "C17")); // 0 .. 10m: the fifth is 10m after the first
            }
            events.add(ok(T0 + 11 * MIN, "U666", "C42"));
            assertThat(fed(RULE, events, T0 + HOUR)).isEmpty();

            events.set(4, fail(T0 + 10 * MIN - SEC, "U666", "C17")); // 9m59s: inside
            assertThat(fed(RULE, events, T0 + HOUR)).hasSize(1);
        }

        @Test
        void doesNotFireWhenTheSuccessComesTenMinutesOrMoreAfterTheLastFailure() throws Exception {
            List<Envelope> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                events.add(fail(T0 + i * MIN, "U666", "C17"));
            }
            events.add(ok(T0 + 14 * MIN, "U666", "C42")); // exactly 10m after the last failure
            assertThat(fed(RULE, events, T0 + HOUR)).isEmpty();

            events.set(5, ok(T0 + 14 * MIN - SEC, "U666", "C42"));
            assertThat(fed(RULE, events, T0 + HOUR)).containsExactly("@839s destination user U666@DOM1 from C17,C42: "
                    + "5 failed LogOn attempts against U666@DOM1 from C17 within 4m, then a successful LogOn from C42 (6 events)");
        }

        @Test
        void oneIncidentGivesOneMatchAndALaterIncidentAnother() throws Exception {
            List<Envelope> events = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                events.add(fail(T0 + i * 20 * SEC, "U666", i % 2 == 0 ? "C17" : "C18"));
            }
            for (int i = 0; i < 3; i++) {
                events.add(ok(T0 + 3 * MIN + i * MIN, "U666", "C42"));
            }
            for (int i = 0; i < 5; i++) {
                events.add(fail(T0 + HOUR + i * SEC, "U666", "C99"));
            }
            events.add(ok(T0 + HOUR + MIN, "U666", "C99"));
            assertThat(fed(RULE, events, T0 + 2 * HOUR)).containsExactly(
                    "@180s destination user U666@DOM1 from C17,C18,C42: 8 failed LogOn attempts against U666@DOM1 from "
                            + "C17,C18 within 2m20s, then a successful LogOn from C42 (9 events)",
                    "@3660s destination user U666@DOM1 from C99: 5 failed LogOn attempts against U666@DOM1 from C99 "
                            + "within 4s, then a successful LogOn from C99 (6 events)");
        }

        @Test
        void sameMatchesOnInputShuffledWithinTheWatermarkBound() throws Exception {
            Random rnd = new Random(7);
            List<Envelope> events = new ArrayList<>();
            int incidents = 0;
            for (int u = 0; u < 60; u++) {
                String user = "U" + u;
                long t = T0 + rnd.nextInt(3600) * SEC;
                int kind = u % 4;
                // incident, one short, success too late, and background with a few failures
                int failures = kind == 0 ? 5 + rnd.nextInt(3) : kind == 1 ? 4 : kind == 2 ? 6 : rnd.nextInt(3);
                for (int i = 0; i < failures; i++) {
                    t += (5 + rnd.nextInt(40)) * SEC; // often closer than the 30s bound: shuffling reorders them
                    events.add(fail(t, user, "C" + (100 + rnd.nextInt(3))));
                }
                t += kind == 2 ? 10 * MIN : (1 + rnd.nextInt(30)) * SEC;
                events.add(ok(t, user, "C7"));
                events.add(ok(t + 12 * SEC, user, "C7"));
                incidents += kind == 0 ? 1 : 0;
            }
            sameMatchesSortedAndShuffled(RULE, events, incidents);
        }

        @Test
        void partialMatchesAndTheirStateAreGoneOnceWithinHasPassed() throws Exception {
            try (PatternDriver d = PatternDriver.forDefault(RULE)) {
                List<Envelope> guesses = new ArrayList<>();
                for (int u = 0; u < 500; u++) {
                    for (int i = 0; i < 3; i++) {
                        guesses.add(fail(T0 + u * SEC + i * MIN, "U" + u, "C17")); // each starts a partial match
                    }
                }
                d.replay(sorted(guesses), BOUND);
                d.watermark(T0 + 10 * MIN);
                assertThat(d.keyedStateEntries()).as("partial matches of 500 users are held").isGreaterThanOrEqualTo(500);

                // an hour later every one of them has timed out (the last began at 499s + 2m, plus 20m)
                List<Envelope> incident = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    incident.add(fail(T0 + HOUR + i * SEC, "U666", "C17"));
                }
                incident.add(ok(T0 + HOUR + MIN, "U666", "C42"));
                d.replay(incident, BOUND);
                d.watermark(T0 + HOUR + MIN);
                assertThat(d.matches()).hasSize(1);
                assertThat(d.cep).as("auth_bruteforce runs on the run operator").isFalse();
                // nothing of the 500 timed-out users, and the match took its partial matches along
                // (CEP kept the count of events at the success's timestamp until U666's next timer)
                assertThat(d.keysPerState()).isEmpty();
                assertThat(d.eventTimeTimers()).isZero();
                d.watermark(last(incident) + 20 * MIN);
                assertThat(d.keysPerState()).isEmpty();
                assertThat(d.keyedStateEntries()).isZero();
                assertThat(d.eventTimeTimers()).isZero();
            }
        }
    }

    @Nested
    class JobConsecutiveFailures {
        private static final String RULE = "job_consecutive_failures";

        @Test
        void firesOnTheThirdFailureInARowWhateverRunsInBetweenOtherThanASuccess() throws Exception {
            List<Envelope> events = new ArrayList<>();
            events.add(run(T0, "loan_tape", "START"));
            events.add(run(T0 + 10 * MIN, "loan_tape", "FAIL"));
            events.add(run(T0 + HOUR, "loan_tape", "START"));
            events.add(run(T0 + HOUR + MIN, "loan_tape", "RUNNING"));
            events.add(run(T0 + HOUR + 10 * MIN, "loan_tape", "FAIL"));
            events.add(run(T0 + 90 * MIN, "loan_tape", "ABORT"));
            events.add(run(T0 + 2 * HOUR + 10 * MIN, "loan_tape", "FAIL"));
            events.addAll(runs("payments", T0, 20 * MIN, "FFCFF")); // another job: two in a row at most
            try (PatternDriver d = PatternDriver.forDefault(RULE)) {
                d.replay(sorted(events), BOUND);
                d.watermark(T0 + 2 * HOUR + 10 * MIN - 1);
                assertThat(d.matches()).isEmpty();
                d.watermark(T0 + 2 * HOUR + 10 * MIN);
                assertThat(d.described(T0)).containsExactly(
                        "@7800s job etl/loan_tape: 3 runs of job etl/loan_tape failed in a row within 2h (3 events)");
                assertThat(d.matches().get(0).firstEventTime).isEqualTo(T0 + 10 * MIN);
            }
        }

        @Test
        void doesNotFireOneFailureShortAfterASuccess() throws Exception {
            assertThat(fed(RULE, runs("loan_tape", T0, HOUR, "FFCFF"), T0 + 30 * HOUR)).isEmpty();
        }

        @Test
        void doesNotFireWhenTheThreeFailuresSpread24HoursOrMore() throws Exception {
            assertThat(fed(RULE, runs("loan_tape", T0, 12 * HOUR, "FFF"), T0 + 50 * HOUR)).isEmpty();
            assertThat(fed(RULE, runs("loan_tape", T0, 12 * HOUR - SEC, "FFF"), T0 + 50 * HOUR)).hasSize(1);
        }

        @Test
        void fiveFailuresInARowAreOneIncident() throws Exception {
            assertThat(fed(RULE, runs("loan_tape", T0, HOUR, "FFFFF"), T0 + 30 * HOUR)).containsExactly(
                    "@7200s job etl/loan_tape: 3 runs of job etl/loan_tape failed in a row within 2h (3 events)");
        }

        @Test
        void sameMatchesOnInputShuffledWithinTheWatermarkBound() throws Exception {
            Random rnd = new Random(11);
            List<Envelope> events = new ArrayList<>();
            String[] histories = {"FFF", "FFCF", "CFFFC", "FCFCF", "FFFCFFF", "CCCC"};
            for (int j = 0; j < 24; j++) {
                // runs every 20-50s: closer than the bound, so the shuffle reorders a job's runs
                long t = T0 + rnd.nextInt(600) * SEC;
                String h = histories[j % histories.length];
                for (int i = 0; i < h.length(); i++) {
                    t += (20 + rnd.nextInt(30)) * SEC;
                    events.add(run(t, "job" + j, h.charAt(i) == 'F' ? "FAIL" : "COMPLETE"));
                }
            }
            sameMatchesSortedAndShuffled(RULE, events, 4 * (1 + 1 + 2)); // FFF, CFFFC, FFFCFFF twice
        }

        @Test
        void partialMatchesAndTheirStateAreGoneOnceWithinHasPassed() throws Exception {
            try (PatternDriver d = PatternDriver.forDefault(RULE)) {
                List<Envelope> events = new ArrayList<>();
                for (int j = 0; j < 100; j++) {
                    events.addAll(runs("job" + j, T0 + j * SEC, HOUR, "CFF"));
                }
                events.addAll(runs("broken", T0, HOUR, "FFF"));
                d.replay(sorted(events), BOUND);
                d.watermark(T0 + 3 * HOUR);
                assertThat(d.matches()).hasSize(1);
                assertThat(d.keyedStateEntries()).isGreaterThanOrEqualTo(100);
                d.watermark(last(events) + 24 * HOUR - 1);
                assertThat(d.keyedStateEntries()).as("the partial match begun by the last failure is open").isPositive();
                d.watermark(last(events) + 24 * HOUR); // every failure began a partial match: the last one times out now
                assertThat(d.keysPerState()).isEmpty();
                assertThat(d.keyedStateEntries()).isZero();
                assertThat(d.eventTimeTimers()).isZero();
            }
        }
    }

    @Nested
    class JobFlapping {
        private static final String RULE = "job_flapping";

        @Test
        void firesOnTheFourthOutcomeChange() throws Exception {
            try (PatternDriver d = PatternDriver.forDefault(RULE)) {
                d.replay(runs("loan_tape", T0, 10 * MIN, "FCFCF"), BOUND);
                d.watermark(T0 + 40 * MIN - 1);
                assertThat(d.matches()).isEmpty();
                d.watermark(T0 + 40 * MIN);
                assertThat(d.described(T0)).containsExactly("@2400s job etl/loan_tape: job etl/loan_tape alternated "
                        + "between FAIL and COMPLETE 4 times in 40m (5 runs) (5 events)");
            }
            assertThat(fed(RULE, runs("loan_tape", T0, 10 * MIN, "CFCFC"), T0 + 5 * HOUR)).hasSize(1);
        }

        @Test
        void doesNotFireOneChangeShortOrWhenAnOutcomeRepeats() throws Exception {
            assertThat(fed(RULE, runs("loan_tape", T0, 10 * MIN, "FCFC"), T0 + 5 * HOUR)).isEmpty();
            assertThat(fed(RULE, runs("loan_tape", T0, 10 * MIN, "FCFFCFC"), T0 + 5 * HOUR)).isEmpty();
        }

        @Test
        void doesNotFireWhenTheFiveRunsSpreadTwoHoursOrMore() throws Exception {
            assertThat(fed(RULE, runs("loan_tape", T0, 30 * MIN, "FCFCF"), T0 + 5 * HOUR)).isEmpty();
            assertThat(fed(RULE, runs("loan_tape", T0, 30 * MIN - SEC, "FCFCF"), T0 + 5 * HOUR)).hasSize(1);
        }

        @Test
        void oneFlappingSpellIsOneMatch() throws Exception {
            assertThat(fed(RULE, runs("loan_tape", T0, 10 * MIN, "FCFCFCF"), T0 + 5 * HOUR)).hasSize(1);
        }

        @Test
        void sameMatchesOnInputShuffledWithinTheWatermarkBound() throws Exception {
            Random rnd = new Random(13);
            List<Envelope> events = new ArrayList<>();
            String[] histories = {"FCFCF", "CFCFC", "FCFC", "FCFFCFC", "CCCCC", "FCFCFCFCFC"};
            for (int j = 0; j < 24; j++) {
                long t = T0 + rnd.nextInt(600) * SEC;
                String h = histories[j % histories.length];
                for (int i = 0; i < h.length(); i++) {
                    t += (20 + rnd.nextInt(30)) * SEC;
                    events.add(run(t, "job" + j, h.charAt(i) == 'F' ? "FAIL" : "COMPLETE"));
                }
            }
            sameMatchesSortedAndShuffled(RULE, events, 4 * (1 + 1 + 2)); // ten alternating runs flap twice
        }

        @Test
        void partialMatchesAndTheirStateAreGoneOnceWithinHasPassed() throws Exception {
            try (PatternDriver d = PatternDriver.forDefault(RULE)) {
                List<Envelope> events = new ArrayList<>();
                for (int j = 0; j < 100; j++) {
                    events.addAll(runs("job" + j, T0 + j * SEC, 10 * MIN, "FCFC"));
                }
                d.replay(sorted(events), BOUND);
                d.watermark(T0 + HOUR);
                assertThat(d.keyedStateEntries()).isGreaterThanOrEqualTo(100);
                d.watermark(last(events) + 2 * HOUR - 1);
                assertThat(d.keyedStateEntries()).isPositive();
                d.watermark(last(events) + 2 * HOUR); // every run began a partial match: the last one times out now
                assertThat(d.keysPerState()).isEmpty();
                assertThat(d.matches()).isEmpty();
                assertThat(d.keyedStateEntries()).isZero();
                assertThat(d.eventTimeTimers()).isZero();
            }
        }
    }

    /**
     * A pattern over metric samples: the sample's name and labels are event fields
     * ({@code metric}, {@code labels.<name>}), and {@code !v} takes any value but v. The shape of
     * the stock-release pack's version-drift rule: one sequence per cluster, a report of another
     * version than the pinned one is a match.
     */
    @Nested
    class MetricLabels {
        private static final String RULE = "rules:\n  - id: drift\n    kind: pattern\n    severity: critical\n    pattern:\n"
                + "      events: {family: metric, metric: app_info}\n      key: labels.cluster_id\n"
                + "      steps:\n        - {name: drift, where: {labels.version: \"!1.3.0\"}}\n      within: 1m\n"
                + "      summary: \"cluster {key} runs {drift.labels.version} ({labels.cluster_id}), not 1.3.0\"\n"
                + "    resolve: {when: {metric: app_info, labels.version: \"1.3.0\"}}\n";

        private Envelope info(long t, String metric, String cluster, String version) {
            return decode(InputFormat.METRICS, "{\"name\":\"" + metric + "\",\"value\":1,\"time\":" + t + ",\"labels\":{"
                    + (cluster == null ? "" : "\"cluster_id\":\"" + cluster + "\"" + (version == null ? "" : ","))
                    + (version == null ? "" : "\"version\":\"" + version + "\"") + "}}");
        }

        @Test
        void aReportOfAnotherVersionMatchesPerClusterAndNothingElseDoes() throws Exception {
            PatternSpec spec = io.vigil.rules.RulesFile.parse(RULE, "t").rule("drift").pattern;
            List<Envelope> events = List.of(
                    info(T0, "app_info", "c1", "1.3.0"),
                    info(T0 + MIN, "app_info", "c2", "1.2.0"), // drift
                    info(T0 + 2 * MIN, "other_info", "c3", "1.2.0"), // another metric
                    info(T0 + 3 * MIN, "app_info", "c4", null), // no version: not "another version"
                    info(T0 + 4 * MIN, "app_info", null, "1.2.0"), // no cluster: no sequence
                    info(T0 + 5 * MIN, "app_info", "c2", "1.2.0"), // still drifted: another match
                    info(T0 + 6 * MIN, "app_info", "c2", "1.3.0"));
            try (PatternDriver d = new PatternDriver("drift", spec)) {
                d.replay(events, BOUND);
                d.watermark(T0 + HOUR);
                assertThat(d.described(T0)).containsExactly(
                        "@60s cluster id c2: cluster c2 runs 1.2.0 (c2), not 1.3.0 (1 events)",
                        "@300s cluster id c2: cluster c2 runs 1.2.0 (c2), not 1.3.0 (1 events)");
                assertThat(d.keyedStateEntries()).isZero();
                assertThat(d.eventTimeTimers()).isZero();
            }
            assertThat(spec.resolvedBy(info(T0, "app_info", "c2", "1.3.0"), "c2")).isTrue();
            assertThat(spec.resolvedBy(info(T0, "app_info", "c1", "1.3.0"), "c2")).as("another cluster").isFalse();
            assertThat(spec.resolvedBy(info(T0, "app_info", "c2", "1.2.1"), "c2")).isFalse();
        }
    }
}
