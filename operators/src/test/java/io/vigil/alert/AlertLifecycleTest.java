package io.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import io.vigil.rules.Direction;
import io.vigil.rules.Rule;
import io.vigil.rules.RuleKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
    private static final long MIN = 60_000;
    private static final String ENTITY = "metric par_90_pct{portfolio=abaco}";

    private final List<AlertEvent> out = new ArrayList<>();
    private final AlertTrack track = new AlertTrack();

    private static Rule rule(long forMs, long keepMs, long repeatMs) {
        Rule r = new Rule();
        r.id = "kpi_par_90";
        r.kind = RuleKind.METRIC_THRESHOLD;
        r.direction = Direction.ABOVE;
        r.warning = 3.0;
        r.critical = 5.0;
        r.forMs = forMs;
        r.keepFiringForMs = keepMs;
        r.repeatIntervalMs = repeatMs;
        r.labels = new Label[] {new Label("team", "risk")};
        r.runbookUrl = "deploy/rules-runbook.md#kpi_par_90";
        return r;
    }

    private void see(Rule r, double value, long at) {
        AlertLifecycle.observe(r, track, new Observation(r.id, ENTITY, value, 3.0, r.severityOf(value), at,
                "par_90_pct " + value), 42L, out);
    }

    private List<String> log() {
        return out.stream().map(a -> a.state.wire() + ":" + a.severity.wire() + "@" + a.eventTime / MIN)
                .collect(Collectors.toList());
    }

    @Test
    void firesAtOnceWithoutForAndResolvesWhenClear() {
        Rule r = rule(0, 0, 240 * MIN);
        see(r, 4.0, 10 * MIN);
        see(r, 4.2, 11 * MIN); // still warning: no new notification
        see(r, 2.0, 12 * MIN);
        assertThat(log()).containsExactly("firing:warning@10", "resolved:warning@12");
        AlertEvent firing = out.get(0);
        assertThat(firing.alertId).isEqualTo(AlertIds.of("kpi_par_90", ENTITY)).isEqualTo(out.get(1).alertId);
        assertThat(firing.threshold).isEqualTo(3.0);
        assertThat(firing.value).isEqualTo(4.0);
        assertThat(firing.startsAt).isEqualTo(10 * MIN);
        assertThat(firing.emittedAt).isEqualTo(42L);
        assertThat(firing.labels).containsExactly(new Label("team", "risk"));
        assertThat(out.get(1).endsAt).isEqualTo(12 * MIN);
        assertThat(out.get(1).value).isEqualTo(2.0);
        assertThat(track.phase).isEqualTo(AlertTrack.Phase.INACTIVE);
        assertThat(track.last).isNull();
    }

    @Test
    void pendingNeverNotifiesAndIsDroppedWhenItClears() {
        Rule r = rule(10 * MIN, 0, 240 * MIN);
        see(r, 4.0, 0);
        see(r, 6.0, 5 * MIN);
        see(r, 1.0, 9 * MIN);
        AlertLifecycle.advance(r, track, 60 * MIN, 0, out);
        assertThat(out).isEmpty();
        assertThat(track.phase).isEqualTo(AlertTrack.Phase.INACTIVE);
        assertThat(AlertLifecycle.nextDeadline(r, track)).isEqualTo(AlertLifecycle.NONE);
    }

    @Test
    void firesExactlyWhenForHasElapsedWithTheCurrentSeverity() {
        Rule r = rule(10 * MIN, 0, 240 * MIN);
        see(r, 4.0, 0);
        see(r, 5.5, 4 * MIN);
        assertThat(AlertLifecycle.nextDeadline(r, track)).isEqualTo(10 * MIN);
        AlertLifecycle.advance(r, track, 9 * MIN, 0, out);
        assertThat(out).isEmpty();
        AlertLifecycle.advance(r, track, 10 * MIN, 0, out);
        assertThat(log()).containsExactly("firing:critical@10");
        assertThat(out.get(0).threshold).isEqualTo(5.0);
    }

    @Test
    void anObservationAfterTheDeadlineSettlesTheDeadlineFirst() {
        Rule r = rule(10 * MIN, 0, 240 * MIN);
        see(r, 4.0, 0);
        see(r, 1.0, 30 * MIN); // the condition held from 0 to 30: it fired at 10, resolves at 30
        assertThat(log()).containsExactly("firing:warning@10", "resolved:warning@30");
    }

    @Test
    void escalationAndDeEscalationAreNotificationsOfTheirOwn() {
        Rule r = rule(0, 0, 240 * MIN);
        see(r, 4.0, 0);
        see(r, 5.5, 1 * MIN);
        see(r, 6.0, 2 * MIN);
        see(r, 4.5, 3 * MIN);
        see(r, 0.5, 4 * MIN);
        assertThat(log()).containsExactly("firing:warning@0", "firing:critical@1", "firing:warning@3", "resolved:warning@4");
        assertThat(out).extracting(a -> a.startsAt).containsOnly(0L);
        assertThat(out).extracting(a -> a.alertId).containsOnly(AlertIds.of("kpi_par_90", ENTITY));
    }

    @Test
    void keepFiringForHoldsTheAlertThroughABriefClear() {
        Rule r = rule(0, 5 * MIN, 240 * MIN);
        see(r, 4.0, 0);
        see(r, 1.0, 2 * MIN);
        see(r, 4.0, 4 * MIN); // back within keep_firing_for: no resolve, no new firing
        see(r, 1.0, 6 * MIN);
        AlertLifecycle.advance(r, track, 10 * MIN, 0, out);
        assertThat(log()).containsExactly("firing:warning@0");
        AlertLifecycle.advance(r, track, 11 * MIN, 0, out);
        assertThat(log()).containsExactly("firing:warning@0", "resolved:warning@11");
    }

    @Test
    void aFiringAlertIsRepeatedEveryRepeatInterval() {
        Rule r = rule(0, 0, 60 * MIN);
        see(r, 4.0, 0);
        AlertLifecycle.advance(r, track, 150 * MIN, 0, out);
        assertThat(log()).containsExactly("firing:warning@0", "firing:warning@60", "firing:warning@120");
        assertThat(out).extracting(a -> a.startsAt).containsOnly(0L);
        assertThat(AlertLifecycle.nextDeadline(r, track)).isEqualTo(180 * MIN);
    }

    @Test
    void repeatsInAGapAreNotSentAndResumeOnTheirSlotsFromItsEnd() {
        Rule r = rule(0, 0, 60 * MIN);
        NavigableMap<Long, Long> gaps = new TreeMap<>(Map.of(150 * MIN, 190 * MIN, 230 * MIN, 600 * MIN));
        see(r, 4.0, 10 * MIN);
        AlertLifecycle.advance(r, track, 700 * MIN, gaps, 0, out);
        // slots 10 + 60k; a gap's end is outside it; 250 to 550 lie in the second gap
        assertThat(log()).containsExactly("firing:warning@10", "firing:warning@70", "firing:warning@130",
                "firing:warning@190", "firing:warning@610", "firing:warning@670");
        assertThat(AlertLifecycle.nextDeadline(r, track, gaps)).isEqualTo(730 * MIN);
        assertThat(AlertLifecycle.nextDeadline(r, track)).isEqualTo(730 * MIN);
    }

    @Test
    void aGapMovesOnlyRepeatsNotEscalationsOrResolves() {
        Rule r = rule(0, 30 * MIN, 60 * MIN);
        NavigableMap<Long, Long> gaps = new TreeMap<>(Map.of(100 * MIN, 1000 * MIN));
        AlertLifecycle.observe(r, track, new Observation(r.id, ENTITY, 4.0, 3.0, Severity.WARNING, 10 * MIN, "w"), gaps, 0, out);
        assertThat(AlertLifecycle.nextDeadline(r, track, gaps)).isEqualTo(70 * MIN);
        AlertLifecycle.advance(r, track, 90 * MIN, gaps, 0, out);
        assertThat(AlertLifecycle.nextDeadline(r, track, gaps)).as("130 to 970 lie in the gap").isEqualTo(1030 * MIN);
        AlertLifecycle.observe(r, track, new Observation(r.id, ENTITY, 6.0, 3.0, Severity.CRITICAL, 200 * MIN, "c"), gaps, 0, out);
        AlertLifecycle.observe(r, track, new Observation(r.id, ENTITY, 1.0, 3.0, null, 300 * MIN, "ok"), gaps, 0, out);
        AlertLifecycle.advance(r, track, 2000 * MIN, gaps, 0, out);
        assertThat(log()).containsExactly("firing:warning@10", "firing:warning@70", "firing:critical@200",
                "resolved:critical@330");
    }

    @Test
    void identityIsStableAndDistinguishesRuleAndEntity() {
        assertThat(AlertIds.of("a", "b")).isEqualTo(AlertIds.of("a", "b")).hasSize(32);
        assertThat(AlertIds.of("ab", "c")).isNotEqualTo(AlertIds.of("a", "bc"));
        assertThat(AlertIds.of("a", "b")).isNotEqualTo(AlertIds.of("a", "c"));
    }

    @Test
    void severityComesFromTheHighestBreachedThreshold() {
        Rule r = rule(0, 0, 1);
        assertThat(r.severityOf(2.9)).isNull();
        assertThat(r.severityOf(3.1)).isEqualTo(Severity.WARNING);
        assertThat(r.severityOf(5.0)).isEqualTo(Severity.WARNING); // strictly above
        assertThat(r.severityOf(5.01)).isEqualTo(Severity.CRITICAL);
        assertThat(AlertState.FIRING.wire()).isEqualTo("firing");
    }
}
