package io.vigil.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Label;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The control input's line format, one JSON object per line:
 * {@code {"silence": {"id", "matchers": {label: value} or ["label=value", "label=~regex", ...],
 * "starts_at", "ends_at", "author", "comment"}}} or
 * {@code {"rules": "<a whole rules file, as YAML text>"}}. A rule set is validated like a rules
 * file; an invalid line is refused with the reason.
 */
public final class ControlLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlLines() {}

    public static Control parse(String line) throws RuleSetException {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (IOException e) {
            throw new RuleSetException("control", List.of("not JSON: " + e.getMessage().split("\n")[0]));
        }
        if (root == null || !root.isObject() || root.size() != 1) {
            throw new RuleSetException("control", List.of("expected {\"silence\": {...}} or {\"rules\": \"...\"}"));
        }
        if (root.has("rules")) {
            if (!root.get("rules").isTextual()) {
                throw new RuleSetException("control", List.of("'rules' must hold a rules file as text"));
            }
            return Control.rules(RulesFile.parse(root.get("rules").textValue(), "control rules update"));
        }
        if (root.has("silence")) {
            return Control.silence(silence(root.get("silence")));
        }
        throw new RuleSetException("control", List.of("unknown control '" + root.fieldNames().next() + "'"));
    }

    static Silence silence(JsonNode n) throws RuleSetException {
        List<String> errors = new ArrayList<>();
        Silence s = new Silence();
        if (!n.isObject()) {
            throw new RuleSetException("control", List.of("silence: expected an object"));
        }
        s.id = n.hasNonNull("id") ? n.get("id").asText() : null;
        if (s.id == null || s.id.isEmpty()) {
            errors.add("silence: field 'id': is required");
        }
        String name = "silence '" + s.id + "'";
        JsonNode m = n.get("matchers");
        List<Label> matchers = new ArrayList<>();
        List<AlertMatcher> conditions = new ArrayList<>();
        if (m == null || !(m.isObject() || m.isArray()) || m.size() == 0) {
            errors.add(name + ": field 'matchers': at least one label matcher is required (a silence never mutes everything)");
        } else {
            AlertMatchers.read(m, name + ": field 'matchers'", matchers, conditions, errors);
            if (errors.isEmpty() && matchers.isEmpty() && allNegative(conditions)) {
                errors.add(name + ": field 'matchers': at least one matcher must select alerts (=, =~); "
                        + "only != and !~ would mute nearly everything");
            }
        }
        s.matchers = matchers.toArray(new Label[0]);
        s.conditions = conditions.toArray(new AlertMatcher[0]);
        s.startsAt = time(n, "starts_at", name, errors);
        s.endsAt = time(n, "ends_at", name, errors);
        if (errors.isEmpty() && s.endsAt <= s.startsAt) {
            errors.add(name + ": field 'ends_at': must be after starts_at");
        }
        s.comment = n.hasNonNull("comment") ? n.get("comment").asText() : null;
        s.author = n.hasNonNull("author") ? n.get("author").asText() : null;
        if (!errors.isEmpty()) {
            throw new RuleSetException("control", errors);
        }
        return s;
    }

    private static boolean allNegative(List<AlertMatcher> ms) {
        for (AlertMatcher m : ms) {
            if (!m.isNegative()) {
                return false;
            }
        }
        return true;
    }

    private static long time(JsonNode n, String field, String name, List<String> errors) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            errors.add(name + ": field '" + field + "': is required (ISO-8601, e.g. 2026-11-02T10:00:00Z)");
            return 0;
        }
        try {
            return Instant.parse(v.textValue()).toEpochMilli();
        } catch (DateTimeParseException e) {
            errors.add(name + ": field '" + field + "': '" + v.textValue() + "' is not an ISO-8601 time");
            return 0;
        }
    }
}
