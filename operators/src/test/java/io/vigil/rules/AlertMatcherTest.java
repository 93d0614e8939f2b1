package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import io.vigil.model.Severity;

class AlertMatcherTest {

    private static AlertEvent alert(String ruleId, String entity, String team) {
        AlertEvent a = new AlertEvent();
        a.alertId = ruleId + "/" + entity;
        a.ruleId = ruleId;
        a.entity = entity;
        a.severity = Severity.WARNING;
        a.labels = team == null ? new Label[0] : new Label[] {new Label("team", team)};
        return a;
    }

    @org.junit.jupiter.api.Test
    void parsesTheFourOperatorsOfAlertmanager() {
        assertThat(AlertMatcher.parse("rule_id=auth_bruteforce").op).isEqualTo("=");
        assertThat(AlertMatcher.parse("entity!=dest1").op).isEqualTo("!=");
        assertThat(AlertMatcher.parse("entity=~dest.*").op).isEqualTo("=~");
        AlertMatcher m = AlertMatcher.parse(" team !~ \"risk|ops\" ");
        assertThat(m.name).isEqualTo("team");
        assertThat(m.op).isEqualTo("!~");
        assertThat(m.value).isEqualTo("risk|ops");
    }

    @org.junit.jupiter.api.Test
    void eachOperatorDecidesAsAlertmanagerDoes() {
        AlertEvent dest = alert("auth_bruteforce", "dest42", "risk");
        AlertEvent other = alert("auth_bruteforce", "srcdest", null);
        assertThat(AlertMatcher.parse("entity=~dest.*").matches(dest)).isTrue();
        // anchored: a regex matches the whole value, not a part of it
        assertThat(AlertMatcher.parse("entity=~dest.*").matches(other)).isFalse();
        assertThat(AlertMatcher.parse("entity!~dest.*").matches(other)).isTrue();
        assertThat(AlertMatcher.parse("entity!=dest42").matches(dest)).isFalse();
        assertThat(AlertMatcher.parse("entity!=dest42").matches(other)).isTrue();
        // a missing label is the empty value
        assertThat(AlertMatcher.parse("team=~").matches(other)).isTrue();
        assertThat(AlertMatcher.parse("team!~risk").matches(other)).isTrue();
        assertThat(AlertMatcher.parse("team=~r.*").matches(dest)).isTrue();
        assertThat(AlertMatcher.parse("severity=warning").matches(dest)).isTrue();
    }

    @org.junit.jupiter.api.Test
    void refusesWhatIsNotAMatcher() {
        assertThatThrownBy(() -> AlertMatcher.parse("entity")).hasMessageContaining("expected name=value");
        assertThatThrownBy(() -> AlertMatcher.parse("=x")).hasMessageContaining("no label name");
        assertThatThrownBy(() -> AlertMatcher.parse("entity=~dest(")).hasMessageContaining("not a regular expression");
    }

    @org.junit.jupiter.api.Test
    void silencesAndInhibitRulesTakeAllFourOperators() throws Exception {
        Silence s = ControlLines.parse("{\"silence\": {\"id\": \"s1\", \"matchers\": [\"rule_id=auth_bruteforce\", "
                + "\"entity=~dest.*\", \"team!=ops\"], \"starts_at\": \"2026-01-01T00:00:00Z\", "
                + "\"ends_at\": \"2026-01-02T00:00:00Z\", \"author\": \"ana\"}}").silence;
        long t = java.time.Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
        assertThat(s.author).isEqualTo("ana");
        assertThat(s.mutes(alert("auth_bruteforce", "dest7", "risk"), t)).isTrue();
        assertThat(s.mutes(alert("auth_bruteforce", "dest7", "ops"), t)).isFalse();
        assertThat(s.mutes(alert("auth_bruteforce", "src7", "risk"), t)).isFalse();
        assertThat(s.mutes(alert("other", "dest7", "risk"), t)).isFalse();

        assertThatThrownBy(() -> ControlLines.parse("{\"silence\": {\"id\": \"s2\", \"matchers\": [\"team!=ops\"], "
                + "\"starts_at\": \"2026-01-01T00:00:00Z\", \"ends_at\": \"2026-01-02T00:00:00Z\"}}"))
                .hasMessageContaining("must select alerts");

        RuleSet set = RulesFile.parse("rules:\n"
                + "  - {id: cause, kind: metric_threshold, select: {metric: m}, critical: 3}\n"
                + "  - {id: symptom, kind: metric_threshold, select: {metric: n}, warning: 3}\n"
                + "inhibit:\n"
                + "  - source: ['rule_id=cause']\n"
                + "    target: ['rule_id=~sym.*', 'entity!~keep.*']\n"
                + "    equal: [entity]\n", "test");
        InhibitRule r = set.inhibitions[0];
        assertThat(r.inhibits(alert("cause", "a1", null), alert("symptom", "a1", null))).isTrue();
        assertThat(r.inhibits(alert("cause", "keep1", null), alert("symptom", "keep1", null))).isFalse();
        assertThat(r.inhibits(alert("cause", "a1", null), alert("symptom", "a2", null))).isFalse();
    }
}
