package io.vigil.rules;

/** A validated set of rules, as broadcast to the rule operators; {@code version} names its text. */
public class RuleSet implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public Rule[] rules = new Rule[0];
    /** SHA-256 prefix of the rules text, so alerts and logs can say which set judged them. */
    public String version;
    /** Inhibit rules: which firing alerts keep which others from being notified. */
    public InhibitRule[] inhibitions = new InhibitRule[0];
    /** Escalation policies, first match wins. */
    public EscalationPolicy[] escalations = new EscalationPolicy[0];
    /** Recurring mutes (time intervals). */
    public MuteRule[] mutes = new MuteRule[0];

    public RuleSet() {}

    public RuleSet(Rule[] rules, String version) {
        this.rules = rules;
        this.version = version;
    }

    /** The first escalation policy matching {@code a}, or null. */
    public EscalationPolicy escalation(io.vigil.model.AlertEvent a) {
        for (EscalationPolicy p : escalations) {
            if (p.matches(a)) {
                return p;
            }
        }
        return null;
    }

    /** The escalation policy with this id, or null. */
    public EscalationPolicy escalation(String id) {
        for (EscalationPolicy p : escalations) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        return null;
    }

    /** The rule with this id, or null; a plain scan, as it runs for every routed record. */
    public Rule rule(String id) {
        for (Rule r : rules) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }
}
