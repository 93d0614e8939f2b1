package io.vigil.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.cep.PatternSpecs;
import io.vigil.config.Durations;
import io.vigil.model.Family;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a rules file (YAML). Collects every error rather than stopping at the first,
 * each naming the rule id and field, so {@code vigil rules check} can report a file in one pass.
 */
public final class RulesFile {
    static final long DEFAULT_REPEAT_MS = Duration.ofHours(4).toMillis();

    private static final Set<String> RULE_KEYS = Set.of("id", "description", "kind", "select", "direction",
            "warning", "critical", "severity", "window", "quantile", "for", "keep_firing_for",
            "repeat_interval", "labels", "runbook_url", "pattern", "resolve");
    /** What only the threshold kinds take. */
    private static final String[] NOT_FOR_PATTERNS = {"select", "direction", "warning", "critical", "window", "quantile",
        "keep_firing_for"};
    private static final Set<String> SELECT_KEYS =
            Set.of("family", "source", "job", "dataset", "metric", "labels", "field", "key");
    private static final String[] INHIBIT_KEYS_ORDERED = {"source", "target", "equal"};
    private static final Set<String> INHIBIT_KEYS = Set.of(INHIBIT_KEYS_ORDERED);
    private static final Set<String> WINDOW_KEYS = Set.of("size", "slide");

    private RulesFile() {}

    public static RuleSet load(Path file) throws IOException, RuleSetException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The default rules bundled in the job jar (conf/rules.yaml at build time). */
    public static RuleSet bundled() throws IOException, RuleSetException {
        try (java.io.InputStream in = RulesFile.class.getResourceAsStream("/vigil/rules.yaml")) {
            if (in == null) {
                throw new IOException("no bundled rules (vigil/rules.yaml) on the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled rules.yaml");
        }
    }

    public static RuleSet parse(String text, String origin) throws RuleSetException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new RuleSetException(origin, List.of("not valid YAML: " + e.getMessage().split("\n")[0]));
        }
        List<String> errors = new ArrayList<>();
        if (root == null || !root.isObject() || !root.has("rules")) {
            throw new RuleSetException(origin, List.of("expected a map with a 'rules' list"));
        }
        Iterator<String> top = root.fieldNames();
        while (top.hasNext()) {
            String k = top.next();
            if (!k.equals("rules") && !k.equals("inhibit")) {
                errors.add("unknown top-level key '" + k + "'; the file holds 'rules' and 'inhibit'");
            }
        }
        JsonNode list = root.get("rules");
        if (!list.isArray()) {
            throw new RuleSetException(origin, List.of("'rules' must be a list"));
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            RuleReader r = new RuleReader(list.get(i), i + 1, errors);
            Rule rule = r.read();
            if (rule != null && rule.id != null && !ids.add(rule.id)) {
                errors.add("rule '" + rule.id + "': id used twice");
            }
            if (rule != null) {
                rules.add(rule);
            }
        }
        InhibitRule[] inhibitions = inhibitions(root.get("inhibit"), ids, errors);
        if (!errors.isEmpty()) {
            throw new RuleSetException(origin, errors);
        }
        RuleSet set = new RuleSet(rules.toArray(new Rule[0]), version(text));
        set.inhibitions = inhibitions;
        return set;
    }

    private static InhibitRule[] inhibitions(JsonNode list, Set<String> ruleIds, List<String> errors) {
        if (list == null || list.isNull()) {
            return new InhibitRule[0];
        }
        if (!list.isArray()) {
            errors.add("'inhibit' must be a list");
            return new InhibitRule[0];
        }
        List<InhibitRule> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String name = "inhibit #" + (i + 1);
            JsonNode n = list.get(i);
            if (!n.isObject()) {
                errors.add(name + ": expected a map with source, target and equal");
                continue;
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!INHIBIT_KEYS.contains(k)) {
                    errors.add(name + ": field '" + k + "': unknown key; known keys are " + String.join(", ", INHIBIT_KEYS_ORDERED));
                }
            }
            InhibitRule r = new InhibitRule();
            r.source = matchers(n.get("source"), name, "source", ruleIds, errors);
            r.target = matchers(n.get("target"), name, "target", ruleIds, errors);
            JsonNode eq = n.get("equal");
            if (eq != null && !eq.isNull()) {
                if (!eq.isArray()) {
                    errors.add(name + ": field 'equal': must be a list of label names (or rule_id, entity, severity)");
                } else {
                    List<String> keys = new ArrayList<>();
                    for (JsonNode x : eq) {
                        if (!x.isTextual() || x.textValue().isEmpty()) {
                            errors.add(name + ": field 'equal': must be a list of label names (or rule_id, entity, severity)");
                        } else {
                            keys.add(x.textValue());
                        }
                    }
                    r.equal = keys.toArray(new String[0]);
                }
            }
            out.add(r);
        }
        return out.toArray(new InhibitRule[0]);
    }

    /** {@code {key: value-or-list}}; a rule_id without wildcards must name a rule of the file. */
    private static Label[] matchers(JsonNode m, String name, String field, Set<String> ruleIds, List<String> errors) {
        if (m == null || !m.isObject() || m.size() == 0) {
            errors.add(name + ": field '" + field + "': is required: a map of label matchers, e.g. {rule_id: source_stale}");
            return new Label[0];
        }
        List<Label> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<JsonNode> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(values::add);
            } else {
                values.add(e.getValue());
            }
            for (JsonNode v : values) {
                if (!v.isValueNode() || v.isNull()) {
                    errors.add(name + ": field '" + field + "." + e.getKey() + "': must be a value or a list of values");
                    continue;
                }
                String value = v.asText();
                if (e.getKey().equals("rule_id") && !value.contains("*") && !ruleIds.contains(value)) {
                    errors.add(name + ": field '" + field + ".rule_id': no rule '" + value + "' in this file");
                }
                out.add(new Label(e.getKey(), value));
            }
        }
        return out.toArray(new Label[0]);
    }

    private static String version(String text) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                sb.append(String.format("%02x", h[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one rule, adding an error per problem; returns null when the entry is not a map. */
    private static final class RuleReader {
        private final JsonNode node;
        private final List<String> errors;
        private String name;

        RuleReader(JsonNode node, int position, List<String> errors) {
            this.node = node;
            this.errors = errors;
            this.name = "rule #" + position;
        }

        private void error(String field, String problem) {
            errors.add(name + ": field '" + field + "': " + problem);
        }

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
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!RULE_KEYS.contains(k)) {
                    error(k, "unknown key; known keys are " + sorted(RULE_KEYS));
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
            if (r.kind == RuleKind.PATTERN) {
                pattern(r);
            } else {
                if (node.has("pattern") || node.has("resolve")) {
                    error(node.has("pattern") ? "pattern" : "resolve", "only pattern rules take it");
                }
                r.selector = selector(r.kind);
                thresholds(r);
                window(r);
                quantile(r);
                r.keepFiringForMs = duration("keep_firing_for", 0);
            }
            r.forMs = duration("for", 0);
            r.repeatIntervalMs = duration("repeat_interval", DEFAULT_REPEAT_MS);
            if (node.has("repeat_interval") && r.repeatIntervalMs == 0) {
                error("repeat_interval", "must be longer than 0");
            }
            r.labels = labels(node.get("labels"), "labels");
            r.runbookUrl = text("runbook_url");
            return r;
        }

        /**
         * A sequence rule: the pattern and its resolution (io.vigil.cep), a severity. A match is a
         * moment, not a state: with {@code resolve.after} the alert keeps firing that long after
         * the last match (the lifecycle's keep_firing_for); with {@code resolve.when} until the key's
         * next event that matches.
         */
        private void pattern(Rule r) {
            for (String k : NOT_FOR_PATTERNS) {
                if (node.has(k)) {
                    error(k, "pattern rules take no " + k + "; the pattern says what matches and 'severity' how bad it is");
                }
            }
            String sev = text("severity");
            if (sev == null) {
                error("severity", "is required for kind pattern (info, warning or critical)");
            } else {
                try {
                    r.severity = Severity.valueOf(sev.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    error("severity", "'" + sev + "' is not info, warning or critical");
                }
            }
            r.pattern = PatternSpecs.parse(node, r.id == null ? "?" : r.id, errors);
            if (r.pattern == null) {
                return;
            }
            if (r.pattern.resolveAfterMs > 0 && r.pattern.resolveWhen != null) {
                error("resolve", "give one of after and when");
            } else if (r.pattern.resolveWhen != null && r.pattern.entityFields.length > 0) {
                error("resolve.when", "cannot be combined with pattern.entity: the resolving event does not know the "
                        + "entity's other values; use resolve.after");
            }
            r.keepFiringForMs = r.pattern.resolveAfterMs;
        }

        private RuleSelector selector(RuleKind kind) {
            RuleSelector s = new RuleSelector();
            JsonNode sel = node.get("select");
            if (sel == null || sel.isNull()) {
                sel = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            } else if (!sel.isObject()) {
                error("select", "must be a map");
                return s;
            }
            for (Iterator<String> it = sel.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!SELECT_KEYS.contains(k)) {
                    error("select." + k, "unknown key; known keys are " + sorted(SELECT_KEYS));
                }
            }
            List<Family> families = new ArrayList<>();
            for (String f : strings(sel, "family")) {
                try {
                    families.add(Family.valueOf(familyName(f)));
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
            if (kind == RuleKind.METRIC_THRESHOLD && s.metric == null) {
                error("select.metric", "is required for kind metric_threshold");
            }
            if (kind != RuleKind.METRIC_THRESHOLD && (s.metric != null || s.labels.length > 0)) {
                error("select.metric", "only metric_threshold rules select metrics");
            }
            if (kind == RuleKind.DISTINCT_COUNT) {
                knownField("select.field", s.field);
                knownField("select.key", s.key);
            } else if (s.field != null || s.key != null) {
                error(s.field != null ? "select.field" : "select.key", "only distinct_count rules count fields");
            }
            return s;
        }

        /** A field the rule counts or keys on must exist, or the rule would silently never fire. */
        private void knownField(String path, String name) {
            if (name == null) {
                error(path, "is required for kind distinct_count");
            } else if (!EventFields.known(name)) {
                error(path, "unknown field '" + name + "'; known fields are " + String.join(", ", EventFields.NAMES));
            }
        }

        private void thresholds(Rule r) {
            String dir = text("direction");
            if (dir != null) {
                try {
                    r.direction = Direction.valueOf(dir.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    error("direction", "'" + dir + "' is not above or below");
                }
            }
            r.warning = threshold(r.kind, "warning");
            r.critical = threshold(r.kind, "critical");
            String sev = text("severity");
            if (sev != null) {
                try {
                    r.severity = Severity.valueOf(sev.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    error("severity", "'" + sev + "' is not info, warning or critical");
                }
            }
            boolean numeric = r.warning != null || r.critical != null;
            if (r.kind == RuleKind.DQ_ASSERTION) {
                if (r.severity == null) {
                    r.severity = Severity.WARNING; // failed assertions, when no null-rate threshold is given
                }
            } else if (!node.hasNonNull("warning") && !node.hasNonNull("critical")) {
                error("warning", "a " + r.kind.id() + " rule needs a warning or critical threshold");
            } else if (numeric && r.severity != null) {
                error("severity", "comes from the warning and critical thresholds for kind " + r.kind.id());
            }
            if (r.kind.unit() == RuleKind.Unit.DURATION && r.direction == Direction.BELOW) {
                error("direction", "kind " + r.kind.id() + " measures time passing; only 'above' makes sense");
            }
            if (r.warning != null && r.critical != null) {
                boolean ordered = r.direction == Direction.ABOVE ? r.critical > r.warning : r.critical < r.warning;
                if (!ordered) {
                    error("critical", "thresholds in the wrong order: with direction "
                            + r.direction.name().toLowerCase(Locale.ROOT) + ", critical ("
                            + node.get("critical").asText() + ") must be "
                            + (r.direction == Direction.ABOVE ? "greater" : "less") + " than warning ("
                            + node.get("warning").asText() + ")");
                }
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
                    try {
                        return (double) Durations.parse(t).toMillis();
                    } catch (IllegalArgumentException e) {
                        error(field, e.getMessage());
                        return null;
                    }
                case RATIO:
                    try {
                        double d = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100
                                : Double.parseDouble(t);
                        if (!(d >= 0 && d <= 1)) {
                            error(field, "a share must be between 0 and 1 (or 0% and 100%), got " + t);
                            return null;
                        }
                        return d;
                    } catch (NumberFormatException e) {
                        error(field, "'" + t + "' is not a share; write 0.05 or 5%");
                        return null;
                    }
                case NUMBER:
                    try {
                        double d = Double.parseDouble(t);
                        if (!Double.isFinite(d)) {
                            throw new NumberFormatException();
                        }
                        return d;
                    } catch (NumberFormatException e) {
                        error(field, "'" + t + "' is not a number");
                        return null;
                    }
                default:
                    error(field, "kind " + kind.id() + " takes no threshold");
                    return null;
            }
        }

        private void window(Rule r) {
            JsonNode w = node.get("window");
            if (w == null || w.isNull()) {
                if (r.kind.windowed()) {
                    error("window", "is required for kind " + r.kind.id() + " (e.g. window: {size: 5m, slide: 1m})");
                }
                return;
            }
            if (!r.kind.windowed()) {
                error("window", "kind " + r.kind.id() + " takes no window");
                return;
            }
            Long size;
            Long slide;
            if (w.isValueNode()) {
                size = durationOf("window", w.asText());
                slide = size;
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
                slide = w.has("slide") ? durationOf("window.slide", w.get("slide").asText()) : size;
            } else {
                error("window", "write a duration or {size, slide}");
                return;
            }
            if (size == null || slide == null) {
                return;
            }
            if (size <= 0 || slide <= 0) {
                error("window", "size and slide must be longer than 0");
            } else if (slide > size) {
                error("window.slide", "must not be longer than the window size");
            } else if (size % slide != 0) {
                error("window.slide", "must divide the window size evenly");
            } else {
                r.windowSizeMs = size;
                r.windowSlideMs = slide;
            }
        }

        private void quantile(Rule r) {
            JsonNode q = node.get("quantile");
            if (r.kind != RuleKind.LATENCY_QUANTILE) {
                if (q != null) {
                    error("quantile", "only latency_quantile rules take a quantile");
                }
                return;
            }
            if (q == null || !q.isNumber()) {
                error("quantile", "is required for kind latency_quantile: 0.5, 0.95 or 0.99");
                return;
            }
            double d = q.doubleValue();
            if (!(d > 0 && d < 1)) {
                error("quantile", "must be between 0 and 1 exclusive, got " + d);
                return;
            }
            r.quantile = d;
        }

        private long duration(String field, long dflt) {
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

        private String text(String field) {
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

        private static String familyName(String f) {
            return f.trim().toUpperCase(Locale.ROOT);
        }

        private static String kinds() {
            StringBuilder sb = new StringBuilder();
            for (RuleKind k : RuleKind.values()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k.id());
            }
            return sb.toString();
        }

        private static String sorted(Set<String> s) {
            String[] a = s.toArray(new String[0]);
            Arrays.sort(a);
            return String.join(", ", a);
        }
    }
}
