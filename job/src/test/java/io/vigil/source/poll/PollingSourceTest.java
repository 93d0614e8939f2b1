package io.vigil.source.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The polling source's period arithmetic and checkpoint forms. */
class PollingSourceTest {
    private static final PollSchedule SCHEDULE = new PollSchedule(Duration.ofSeconds(60), Duration.ofSeconds(30),
            Duration.ofMinutes(5), 60, 5, Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void periodsAreAlignedToTheStepAndPolledOnlyOnceEndedAndDelayed() {
        long t = 29_933_333L * 60_000 + 45_000; // 45 s into a minute
        assertThat(SCHEDULE.align(t)).isEqualTo(t - 45_000);
        // at hh:mm:45 with a 30 s delay the minute that ended 45 s ago may be polled, not the one running
        assertThat(SCHEDULE.lastPollableEnd(t)).isEqualTo(SCHEDULE.align(t));
        assertThat(SCHEDULE.lastPollableEnd(t - 20_000)).isEqualTo(SCHEDULE.align(t) - 60_000);
        assertThat(SCHEDULE.firstStart(t)).isEqualTo(SCHEDULE.align(t) - 5 * 60_000);
        assertThat(SCHEDULE.align(-1)).as("floor, not truncation").isEqualTo(-60_000);
    }

    @Test
    void backoffDoublesUpToItsCap() {
        assertThat(List.of(SCHEDULE.backoff(1), SCHEDULE.backoff(2), SCHEDULE.backoff(3), SCHEDULE.backoff(5), SCHEDULE.backoff(9)))
                .containsExactly(1000L, 2000L, 4000L, 16000L, 30000L);
        assertThatThrownBy(() -> new PollSchedule(Duration.ofMillis(500), Duration.ZERO, Duration.ZERO, 1, 1,
                Duration.ofSeconds(1), Duration.ofSeconds(1))).hasMessageContaining("at least 1s");
    }

    @Test
    void splitsAndTheEnumeratorStateSurviveTheirSerializers() throws Exception {
        PollSplit s = new PollSplit("prometheus:last_run", 3, 1_796_000_040_000L);
        byte[] bytes = PollSplitSerializer.INSTANCE.serialize(s);
        PollSplit back = PollSplitSerializer.INSTANCE.deserialize(PollSplitSerializer.INSTANCE.getVersion(), bytes);
        assertThat(back.splitId()).isEqualTo("prometheus:last_run");
        assertThat(back.index).isEqualTo(3);
        assertThat(back.nextStart).isEqualTo(1_796_000_040_000L);

        PollEnumeratorState state = new PollEnumeratorState(List.of(new PollSplit("a", 0, PollSplit.NOT_STARTED)), List.of("a", "b"));
        PollSplitSerializer.EnumeratorState ser = PollSplitSerializer.EnumeratorState.INSTANCE;
        PollEnumeratorState restored = ser.deserialize(ser.getVersion(), ser.serialize(state));
        assertThat(restored.pending).extracting(p -> p.id + "@" + p.nextStart).containsExactly("a@" + PollSplit.NOT_STARTED);
        assertThat(restored.known).containsExactly("a", "b");
    }

    @Test
    void queryNamesMustBeUniqueWithinASource() {
        List<Poller> twice = List.of(new PrometheusRangeQuery("up", "up", "http://p:9090", Duration.ofSeconds(1)),
                new PrometheusRangeQuery("up", "up == 0", "http://p:9090", Duration.ofSeconds(1)));
        assertThatThrownBy(() -> new PollingSource("prom", twice, SCHEDULE)).hasMessageContaining("named prometheus:up");
    }
}
