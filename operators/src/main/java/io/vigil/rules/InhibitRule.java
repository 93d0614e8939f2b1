package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.Label;
import java.util.Objects;

/**
 * An inhibit rule, as in Alertmanager: while an alert matching {@code source} fires, alerts
 * matching {@code target} that agree with it on every {@code equal} key are not notified (the
 * cause is already on the pager; its symptoms would only add noise).
 */
public class InhibitRule implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Label[] source = new Label[0];
    public Label[] target = new Label[0];
    /** Source and target matchers with the other operators (!=, =~, !~); fields of their own so older savepoints restore. */
    public AlertMatcher[] sourceConditions = new AlertMatcher[0];
    public AlertMatcher[] targetConditions = new AlertMatcher[0];
    /** Keys (labels, or rule_id / entity / severity) whose values source and target must share. */
    public String[] equal = new String[0];

    public InhibitRule() {}

    /** True when the firing alert {@code cause} inhibits {@code symptom}. */
    public boolean inhibits(AlertEvent cause, AlertEvent symptom) {
        if (cause.alertId.equals(symptom.alertId)
                || !AlertMatchers.matches(source, sourceConditions, cause)
                || !AlertMatchers.matches(target, targetConditions, symptom)) {
            return false;
        }
        for (String k : equal) {
            if (!Objects.equals(AlertMatchers.valueOf(cause, k), AlertMatchers.valueOf(symptom, k))) {
                return false;
            }
        }
        return true;
    }
}
