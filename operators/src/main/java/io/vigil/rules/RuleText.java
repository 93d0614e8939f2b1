package io.vigil.rules;

import io.vigil.config.Durations;
import io.vigil.model.Severity;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How a rule's values and thresholds read in alert summaries. */
final class RuleText {
    private RuleText() {}

    /** {@code " (warning: above 5.00%)"} for the threshold a severity breached; "" for none. */
    static String describe(Rule rule, Severity s) {
        if (s == null) {
            return "";
        }
        Double th = rule.threshold(s);
        if (th == null) {
            return "";
        }
        String shown = rule.kind.unit() == RuleKind.Unit.DURATION ? Durations.format(th.longValue())
                : rule.kind.unit() == RuleKind.Unit.RATIO ? pct(th) : fmt(th);
        String dir = rule.kind.unit() == RuleKind.Unit.DURATION ? "at least" : rule.direction == Direction.ABOVE ? "above" : "below";
        return " (" + s.wire() + ": " + dir + " " + shown + ")";
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

    static String fmt(double v) {
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
