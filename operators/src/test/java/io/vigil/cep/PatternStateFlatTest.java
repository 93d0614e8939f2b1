package io.vigil.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * auth_bruteforce over a million LANL-shaped logons of 100,000 users with background failures
 * and no incident, on the operator PatternStreams runs it on (the run operator): its keyed state
 * follows the users with events ahead of the watermark or a partial match inside {@code within}
 * (20m), not the history, so it is no larger after 1M events than after 100k.
 * Events come every 20 ms of event time (50/s), so 100k events already span 33 minutes: past
 * {@code within} plus the 30s watermark bound, where the state has reached its steady size.
 */
class PatternStateFlatTest {
    private static final int USERS = 100_000;
    private static final long STEP_MS = 20;
    private static final long BOUND_MS = 30_000;
    private static final int WATERMARK_EVERY = 1_000;

    /** What the operator holds at one point of the run. */
    private static final class Reading {
        final long events;
        final int entries;
        final int timers;
        final Map<String, Long> perState;
        final long heapBytes;

        Reading(long events, PatternDriver d) {
            this.events = events;
            this.entries = d.keyedStateEntries();
            this.timers = d.eventTimeTimers();
            this.perState = d.keysPerState();
            this.heapBytes = usedHeapAfterGc();
        }

        @Override
        public String toString() {
            return String.format("after %,d events: %,d keyed state entries %s, %,d event-time timers, %.1f MB heap used",
                    events, entries, perState, timers, heapBytes / 1e6);
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void stateFollowsTheUsersActiveWithinTheWindowNotTheHistory() throws Exception {
        SyntheticLogons logons = new SyntheticLogons(USERS, STEP_MS, 0, 42);
        long started = System.nanoTime();
        Reading at100k = null;
        Reading at1m = null;
        try (PatternDriver d = PatternDriver.forDefault("auth_bruteforce")) {
            for (long i = 0; i < 1_000_000; i++) {
                Envelope e = logons.event(i);
                d.process(e);
                if ((i + 1) % WATERMARK_EVERY == 0) {
                    d.watermark(e.eventTime - BOUND_MS);
                    d.h.getOutput().clear(); // the harness keeps every watermark it forwards
                }
                if (i + 1 == 100_000) {
                    at100k = new Reading(i + 1, d);
                } else if (i + 1 == 1_000_000) {
                    at1m = new Reading(i + 1, d);
                }
            }
            assertThat(d.matches()).as("background failures are no brute force").isEmpty();
        }
        System.out.println("auth_bruteforce state, " + USERS + " users, one logon per " + STEP_MS + " ms:\n  " + at100k
                + "\n  " + at1m + String.format("\n  (%.1f s)", (System.nanoTime() - started) / 1e9));
        assertThat(at100k.entries).as("users with a failure in the last 20m hold partial matches").isPositive();
        assertThat((double) at1m.entries).isLessThanOrEqualTo(1.5 * at100k.entries);
        assertThat((double) at1m.timers).isLessThanOrEqualTo(1.5 * at100k.timers);
    }
}
