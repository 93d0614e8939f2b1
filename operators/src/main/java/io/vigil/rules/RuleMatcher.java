package io.vigil.rules;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import java.util.List;

/** Decides which entities of a rule an envelope concerns; the router emits one input per entity. */
public final class RuleMatcher {
    private RuleMatcher() {}

    /**
     * Adds the inputs of {@code e} for {@code rule} to {@code out}: the selector's families and
     * sources, then the kind. Source-level kinds read the per-second summaries of
     * {@link SourceDigest} ({@code e.counts} set), the others the records themselves.
     */
    public static void route(Rule rule, Envelope e, List<RuleInput> out) {
        RuleSelector s = rule.selector;
        boolean summary = e.counts != null;
        if (summary == rule.kind.judge().readsSummaries(rule) && familyMatches(s, e.family)
                && RuleSelector.anyMatches(s.sources, e.source)) {
            rule.kind.judge().route(rule, e, out);
        }
    }

    /** {@code name{k=v,...}}, labels in key order: a metric series as metric_threshold rules name it. */
    public static String series(Envelope e) {
        return ThresholdJudge.series(e);
    }

    private static boolean familyMatches(RuleSelector s, Family f) {
        if (s.families.length == 0) {
            return true;
        }
        for (Family x : s.families) {
            if (x == f) {
                return true;
            }
        }
        return false;
    }
}
