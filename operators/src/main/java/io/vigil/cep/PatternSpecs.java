package io.vigil.cep;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.config.Durations;
import io.vigil.model.CommerceEventType;
import io.vigil.model.Family;
import io.vigil.model.RunEventType;
import io.vigil.rules.EventFields;
import io.vigil.rules.RuleSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.pattern.Pattern;

/**
 * Reads the {@code pattern} and {@code resolve} keys of a {@code kind: pattern} rule into a
 * {@link PatternSpec}. Adds one message per problem, worded like the rest of the rules file
 * ({@code rule 'ID': field 'pattern.steps[1].times': problem}), so a check reports them all.
 */
public final class PatternSpecs {
    private static final Set<String> PATTERN_KEYS = Set.of("events", "key", "steps", "within", "entity", "summary");
    private static final Set<String> STEP_KEYS = Set.of(
            "name", "where", "times", "contiguity", "absent", "within", "within_previous", "differs_from_previous");
    private static final Set<String> RESOLVE_KEYS = Set.of("after", "when");
    private static final String NAME_FORM = "[a-z][a-z0-9_]*";

    /**
     * Fields with a closed set of values: a value outside it is a typo that would make the rule
     * never fire. Orientations are LANL's (the auth parsers accept exactly these).
     */
    private static final Map<String, List<String>> CLOSED_VALUES = closedValues();

    private PatternSpecs() {}

    /**
     * Reads a pattern rule.
     *
     * @param rule the rule's map, as parsed from the rules file; only {@code pattern} and
     *     {@code resolve} are read here
     * @param ruleId the rule's id, for the messages
     * @param errors receives one message per problem
     * @return the spec, or null when this rule added any error
     */
    public static PatternSpec parse(JsonNode rule, String ruleId, List<String> errors) {
        int before = errors.size();
        PatternSpec spec = new Reader(ruleId, errors).read(rule);
        return errors.size() == before ? spec : null;
    }

    private static Map<String, List<String>> closedValues() {
        Map<String, List<String>> m = new HashMap<>();
        m.put("outcome", List.of("success", "failure"));
        m.put("orientation", List.of("LogOn", "LogOff", "TGS", "TGT", "AuthMap", "ScreenLock", "ScreenUnlock"));
        List<String> types = new ArrayList<>();
        for (RunEventType t : RunEventType.values()) {
            types.add(t.name());
        }
        for (CommerceEventType t : CommerceEventType.values()) {
            types.add(t.wire());
        }
        m.put("event_type", types);
        return m;
    }

    /** One rule's pattern, read with its errors. */
    private static final class Reader {
        private final String ruleId;
        private final List<String> errors;
        private final int start;

        Reader(String ruleId, List<String> errors) {
            this.ruleId = ruleId;
            this.errors = errors;
            this.start = errors.size();
        }

        private void error(String field, String problem) {
            errors.add("rule '" + ruleId + "': field '" + field + "': " + problem);
        }

        PatternSpec read(JsonNode rule) {
            PatternSpec spec = new PatternSpec();
            JsonNode p = rule.get("pattern");
            if (p == null || p.isNull()) {
                error("pattern", "is required for kind pattern");
            } else if (!p.isObject()) {
                error("pattern", "must be a map with events, key, steps and within");
            } else {
                unknownKeys(p, "pattern", PATTERN_KEYS);
                spec.events = condition(p.get("events"), "pattern.events");
                spec.key = key(p.get("key"));
                spec.withinMs = within(p.get("within"));
                spec.steps = steps(p.get("steps"), spec.withinMs);
                spec.entityFields = fieldList(p.get("entity"), "pattern.entity");
                spec.summary = summary(p.get("summary"), spec);
            }
            resolve(rule.get("resolve"), spec);
            if (p != null && p.isObject() && !hasErrors()) {
                compiles(spec);
            }
            return spec;
        }

        /** True when this rule added an error; the list may already hold other rules' errors. */
        private boolean hasErrors() {
            return errors.size() > start;
        }

        private String key(JsonNode v) {
            if (v == null || v.isNull()) {
                error("pattern.key", "is required: the field that partitions the events, e.g. destination_user or job");
                return null;
            }
            return field(v, "pattern.key");
        }

        private long within(JsonNode v) {
            if (v == null || v.isNull()) {
                error("pattern.within", "is required: a bound such as 20m keeps the partial matches, and the state "
                        + "they hold, from growing without end");
                return 0;
            }
            return positiveDuration(v, "pattern.within");
        }

        private PatternStep[] steps(JsonNode v, long patternWithinMs) {
            if (v == null || v.isNull()) {
                error("pattern.steps", "is required: a list of at least one step");
                return new PatternStep[0];
            }
            if (!v.isArray() || v.size() == 0) {
                error("pattern.steps", "must be a list of at least one step");
                return new PatternStep[0];
            }
            List<PatternStep> out = new ArrayList<>();
            Map<String, Integer> names = new HashMap<>();
            for (int i = 0; i < v.size(); i++) {
                PatternStep s = step(v.get(i), i, patternWithinMs);
                if (s == null) {
                    continue;
                }
                if (s.name != null) {
                    Integer other = names.putIfAbsent(s.name, i);
                    if (other != null) {
                        error("pattern.steps[" + i + "].name", "'" + s.name + "' already names steps[" + other + "]");
                    }
                }
                out.add(s);
            }
            return out.toArray(new PatternStep[0]);
        }

        private PatternStep step(JsonNode n, int i, long patternWithinMs) {
            String at = "pattern.steps[" + i + "]";
            if (!n.isObject()) {
                error(at, "must be a map with a name and a where");
                return null;
            }
            unknownKeys(n, at, STEP_KEYS);
            PatternStep s = new PatternStep();
            s.name = name(n.get("name"), at + ".name");
            s.where = condition(n.get("where"), at + ".where");
            s.absent = flag(n.get("absent"), at + ".absent");
            times(n.get("times"), at + ".times", s);
            s.strict = contiguity(n.get("contiguity"), at + ".contiguity");
            if (n.hasNonNull("within")) {
                s.withinMs = stepDuration(n.get("within"), at + ".within", patternWithinMs);
            }
            if (n.hasNonNull("within_previous")) {
                s.withinPreviousMs = stepDuration(n.get("within_previous"), at + ".within_previous", patternWithinMs);
            }
            if (n.hasNonNull("differs_from_previous")) {
                s.differsFromPrevious = field(n.get("differs_from_previous"), at + ".differs_from_previous");
            }
            if (s.absent) {
                absentRules(n, at, i, s);
            } else {
                placeRules(n, at, i, s);
            }
            return s;
        }

        /** An absent step names events that must not occur next: no count, no timing of its own. */
        private void absentRules(JsonNode n, String at, int i, PatternStep s) {
            if (i == 0) {
                error(at + ".absent", "the first step cannot be absent: a pattern starts with an event");
            }
            if (s.where.isEmpty()) {
                error(at + ".where", "is required for an absent step: it names the events that must not occur");
            }
            for (String k : new String[] {"times", "within", "within_previous", "differs_from_previous"}) {
                if (n.hasNonNull(k)) {
                    error(at + "." + k, "an absent step takes no " + k);
                }
            }
        }

        /** Options that only make sense with a previous event, or with repeated events. */
        private void placeRules(JsonNode n, String at, int i, PatternStep s) {
            if (s.withinMs > 0 && !s.repeated()) {
                error(at + ".within", "only a repeated step (times: N or N+) has a span of its own; "
                        + "within_previous bounds the gap to the previous step");
            }
            if (i > 0) {
                return;
            }
            if (n.hasNonNull("within_previous")) {
                error(at + ".within_previous", "the first step has no previous step");
            }
            if (s.strict && !s.repeated()) {
                error(at + ".contiguity", "strict has no effect on a first step that is not repeated");
            }
            if (s.differsFromPrevious != null && !s.repeated()) {
                error(at + ".differs_from_previous", "the first step has no previous event to differ from");
            }
        }

        private String name(JsonNode v, String at) {
            if (v == null || v.isNull()) {
                error(at, "is required");
                return null;
            }
            String s = v.isValueNode() ? v.asText().trim() : "";
            if (!s.matches(NAME_FORM)) {
                error(at, "use lower-case letters, digits and _ (got '" + v.asText() + "')");
                return null;
            }
            return s;
        }

        /** {@code once} (default), {@code optional}, {@code N} or {@code N+}. */
        private void times(JsonNode v, String at, PatternStep s) {
            if (v == null || v.isNull()) {
                return;
            }
            String t = v.isValueNode() ? v.asText().trim() : "";
            if (t.equals("once")) {
                return;
            }
            if (t.equals("optional")) {
                s.optional = true;
                return;
            }
            boolean orMore = t.endsWith("+");
            String digits = orMore ? t.substring(0, t.length() - 1).trim() : t;
            if (!digits.matches("\\d{1,6}")) {
                error(at, "'" + v.asText() + "' is not a count; write once, optional, N or N+ (N at least 1)");
                return;
            }
            int n = Integer.parseInt(digits);
            if (n < 1) {
                error(at, "must be at least 1; write optional for a step that may not occur");
                return;
            }
            s.times = n;
            s.orMore = orMore;
        }

        private boolean contiguity(JsonNode v, String at) {
            if (v == null || v.isNull()) {
                return false;
            }
            String t = v.isValueNode() ? v.asText().trim() : "";
            if (t.equals("strict")) {
                return true;
            }
            if (!t.equals("relaxed")) {
                error(at, "'" + v.asText() + "' is not relaxed or strict");
            }
            return false;
        }

        private boolean flag(JsonNode v, String at) {
            if (v == null || v.isNull()) {
                return false;
            }
            if (!v.isBoolean()) {
                error(at, "must be true or false");
                return false;
            }
            return v.booleanValue();
        }

        private long stepDuration(JsonNode v, String at, long patternWithinMs) {
            long d = positiveDuration(v, at);
            if (d > 0 && patternWithinMs > 0 && d > patternWithinMs) {
                error(at, "must not be longer than pattern.within (" + Durations.format(patternWithinMs) + ")");
            }
            return d;
        }

        private long positiveDuration(JsonNode v, String at) {
            if (!v.isValueNode()) {
                error(at, "must be a duration such as 10m");
                return 0;
            }
            try {
                long ms = Durations.parse(v.asText()).toMillis();
                if (ms <= 0) {
                    error(at, "must be longer than 0");
                }
                return ms;
            } catch (IllegalArgumentException e) {
                error(at, e.getMessage());
                return 0;
            }
        }

        /** A field name that must be {@link EventFields#known}. */
        private String field(JsonNode v, String at) {
            if (!v.isValueNode()) {
                error(at, "must be a field name");
                return null;
            }
            String f = v.asText().trim();
            if (!EventFields.known(f)) {
                error(at, "unknown field '" + f + "'; known fields are " + EventFields.described());
                return null;
            }
            return f;
        }

        private String[] fieldList(JsonNode v, String at) {
            if (v == null || v.isNull()) {
                return new String[0];
            }
            List<String> out = new ArrayList<>();
            if (v.isArray()) {
                for (JsonNode x : v) {
                    String f = field(x, at);
                    if (f != null) {
                        out.add(f);
                    }
                }
            } else {
                String f = field(v, at);
                if (f != null) {
                    out.add(f);
                }
            }
            return out.toArray(new String[0]);
        }

        private String summary(JsonNode v, PatternSpec spec) {
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isValueNode() || v.asText().trim().isEmpty()) {
                error("pattern.summary", "must be a sentence, e.g. \"{guess.count} failed logons against {key}\"");
                return null;
            }
            for (String problem : SummaryTemplate.problems(v.asText(), spec)) {
                error("pattern.summary", problem);
            }
            return v.asText().trim();
        }

        private void resolve(JsonNode v, PatternSpec spec) {
            if (v == null || v.isNull()) {
                error("resolve", "is required for kind pattern: resolve: {after: 1h} or resolve: {when: {event_type: COMPLETE}}");
                return;
            }
            if (!v.isObject()) {
                error("resolve", "must be a map with after, when or both");
                return;
            }
            unknownKeys(v, "resolve", RESOLVE_KEYS);
            if (!v.hasNonNull("after") && !v.hasNonNull("when")) {
                error("resolve", "needs after (a duration), when (a condition) or both");
            }
            if (v.hasNonNull("after")) {
                spec.resolveAfterMs = positiveDuration(v.get("after"), "resolve.after");
            }
            if (v.hasNonNull("when")) {
                spec.resolveWhen = condition(v.get("when"), "resolve.when");
                if (spec.resolveWhen.isEmpty() && v.get("when").isObject()) {
                    error("resolve.when", "must name at least one field: an empty condition resolves on any event");
                }
            }
        }

        /** {@code {field: value | [values], family: ..., source: ...}}; absent means every event. */
        private EventCondition condition(JsonNode v, String at) {
            EventCondition c = new EventCondition();
            if (v == null || v.isNull()) {
                return c;
            }
            if (!v.isObject()) {
                error(at, "must be a map of fields to a value or a list of values");
                return c;
            }
            List<Family> families = new ArrayList<>();
            List<FieldValues> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                String path = at + "." + k;
                String[] values = values(e.getValue(), path);
                if (values == null) {
                    continue;
                }
                if (k.equals("family")) {
                    for (String f : values) {
                        try {
                            families.add(Family.valueOf(f.trim().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException x) {
                            error(path, "unknown family '" + f + "'; expected pipeline_run, metric, auth, commerce");
                        }
                    }
                } else if (k.equals("source")) {
                    c.sources = values;
                } else if (!EventFields.known(k)) {
                    error(path, "unknown field; known fields are family, source, " + EventFields.described());
                } else {
                    closed(k, values, path);
                    fields.add(new FieldValues(k, values));
                }
            }
            c.families = families.toArray(new Family[0]);
            c.fields = fields.toArray(new FieldValues[0]);
            return c;
        }

        private String[] values(JsonNode v, String at) {
            if (v.isValueNode() && !v.isNull()) {
                return new String[] {v.asText()};
            }
            if (v.isArray() && v.size() > 0) {
                Set<String> out = new LinkedHashSet<>();
                for (JsonNode x : v) {
                    if (!x.isValueNode() || x.isNull()) {
                        error(at, "must be a value or a list of values");
                        return null;
                    }
                    out.add(x.asText());
                }
                return out.toArray(new String[0]);
            }
            error(at, v.isArray() ? "must list at least one value" : "must be a value or a list of values");
            return null;
        }

        /** A field's values: {@code !} needs a value after it; fields with a closed set take only its values. */
        private void closed(String field, String[] values, String at) {
            List<String> allowed = CLOSED_VALUES.get(field);
            for (String x : values) {
                String v = x.startsWith(RuleSelector.NOT) ? x.substring(RuleSelector.NOT.length()) : x;
                if (v.isEmpty()) {
                    error(at, "'" + x + "' needs a value after '" + RuleSelector.NOT + "' (!v: any value but v)");
                } else if (allowed != null && !allowed.contains(v)) {
                    error(at, "'" + v + "' is not one of " + String.join(", ", allowed));
                }
            }
        }

        private void unknownKeys(JsonNode n, String at, Set<String> known) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!known.contains(k)) {
                    error(at + "." + k, "unknown key; known keys are " + String.join(", ", new TreeSet<>(known)));
                }
            }
        }

        /** Flink refuses some step combinations (an optional step before an absent one, ...). */
        private void compiles(PatternSpec spec) {
            try {
                Pattern<PatternEvent, PatternEvent> p = PatternCompiler.compile(spec);
                if (NFACompiler.canProduceEmptyMatches(p)) {
                    error("pattern.steps", "every step is optional: the pattern would match no event");
                    return;
                }
                NFACompiler.compileFactory(p, false);
            } catch (RuntimeException e) {
                // MalformedPatternException, and UnsupportedOperationException for some NOT combinations
                error("pattern.steps", "cannot be compiled: " + e.getMessage());
            }
        }
    }
}
