package io.vigil.cep;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.rules.EventFields;
import io.vigil.rules.RuleSelector;

/**
 * Which events a pattern admits, a step takes or a resolve waits for: every listed family, source
 * and field must match one of its values ({@code *} wildcards; a field's {@code !v} excludes v);
 * an empty condition matches every event.
 */
public class EventCondition implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Empty: any family. */
    public Family[] families = new Family[0];
    /** Envelope sources; empty: any source. */
    public String[] sources = new String[0];
    public FieldValues[] fields = new FieldValues[0];

    public EventCondition() {}

    public boolean isEmpty() {
        return families.length == 0 && sources.length == 0 && fields.length == 0;
    }

    public boolean matches(Envelope e) {
        if (families.length > 0 && !contains(families, e.family)) {
            return false;
        }
        if (sources.length > 0 && !contains(sources, e.source)) {
            return false;
        }
        for (FieldValues f : fields) {
            if (!RuleSelector.valueMatches(f.values, EventFields.get(e, f.field))) {
                return false;
            }
        }
        return true;
    }

    /** The same test on a pattern event, whose fields {@code fields} names. */
    public boolean matches(PatternEvent e, PatternFields fields) {
        if (families.length > 0 && !contains(families, e.family)) {
            return false;
        }
        if (sources.length > 0 && !contains(sources, e.source)) {
            return false;
        }
        for (FieldValues f : this.fields) {
            if (!RuleSelector.valueMatches(f.values, fields.get(e, f.field))) {
                return false;
            }
        }
        return true;
    }

    /** Names and field values match as the rules' selectors do: {@code *} is a wildcard. */
    private static <T> boolean contains(T[] options, T value) {
        for (T o : options) {
            if (o.equals(value) || o instanceof String && value instanceof String
                    && ((String) o).indexOf('*') >= 0 && RuleSelector.globMatches((String) o, (String) value)) {
                return true;
            }
        }
        return false;
    }
}
