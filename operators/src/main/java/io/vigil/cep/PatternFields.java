package io.vigil.cep;

import io.vigil.model.Envelope;
import io.vigil.rules.EventFields;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The event fields one pattern rule reads, in a fixed order with its key first: what
 * {@link PatternEvent} carries. Everything that reads a field of a pattern event resolves the name
 * here, so a field the rule does not name cannot be read by mistake (it fails loudly).
 */
public final class PatternFields implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final String[] names;

    private PatternFields(String[] names) {
        this.names = names;
    }

    /** The key, the entity fields, the steps' fields and the summary's fields, each once. */
    static PatternFields of(PatternSpec spec) {
        List<String> out = new ArrayList<>();
        add(out, spec.key);
        for (String f : spec.entityFields) {
            add(out, f);
        }
        for (PatternStep s : spec.steps) {
            for (FieldValues f : s.where.fields) {
                add(out, f.field);
            }
            add(out, s.differsFromPrevious);
        }
        if (spec.summary != null) {
            Matcher m = SummaryTemplate.PLACEHOLDER.matcher(spec.summary);
            while (m.find()) {
                add(out, SummaryTemplate.fieldOf(m.group(1), spec));
            }
        }
        return new PatternFields(out.toArray(new String[0]));
    }

    private static void add(List<String> names, String name) {
        if (name != null && !names.contains(name)) {
            names.add(name);
        }
    }

    /** The event as the rule sees it. */
    public PatternEvent project(Envelope e) {
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = EventFields.get(e, names[i]);
        }
        return new PatternEvent(e.eventTime, e.family, e.source, values);
    }

    /** The value of a field the rule names; null when the event has none. */
    public String get(PatternEvent e, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return e.values[i];
            }
        }
        throw new IllegalArgumentException("pattern field '" + name + "' was not projected; projected: "
                + String.join(", ", names));
    }

    /** The key value: the first field. */
    public String key(PatternEvent e) {
        return e.values[0];
    }

    int size() {
        return names.length;
    }
}
