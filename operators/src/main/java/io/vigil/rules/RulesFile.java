package io.vigil.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.model.Label;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a rules file (YAML). Collects every error rather than stopping at the first,
 * each naming the rule id and field, so {@code vigil rules check} can report a file in one pass.
 */
public final class RulesFile {
    private static final String[] INHIBIT_KEYS_ORDERED = {"source", "target", "equal"};
    private static final Set<String> INHIBIT_KEYS = Set.of(INHIBIT_KEYS_ORDERED);
    private static final Set<String> TOP_KEYS = Set.of("scope", "rules", "inhibit", "escalations", "time_intervals", "mutes");

    private RulesFile() {}

    public static RuleSet load(Path file) throws IOException, RuleSetException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Several rules files (e.g. rule packs) as one rule set: every file is checked on its own, and a
     * rule id defined in two files is an error naming both. Inhibit rules stay with their file's rules.
     */
    public static RuleSet loadAll(List<Path> files) throws IOException, RuleSetException {
        if (files.size() == 1) {
            return load(files.get(0));
        }
        List<Rule> rules = new ArrayList<>();
        List<InhibitRule> inhibitions = new ArrayList<>();
        List<EscalationPolicy> escalations = new ArrayList<>();
        List<MuteRule> mutes = new ArrayList<>();
        Map<String, Path> owner = new java.util.HashMap<>();
        Map<String, Path> policyOwner = new java.util.HashMap<>();
        List<String> errors = new ArrayList<>();
        StringBuilder versions = new StringBuilder();
        for (Path f : files) {
            RuleSet one;
            try {
                one = load(f);
            } catch (RuleSetException e) {
                errors.add(e.getMessage().replace("\n", "\n  "));
                continue;
            }
            for (Rule r : one.rules) {
                Path first = owner.putIfAbsent(r.id, f);
                if (first != null) {
                    errors.add("rule '" + r.id + "': defined in both " + first + " and " + f);
                } else {
                    rules.add(r);
                }
            }
            inhibitions.addAll(java.util.Arrays.asList(one.inhibitions));
            for (EscalationPolicy p : one.escalations) {
                Path first = policyOwner.putIfAbsent(p.id, f);
                if (first != null) {
                    errors.add("escalation '" + p.id + "': defined in both " + first + " and " + f);
                } else {
                    escalations.add(p);
                }
            }
            mutes.addAll(java.util.Arrays.asList(one.mutes));
            versions.append(one.version).append('\n');
        }
        if (!errors.isEmpty()) {
            throw new RuleSetException(files.toString(), errors);
        }
        RuleSet set = new RuleSet(rules.toArray(new Rule[0]), version(versions.toString()));
        set.inhibitions = inhibitions.toArray(new InhibitRule[0]);
        set.escalations = escalations.toArray(new EscalationPolicy[0]);
        set.mutes = mutes.toArray(new MuteRule[0]);
        return set;
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
            if (!TOP_KEYS.contains(k)) {
                errors.add("unknown top-level key '" + k + "'; the file holds 'scope', 'rules', 'inhibit', "
                        + "'escalations', 'time_intervals' and 'mutes'");
            }
        }
        JsonNode scope = root.get("scope");
        if (scope != null && !scope.isNull()) {
            if (!scope.isObject()) {
                errors.add("'scope' must be a map of names to values, used in rules as ${name}");
            } else {
                ((com.fasterxml.jackson.databind.node.ObjectNode) root).set("rules", substitute(root.get("rules"), scope, errors));
                for (String k : new String[] {"inhibit", "escalations", "mutes"}) {
                    if (root.has(k)) {
                        ((com.fasterxml.jackson.databind.node.ObjectNode) root).set(k, substitute(root.get(k), scope, errors));
                    }
                }
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
        EscalationPolicy[] escalations = escalations(root.get("escalations"), errors);
        MuteRule[] mutes = mutes(root.get("mutes"), timeIntervals(root.get("time_intervals"), errors), errors);
        if (!errors.isEmpty()) {
            throw new RuleSetException(origin, errors);
        }
        RuleSet set = new RuleSet(rules.toArray(new Rule[0]), version(text));
        set.inhibitions = inhibitions;
        set.escalations = escalations;
        set.mutes = mutes;
        return set;
    }

    private static final java.util.regex.Pattern SCOPE_REF = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    /**
     * The tree with each {@code ${name}} replaced by the scope's value: a string that is only a
     * reference takes the value whole (a list stays a list), one inside other text takes its text.
     */
    private static JsonNode substitute(JsonNode n, JsonNode scope, List<String> errors) {
        if (n == null) {
            return null;
        }
        if (n.isTextual()) {
            java.util.regex.Matcher m = SCOPE_REF.matcher(n.textValue());
            if (m.matches()) {
                JsonNode v = scope.get(m.group(1));
                if (v == null) {
                    errors.add("'${" + m.group(1) + "}': no '" + m.group(1) + "' in 'scope'");
                    return n;
                }
                return v;
            }
            StringBuffer out = new StringBuffer();
            m.reset();
            while (m.find()) {
                JsonNode v = scope.get(m.group(1));
                if (v == null || !v.isValueNode()) {
                    errors.add("'${" + m.group(1) + "}': " + (v == null ? "no '" + m.group(1) + "' in 'scope'"
                            : "a list or map can only stand alone in a value"));
                    m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group()));
                } else {
                    m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(v.asText()));
                }
            }
            m.appendTail(out);
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(out.toString());
        }
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            for (JsonNode x : n) {
                a.add(substitute(x, scope, errors));
            }
            return a;
        }
        if (n.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                o.set(e.getKey(), substitute(e.getValue(), scope, errors));
            }
            return o;
        }
        return n;
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
            List<AlertMatcher> sourceConditions = new ArrayList<>();
            List<AlertMatcher> targetConditions = new ArrayList<>();
            r.source = matchers(n.get("source"), name, "source", ruleIds, sourceConditions, errors);
            r.target = matchers(n.get("target"), name, "target", ruleIds, targetConditions, errors);
            r.sourceConditions = sourceConditions.toArray(new AlertMatcher[0]);
            r.targetConditions = targetConditions.toArray(new AlertMatcher[0]);
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

    /**
     * {@code escalations:} policies, each {@code {id, match, levels: [{level, after}...]}}; the
     * levels' {@code after} must increase strictly, so the order they are written in is the order
     * they are reached.
     */
    private static EscalationPolicy[] escalations(JsonNode list, List<String> errors) {
        if (list == null || list.isNull()) {
            return new EscalationPolicy[0];
        }
        if (!list.isArray()) {
            errors.add("'escalations' must be a list of {id, match, levels}");
            return new EscalationPolicy[0];
        }
        List<EscalationPolicy> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            String name = "escalation #" + (i + 1);
            if (!n.isObject()) {
                errors.add(name + ": expected a map with id, match and levels");
                continue;
            }
            EscalationPolicy p = new EscalationPolicy();
            JsonNode id = n.get("id");
            if (id == null || !id.isTextual() || !id.textValue().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                errors.add(name + ": field 'id': is required: letters, digits, '_', '.' and '-'");
            } else {
                p.id = id.textValue();
                name = "escalation '" + p.id + "'";
                if (!ids.add(p.id)) {
                    errors.add(name + ": id used twice");
                }
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!Set.of("id", "match", "levels").contains(k)) {
                    errors.add(name + ": field '" + k + "': unknown key; known keys are id, match, levels");
                }
            }
            JsonNode m = n.get("match");
            if (m == null || !(m.isObject() || m.isArray()) || m.size() == 0) {
                errors.add(name + ": field 'match': is required: matchers such as ['pack=\"ecommerce-streaming\"']");
            } else {
                List<Label> eq = new ArrayList<>();
                List<AlertMatcher> others = new ArrayList<>();
                AlertMatchers.read(m, name + ": field 'match'", eq, others, errors);
                p.match = eq.toArray(new Label[0]);
                p.conditions = others.toArray(new AlertMatcher[0]);
            }
            levels(n.get("levels"), name, p, errors);
            out.add(p);
        }
        return out.toArray(new EscalationPolicy[0]);
    }

    private static void levels(JsonNode list, String name, EscalationPolicy p, List<String> errors) {
        if (list == null || !list.isArray() || list.size() == 0) {
            errors.add(name + ": field 'levels': is required: a list of {level: L1, after: 0}, {level: L2, after: 30m}, ...");
            return;
        }
        List<String> levels = new ArrayList<>();
        long[] after = new long[list.size()];
        for (int i = 0; i < list.size(); i++) {
            JsonNode l = list.get(i);
            String where = name + ": levels #" + (i + 1);
            if (!l.isObject()) {
                errors.add(where + ": expected {level: NAME, after: DURATION}");
                continue;
            }
            for (Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!k.equals("level") && !k.equals("after")) {
                    errors.add(where + ": field '" + k + "': unknown key; known keys are level, after");
                }
            }
            JsonNode level = l.get("level");
            if (level == null || !level.isValueNode() || level.asText().trim().isEmpty()) {
                errors.add(where + ": field 'level': is required, e.g. L2");
            } else if (levels.contains(level.asText())) {
                errors.add(where + ": level '" + level.asText() + "' named twice");
            } else {
                levels.add(level.asText());
            }
            JsonNode a = l.get("after");
            if (a == null || !a.isValueNode()) {
                errors.add(where + ": field 'after': is required: how long after the alert started firing, e.g. 30m");
                continue;
            }
            try {
                after[i] = a.asText().trim().equals("0") ? 0 : io.vigil.config.Durations.parse(a.asText()).toMillis();
            } catch (IllegalArgumentException e) {
                errors.add(where + ": field 'after': " + e.getMessage());
                continue;
            }
            if (i > 0 && after[i] <= after[i - 1]) {
                errors.add(where + ": field 'after': " + a.asText() + " is not later than the level before it; "
                        + "levels are written in the order they are reached, each after the previous");
            }
        }
        p.levels = levels.toArray(new String[0]);
        p.afterMs = after;
    }

    /** {@code time_intervals:} by name. */
    private static Map<String, TimeInterval> timeIntervals(JsonNode list, List<String> errors) {
        Map<String, TimeInterval> out = new java.util.LinkedHashMap<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            errors.add("'time_intervals' must be a list of {name, time_intervals}");
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            TimeInterval ti = TimeInterval.read(list.get(i), i + 1, errors);
            if (ti != null && ti.name != null && out.put(ti.name, ti) != null) {
                errors.add("time interval '" + ti.name + "': name used twice");
            }
        }
        return out;
    }

    /** {@code mutes:} entries, each {@code {match, mute_time_intervals: [name...]}} naming intervals of this file. */
    private static MuteRule[] mutes(JsonNode list, Map<String, TimeInterval> intervals, List<String> errors) {
        if (list == null || list.isNull()) {
            return new MuteRule[0];
        }
        if (!list.isArray()) {
            errors.add("'mutes' must be a list of {match, mute_time_intervals}");
            return new MuteRule[0];
        }
        List<MuteRule> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            String name = "mute #" + (i + 1);
            if (!n.isObject()) {
                errors.add(name + ": expected a map with match and mute_time_intervals");
                continue;
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!k.equals("match") && !k.equals("mute_time_intervals")) {
                    errors.add(name + ": field '" + k + "': unknown key; known keys are match, mute_time_intervals");
                }
            }
            MuteRule r = new MuteRule();
            JsonNode m = n.get("match");
            if (m != null && !m.isNull()) {
                List<Label> eq = new ArrayList<>();
                List<AlertMatcher> others = new ArrayList<>();
                AlertMatchers.read(m, name + ": field 'match'", eq, others, errors);
                r.match = eq.toArray(new Label[0]);
                r.conditions = others.toArray(new AlertMatcher[0]);
            }
            JsonNode names = n.get("mute_time_intervals");
            List<TimeInterval> used = new ArrayList<>();
            if (names == null || !names.isArray() || names.size() == 0) {
                errors.add(name + ": field 'mute_time_intervals': is required: names of this file's time_intervals");
            } else {
                for (JsonNode x : names) {
                    TimeInterval ti = intervals.get(x.asText());
                    if (ti == null) {
                        errors.add(name + ": field 'mute_time_intervals': no time interval '" + x.asText()
                                + "' in this file's time_intervals");
                    } else {
                        used.add(ti);
                    }
                }
            }
            r.intervals = used.toArray(new TimeInterval[0]);
            out.add(r);
        }
        return out.toArray(new MuteRule[0]);
    }

    /**
     * {@code {key: value-or-list}} or a list of Alertmanager matchers ({@code ["rule_id=x",
     * "entity=~dest.*"]}); a rule_id equality without wildcards must name a rule of the file.
     */
    private static Label[] matchers(JsonNode m, String name, String field, Set<String> ruleIds,
            List<AlertMatcher> conditions, List<String> errors) {
        if (m == null || !(m.isObject() || m.isArray()) || m.size() == 0) {
            errors.add(name + ": field '" + field + "': is required: a map of label matchers, e.g. {rule_id: source_stale}, "
                    + "or a list such as ['rule_id=source_stale', 'entity=~dest.*']");
            return new Label[0];
        }
        List<Label> out = new ArrayList<>();
        AlertMatchers.read(m, name + ": field '" + field + "'", out, conditions, errors);
        for (Label l : out) {
            if (l.key.equals("rule_id") && !l.value.contains("*") && !ruleIds.contains(l.value)) {
                errors.add(name + ": field '" + field + ".rule_id': no rule '" + l.value + "' in this file");
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
}
