package io.vigil.cep;

import io.vigil.config.Durations;
import io.vigil.rules.EventFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code summary} sentence of a pattern rule: text with placeholders filled from a match.
 * {@code {key}} the key value, {@code {entity}}, {@code {events}} the number of matched events,
 * {@code {span}} first to last event, {@code {FIELD}} the distinct values of a field over the
 * match; {@code {STEP.count}}, {@code {STEP.span}} and {@code {STEP.FIELD}} the same for one step.
 */
public final class SummaryTemplate {
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private SummaryTemplate() {}

    /** What is wrong with a template for this pattern: one message per bad placeholder. */
    static List<String> problems(String template, PatternSpec spec) {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            String p = m.group(1);
            if (!known(p, spec)) {
                out.add("unknown placeholder '{" + p + "}'; use {key}, {entity}, {events}, {span}, {FIELD}, "
                        + "{STEP.count}, {STEP.span} or {STEP.FIELD} with a step name and a known field");
            }
        }
        return out;
    }

    private static boolean known(String p, PatternSpec spec) {
        if (p.equals("key") || p.equals("entity") || p.equals("events") || p.equals("span") || fieldOf(p, spec) != null) {
            return true;
        }
        String step = stepOf(p, spec);
        String what = step == null ? null : p.substring(step.length() + 1);
        return what != null && (what.equals("count") || what.equals("span"));
    }

    /**
     * The step a placeholder names ({@code guess} of {@code guess.count}), or null. A field may
     * hold a dot itself ({@code labels.version}), so the part before the first dot is a step only
     * when the pattern has a step of that name.
     */
    static String stepOf(String p, PatternSpec spec) {
        int dot = p.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String step = p.substring(0, dot);
        for (PatternStep s : spec.steps) {
            if (s.name != null && s.name.equals(step) && !s.absent) {
                return step;
            }
        }
        return null;
    }

    /** The event field a placeholder reads ({@code {FIELD}}, {@code {STEP.FIELD}}), or null. */
    static String fieldOf(String p, PatternSpec spec) {
        String step = stepOf(p, spec);
        String field = step == null ? p : p.substring(step.length() + 1);
        return EventFields.known(field) ? field : null;
    }

    /** Fills the template; {@code match} maps step names to their events in order. */
    static String render(String template, PatternSpec spec, Map<String, List<PatternEvent>> match, String key, String entity) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(value(m.group(1), spec, match, key, entity)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The sentence for a rule without a template: {@code ENTITY: guess x5, then success within 3m}. */
    static String generated(PatternSpec spec, Map<String, List<PatternEvent>> match, String entity) {
        StringBuilder sb = new StringBuilder(entity).append(": ");
        boolean first = true;
        for (PatternStep s : spec.steps) {
            List<PatternEvent> events = match.getOrDefault(s.name, Collections.emptyList());
            if (!s.absent && events.isEmpty()) {
                continue; // an optional step that did not occur
            }
            sb.append(first ? "" : ", then ").append(s.absent ? "no " : "").append(s.name);
            if (events.size() > 1) {
                sb.append(" x").append(events.size());
            }
            first = false;
        }
        return sb.append(" within ").append(Durations.format(span(all(match)))).toString();
    }

    private static String value(String p, PatternSpec spec, Map<String, List<PatternEvent>> match, String key, String entity) {
        switch (p) {
            case "key":
                return key;
            case "entity":
                return entity;
            case "events":
                return Integer.toString(all(match).size());
            case "span":
                return Durations.format(span(all(match)));
            default:
                break;
        }
        String stepName = stepOf(p, spec);
        if (stepName == null) {
            return distinct(spec.fields(), all(match), p);
        }
        List<PatternEvent> step = match.getOrDefault(stepName, Collections.emptyList());
        String what = p.substring(stepName.length() + 1);
        if (what.equals("count")) {
            return Integer.toString(step.size());
        }
        if (what.equals("span")) {
            return Durations.format(span(step));
        }
        return distinct(spec.fields(), step, what);
    }

    static List<PatternEvent> all(Map<String, List<PatternEvent>> match) {
        List<PatternEvent> out = new ArrayList<>();
        for (List<PatternEvent> l : match.values()) {
            out.addAll(l);
        }
        return out;
    }

    /** Sorted distinct values of a field, comma-separated; {@code ?} when no event has one. */
    static String distinct(PatternFields fields, List<PatternEvent> events, String field) {
        TreeSet<String> values = new TreeSet<>();
        for (PatternEvent e : events) {
            String v = fields.get(e, field);
            if (v != null) {
                values.add(v);
            }
        }
        return values.isEmpty() ? "?" : String.join(",", values);
    }

    private static long span(List<PatternEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (PatternEvent e : events) {
            min = Math.min(min, e.eventTime);
            max = Math.max(max, e.eventTime);
        }
        return max - min;
    }

}
