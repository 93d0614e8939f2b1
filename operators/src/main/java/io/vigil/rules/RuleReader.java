package io.vigil.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vigil.cep.PatternSpecs;
import io.vigil.config.Durations;
import io.vigil.model.Family;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one rule of a rules file, adding an error per problem that names the rule and field. The
 * fields every rule takes are read here; the kind's own fields by its {@link KindJudge}, with the
 * readers below.
 */
final class RuleReader {
    static final long DEFAULT_REPEAT_MS = Duration.ofHours(4).toMillis();
    /** The evaluation interval of windowed kinds when neither evaluation_interval nor window.slide is given. */
    static final long DEFAULT_EVALUATION_INTERVAL_MS = Duration.ofMinutes(1).toMillis();

    /** The least retention of a rule with no {@code retention}: a week, or twice the rule's longest span. */
    static final long MIN_DEFAULT_RETENTION_MS = Duration.ofDays(7).toMillis();
    /** Entities a rule tracks at once when it names no {@code max_entities}. */
    static final int DEFAULT_MAX_ENTITIES = 10_000;

    /** What every kind judged against info, warning and critical thresholds takes. */
    static final Set<String> THRESHOLD_FIELDS = Set.of("select", "direction", "info", "warning", "critical", "severity",
            "keep_firing_for");

    /** {@link #THRESHOLD_FIELDS} and a kind's own. */
    static Set<String> thresholdFieldsAnd(String... own) {
        Set<String> all = new java.util.HashSet<>(THRESHOLD_FIELDS);
        all.addAll(Arrays.asList(own));
        return Set.copyOf(all);
    }

    /** What every rule takes, whatever its kind. */
    private static final Set<String> COMMON_KEYS = Set.of("id", "description", "kind", "for", "repeat_interval", "labels",
            "runbook_url", "retention", "max_entities");
    private static final Set<String> SELECT_KEYS =
            Set.of("family", "source", "job", "dataset", "metric", "labels", "field", "key");
    private static final Set<String> WINDOW_KEYS = Set.of("size", "slide");

    private final JsonNode node;
    private final List<String> errors;
    private String name;

    RuleReader(JsonNode node, int position, List<String> errors) {
        this.node = node;
        this.errors = errors;
        this.name = "rule #" + position;
    }

    void error(String field, String problem) {
        errors.add(name + ": field '" + field + "': " + problem);
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** Reads the rule; null when the entry is not a map. */
    Rule read() {
        if (!node.isObject()) {
            errors.add(name + ": expected a map");
            return null;
        }
        Rule r = new Rule();
        r.id = text("id");
        if (r.id == null) {
            error("id", "is required");
        } else {
            name = "rule '" + r.id + "'";
            if (!r.id.matches("[a-z][a-z0-9_]*")) {
                error("id", "use lower-case letters, digits and _ (got '" + r.id + "')");
            }
        }
        Set<String> known = new java.util.TreeSet<>(COMMON_KEYS);
        for (RuleKind k : RuleKind.values()) {
            known.addAll(k.judge().fields());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                error(k, "unknown key; known keys are " + String.join(", ", known));
            }
        }
        r.description = text("description");
        String kind = text("kind");
        if (kind == null) {
            error("kind", "is required");
            return r;
        }
        r.kind = RuleKind.fromId(kind);
        if (r.kind == null) {
            error("kind", "unknown kind '" + kind + "'; expected one of " + kinds());
            return r;
        }
        KindJudge judge = r.kind.judge();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (known.contains(k) && !COMMON_KEYS.contains(k) && !judge.fields().contains(k)) {
                error(k, r.kind.id() + " rules take no " + k + (judge.hint().isEmpty() ? " (" + takers(k) + " rules do)" : judge.hint()));
            }
        }
        judge.read(this, r);
        r.forMs = duration("for", 0);
        r.repeatIntervalMs = duration("repeat_interval", DEFAULT_REPEAT_MS);
        if (has("repeat_interval") && r.repeatIntervalMs == 0) {
            error("repeat_interval", "must be longer than 0");
        }
        r.labels = labels(node.get("labels"), "labels");
        r.runbookUrl = text("runbook_url");
        retention(r);
        r.maxEntities = DEFAULT_MAX_ENTITIES;
        if (has("max_entities")) {
            JsonNode n = node.get("max_entities");
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < 1) {
                error("max_entities", "must be a whole number of at least 1, got " + n.asText());
            } else {
                r.maxEntities = n.intValue();
            }
        }
        return r;
    }

    /**
     * How long an entity may go without input before it is retired. It must outlast everything
     * the rule waits for (its deadlines, window, for and keep_firing_for), or the rule could never
     * judge what it was written for.
     */
    private void retention(Rule r) {
        long longest = r.windowSizeMs + r.forMs + r.keepFiringForMs;
        if (r.kind != null && r.kind.unit() == RuleKind.Unit.DURATION) {
            longest = Math.max(longest, Math.max(Math.max(r.warning == null ? 0 : r.warning.longValue(),
                    r.critical == null ? 0 : r.critical.longValue()), r.info == null ? 0 : r.info.longValue()) + r.forMs);
        }
        if (r.pattern != null) {
            longest = Math.max(longest, r.pattern.withinMs + r.keepFiringForMs);
        }
        if (r.baseline != null) {
            longest = Math.max(longest, r.baseline.historyMs); // a quiet week must not cost a weekly job its history
        }
        r.retentionMs = Math.max(MIN_DEFAULT_RETENTION_MS, 2 * longest);
        if (has("retention")) {
            long given = duration("retention", -1);
            if (given < 0) {
                return; // not a duration: reported
            }
            if (given <= longest) {
                error("retention", "must be longer than the longest span the rule waits for ("
                        + Durations.format(longest) + "), or entities would be retired before they are judged");
            } else {
                r.retentionMs = given;
            }
        }
    }

    /** The node of a kind's own field (pattern rules hand theirs to io.vigil.cep). */
    JsonNode node() {
        return node;
    }

    String id() {
        return name;
    }

    /**
     * The selector; {@code takes} names the select keys beyond family, source, job and dataset
     * that the kind reads (metric, labels, field, key).
     */
    RuleSelector selector(RuleKind kind, String... takes) {
        RuleSelector s = new RuleSelector();
        JsonNode sel = node.get("select");
        if (sel == null || sel.isNull()) {
            sel = JsonNodeFactory.instance.objectNode();
        } else if (!sel.isObject()) {
            error("select", "must be a map");
            return s;
        }
        List<String> own = Arrays.asList(takes);
        for (Iterator<String> it = sel.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!SELECT_KEYS.contains(k)) {
                error("select." + k, "unknown key; known keys are " + sorted(SELECT_KEYS));
            } else if (Set.of("metric", "labels", "field", "key").contains(k) && !own.contains(k)) {
                error("select." + k, kind.id() + " rules do not select by " + k);
            }
        }
        List<Family> families = new ArrayList<>();
        for (String f : strings(sel, "family")) {
            try {
                families.add(Family.valueOf(f.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                error("select.family", "unknown family '" + f + "'; expected pipeline_run, metric, auth, commerce");
            }
        }
        s.families = families.toArray(new Family[0]);
        s.sources = strings(sel, "source");
        s.jobs = strings(sel, "job");
        s.datasets = strings(sel, "dataset");
        s.metric = selText(sel, "metric");
        s.labels = labels(sel.get("labels"), "select.labels");
        s.field = selText(sel, "field");
        s.key = selText(sel, "key");
        return s;
    }

    /** The selector (with {@code takes}), warning and critical, and keep_firing_for of a threshold kind. */
    void thresholdRule(Rule r, String... takes) {
        r.selector = selector(r.kind, takes);
        thresholds(r, false);
        r.keepFiringForMs = duration("keep_firing_for", 0);
    }

    /** A field the rule counts or keys on must exist, or the rule would silently never fire. */
    void knownField(RuleKind kind, String path, String field) {
        if (field == null) {
            error(path, "is required for kind " + kind.id());
        } else if (!EventFields.known(field)) {
            error(path, "unknown field '" + field + "'; known fields are " + EventFields.described());
        }
    }

    /**
     * Direction, warning and critical in the kind's unit. {@code optional}: the kind judges without
     * thresholds too (then {@code severity} may name the severity).
     */
    void thresholds(Rule r, boolean optional) {
        String dir = text("direction");
        if (dir != null) {
            try {
                r.direction = Direction.valueOf(dir.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error("direction", "'" + dir + "' is not above or below");
            }
        }
        r.info = threshold(r.kind, "info");
        r.warning = threshold(r.kind, "warning");
        r.critical = threshold(r.kind, "critical");
        boolean numeric = r.info != null || r.warning != null || r.critical != null;
        if (!optional && !node.hasNonNull("info") && !node.hasNonNull("warning") && !node.hasNonNull("critical")) {
            error("warning", "a " + r.kind.id() + " rule needs an info, warning or critical threshold");
        } else if (!optional && numeric && has("severity")) {
            error("severity", "comes from the info, warning and critical thresholds for kind " + r.kind.id());
        }
        if (r.kind.unit() == RuleKind.Unit.DURATION && r.direction == Direction.BELOW) {
            error("direction", "kind " + r.kind.id() + " measures time passing; only 'above' makes sense");
        }
        ordered(r, "warning", r.warning, "critical", r.critical);
        ordered(r, "info", r.info, "warning", r.warning);
        if (r.warning == null) {
            ordered(r, "info", r.info, "critical", r.critical);
        }
    }

    /** The higher severity's threshold lies further on the bad side than the lower one's. */
    private void ordered(Rule r, String lower, Double low, String higher, Double high) {
        if (low == null || high == null) {
            return;
        }
        boolean ok = r.direction == Direction.ABOVE ? high > low : high < low;
        if (!ok) {
            error(higher, "thresholds in the wrong order: with direction "
                    + r.direction.name().toLowerCase(Locale.ROOT) + ", " + higher + " ("
                    + node.get(higher).asText() + ") must be "
                    + (r.direction == Direction.ABOVE ? "greater" : "less") + " than " + lower + " ("
                    + node.get(lower).asText() + ")");
        }
    }

    /** {@code severity: info|warning|critical}, or null when absent. */
    Severity severity() {
        String sev = text("severity");
        if (sev == null) {
            return null;
        }
        try {
            return Severity.valueOf(sev.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            error("severity", "'" + sev + "' is not info, warning or critical");
            return null;
        }
    }

    private Double threshold(RuleKind kind, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String t = v.asText().trim();
        switch (kind.unit()) {
            case DURATION:
                Long d = durationOf(field, t);
                return d == null ? null : (double) d;
            case RATIO:
                try {
                    double share = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100
                            : Double.parseDouble(t);
                    if (!(share >= 0 && share <= 1)) {
                        error(field, "a share must be between 0 and 1 (or 0% and 100%), got " + t);
                        return null;
                    }
                    return share;
                } catch (NumberFormatException e) {
                    error(field, "'" + t + "' is not a share; write 0.05 or 5%");
                    return null;
                }
            case NUMBER:
                try {
                    double n = Double.parseDouble(t);
                    if (!Double.isFinite(n)) {
                        throw new NumberFormatException();
                    }
                    return n;
                } catch (NumberFormatException e) {
                    error(field, "'" + t + "' is not a number");
                    return null;
                }
            default:
                error(field, "kind " + kind.id() + " takes no threshold");
                return null;
        }
    }

    /**
     * {@code window: SIZE} and {@code evaluation_interval} (default 1m): the window is judged at
     * every interval of event time. {@code window: {size, slide}} is the older spelling; its slide
     * is the interval.
     */
    void window(Rule r) {
        JsonNode w = node.get("window");
        if (w == null || w.isNull()) {
            error("window", "is required for kind " + r.kind.id() + " (e.g. window: 5m)");
            return;
        }
        Long size;
        Long slide = null;
        if (w.isValueNode()) {
            size = durationOf("window", w.asText());
        } else if (w.isObject()) {
            for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!WINDOW_KEYS.contains(k)) {
                    error("window." + k, "unknown key; known keys are size, slide");
                }
            }
            size = w.has("size") ? durationOf("window.size", w.get("size").asText()) : null;
            if (!w.has("size")) {
                error("window.size", "is required");
            }
            if (w.has("slide")) {
                slide = durationOf("window.slide", w.get("slide").asText());
                if (has("evaluation_interval")) {
                    error("window.slide", "give evaluation_interval or window.slide (its older name), not both");
                }
            }
        } else {
            error("window", "write a duration or {size, slide}");
            return;
        }
        String intervalField = slide != null ? "window.slide" : "evaluation_interval";
        Long interval = slide != null ? slide : has("evaluation_interval") ? durationOf("evaluation_interval",
                node.get("evaluation_interval").asText()) : null;
        if (size == null || (interval == null && has(intervalField))) {
            return;
        }
        if (interval == null) {
            // the default interval, or the window itself where 1m does not divide it (a 90s window)
            interval = size % DEFAULT_EVALUATION_INTERVAL_MS == 0 ? DEFAULT_EVALUATION_INTERVAL_MS : size;
        }
        if (size <= 0 || interval <= 0) {
            error("window", "size and " + intervalField + " must be longer than 0");
        } else if (interval > size) {
            error(intervalField, "must not be longer than the window size");
        } else if (size % interval != 0) {
            error(intervalField, "must divide the window size evenly");
        } else {
            r.windowSizeMs = size;
            r.windowSlideMs = interval;
        }
    }

    /** Source-level kinds see a source per second ({@link SourceDigest}): their spans are whole seconds. */
    void wholeSeconds(String field, Double ms) {
        if (ms != null && ms > 0 && ms % SourceDigest.SECOND_MS != 0) {
            error(field, "must be a whole number of seconds for a source-level rule (got " + ms.longValue() + "ms)");
        }
    }

    /** {@code quantile}: required, strictly between 0 and 1. */
    void quantile(Rule r) {
        JsonNode q = node.get("quantile");
        if (q == null || !q.isNumber()) {
            error("quantile", "is required for kind " + r.kind.id() + ": 0.5, 0.95 or 0.99");
            return;
        }
        double d = q.doubleValue();
        if (!(d > 0 && d < 1)) {
            error("quantile", "must be between 0 and 1 exclusive, got " + d);
            return;
        }
        r.quantile = d;
    }

    /**
     * {@code where: {FIELD: VALUE or [VALUES]}}: event fields an event must have to count, each
     * one of its values ({@code *} wildcards); absent, every event the selector admits counts.
     */
    void where(Rule r) {
        JsonNode w = node.get("where");
        if (w == null || w.isNull()) {
            return;
        }
        if (!w.isObject()) {
            error("where", "must be a map of event fields to a value or a list of values");
            return;
        }
        List<Label> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = w.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            knownField(r.kind, "where." + e.getKey(), e.getKey());
            JsonNode v = e.getValue();
            List<JsonNode> values = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(values::add);
            } else {
                values.add(v);
            }
            if (values.isEmpty()) {
                error("where." + e.getKey(), "needs at least one value");
            }
            for (JsonNode x : values) {
                if (!x.isValueNode() || x.isNull()) {
                    error("where." + e.getKey(), "must be a value or a list of values");
                } else if (x.asText().equals(RuleSelector.NOT)) {
                    error("where." + e.getKey(), "'" + RuleSelector.NOT + "' needs a value after it (!v: any value but v)");
                } else {
                    out.add(new Label(e.getKey(), x.asText()));
                }
            }
        }
        r.where = out.toArray(new Label[0]);
    }

    /** A pattern rule's sequence and resolution (io.vigil.cep). */
    void pattern(Rule r) {
        r.pattern = PatternSpecs.parse(node, r.id == null ? "?" : r.id, errors);
    }

    long duration(String field, long dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        Long d = durationOf(field, v.asText());
        return d == null ? dflt : d;
    }

    private Long durationOf(String field, String text) {
        try {
            return Durations.parse(text).toMillis();
        } catch (IllegalArgumentException e) {
            error(field, e.getMessage());
            return null;
        }
    }

    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            error(field, "must be a single value");
            return null;
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    private String selText(JsonNode sel, String field) {
        JsonNode v = sel.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            error("select." + field, "must be a single value");
            return null;
        }
        return v.asText();
    }

    private String[] strings(JsonNode sel, String field) {
        JsonNode v = sel.get(field);
        if (v == null || v.isNull()) {
            return new String[0];
        }
        if (v.isValueNode()) {
            return new String[] {v.asText()};
        }
        if (v.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode x : v) {
                if (!x.isValueNode()) {
                    error("select." + field, "must be a name or a list of names");
                    return new String[0];
                }
                out.add(x.asText());
            }
            return out.toArray(new String[0]);
        }
        error("select." + field, "must be a name or a list of names");
        return new String[0];
    }

    private Label[] labels(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return new Label[0];
        }
        if (!v.isObject()) {
            error(field, "must be a map of names to values");
            return new Label[0];
        }
        List<Label> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                error(field + "." + e.getKey(), "must be a single value");
                continue;
            }
            out.add(new Label(e.getKey(), e.getValue().asText()));
        }
        out.sort(Comparator.comparing(l -> l.key));
        return out.toArray(new Label[0]);
    }

    /** The kinds that take a rule field, for the message when another kind is given it. */
    private static String takers(String field) {
        Set<String> ids = new LinkedHashSet<>();
        for (RuleKind k : RuleKind.values()) {
            if (k.judge().fields().contains(field)) {
                ids.add(k.id());
            }
        }
        return String.join(", ", ids);
    }

    private static String kinds() {
        Set<String> ids = new LinkedHashSet<>();
        for (RuleKind k : RuleKind.values()) {
            ids.add(k.id());
        }
        return String.join(", ", ids);
    }

    private static String sorted(Set<String> s) {
        String[] a = s.toArray(new String[0]);
        Arrays.sort(a);
        return String.join(", ", a);
    }
}
