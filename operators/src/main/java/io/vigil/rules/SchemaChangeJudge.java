package io.vigil.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.SchemaField;
import io.vigil.model.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * {@code schema_change}: a dataset's OpenLineage {@code schema} facet (on run events' inputs and
 * outputs, and on DatasetEvents and JobEvents) against the last one seen: fields added, removed or
 * retyped, each change type with its severity. The first schema seen is the reference. A change
 * fires at once and resolves {@code resolve_after} after the last change; the new schema is the
 * reference from then on. State per dataset: its last schema, one string, kept until the rule's
 * {@code retention} passes without the dataset (then its next schema is a new reference).
 */
final class SchemaChangeJudge implements KindJudge {
    private static final Set<String> FIELDS = Set.of("select", "changes", "resolve_after");
    /** How long a change alert fires when no further change comes. */
    static final long DEFAULT_RESOLVE_AFTER_MS = 24 * 3_600_000L;
    /** Fields kept per schema; beyond, a schema's fields are not compared (a wide table's tail). */
    static final int MAX_FIELDS = 1000;
    /** Changes listed in an alert's summary; the rest are counted. */
    static final int MAX_LISTED = 10;
    private static final Set<String> CHANGE_KEYS = Set.of("removed", "retyped", "added");
    /** Inputs of one dataset at one event time: a fixed order, so replays agree. */
    private static final java.util.Comparator<RuleInput> SAME_TIME = java.util.Comparator.comparing(in -> in.text);

    private ValueState<String> schema;
    private HeldInputs held;

    @Override
    public KeyFamily keyFamily() {
        return KeyFamily.DATASET;
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public String hint() {
        return " (a schema change has no threshold: its severity comes from `changes`)";
    }

    @Override
    public void read(RuleReader in, Rule r) {
        r.selector = in.selector(r.kind);
        r.schemaRemoved = Severity.CRITICAL;
        r.schemaRetyped = Severity.CRITICAL;
        r.schemaAdded = Severity.INFO;
        JsonNode c = in.node().get("changes");
        if (c != null && !c.isNull()) {
            if (!c.isObject()) {
                in.error("changes", "must be a map: {removed: critical, retyped: critical, added: info}");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!CHANGE_KEYS.contains(e.getKey())) {
                        in.error("changes." + e.getKey(), "unknown change; known changes are added, removed, retyped");
                        continue;
                    }
                    Severity s = changeSeverity(in, e.getKey(), e.getValue());
                    if (e.getKey().equals("removed")) {
                        r.schemaRemoved = s;
                    } else if (e.getKey().equals("retyped")) {
                        r.schemaRetyped = s;
                    } else {
                        r.schemaAdded = s;
                    }
                }
            }
        }
        if (r.schemaRemoved == null && r.schemaRetyped == null && r.schemaAdded == null) {
            in.error("changes", "every change is none: the rule could never fire");
        }
        if (in.has("for")) {
            in.error("for", "a schema change is an event, not a condition that holds: it fires at once");
        }
        r.keepFiringForMs = in.duration("resolve_after", DEFAULT_RESOLVE_AFTER_MS);
    }

    private static Severity changeSeverity(RuleReader in, String change, JsonNode v) {
        String t = v.isValueNode() ? v.asText().trim().toLowerCase(Locale.ROOT) : "";
        if (t.equals("none")) {
            return null;
        }
        try {
            return Severity.valueOf(t.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            in.error("changes." + change, "'" + v.asText() + "' is not info, warning, critical or none");
            return null;
        }
    }

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        if (!e.isValid() || e.late) {
            return;
        }
        List<Dataset> datasets = new ArrayList<>();
        if (e.run != null) {
            // outputs first: a dataset both read and written is judged once, by what was written
            datasets.addAll(Arrays.asList(e.run.outputs));
            datasets.addAll(Arrays.asList(e.run.inputs));
        } else if (e.lineage != null) {
            datasets.addAll(Arrays.asList(e.lineage.datasets));
        }
        Set<String> seen = new HashSet<>();
        for (Dataset d : datasets) {
            if (d.schemaFields.length == 0 || !RuleSelector.anyMatches(rule.selector.datasets, d.qualifiedName())) {
                continue; // no schema facet: nothing said about the fields, not "all removed"
            }
            String entity = KeyFamily.DATASET.entity(d.qualifiedName());
            if (seen.add(entity)) {
                out.add(RuleInput.of(rule.id, entity, e.eventTime, d.schemaFields.length, 0, encode(d.schemaFields)));
            }
        }
    }

    /** {@code name TAB type} per field, one a line; a field without a type has an empty one. */
    static String encode(SchemaField[] fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(fields.length, MAX_FIELDS); i++) {
            SchemaField f = fields[i];
            sb.append(clean(f.name)).append('\t').append(f.type == null ? "" : clean(f.type)).append('\n');
        }
        return sb.toString();
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }

    private static Map<String, String> decode(String encoded) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : encoded.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab >= 0) {
                m.putIfAbsent(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return m;
    }

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        SchemaChangeJudge j = new SchemaChangeJudge();
        j.schema = ctx.getState(RuleStates.SCHEMA);
        j.held = new HeldInputs(ctx, SAME_TIME);
        return j;
    }

    /** Each schema is compared with the one before it: judged in event-time order, once the watermark passes. */
    @Override
    public boolean hold(RuleInput in, TimerService timers) throws Exception {
        return held.hold(in, timers);
    }

    @Override
    public List<RuleInput> release(long ts) throws Exception {
        return held.release(ts);
    }

    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        String before = schema.value();
        if (in.text.equals(before)) {
            return;
        }
        schema.update(in.text);
        if (before == null) {
            return; // the first schema seen is the reference
        }
        Map<String, String> was = decode(before);
        Map<String, String> now = decode(in.text);
        Rule rule = ev.rule;
        List<String> changes = new ArrayList<>();
        Severity worst = null;
        for (Map.Entry<String, String> f : was.entrySet()) {
            String type = now.get(f.getKey());
            if (!now.containsKey(f.getKey())) {
                worst = change(changes, worst, rule.schemaRemoved, "removed " + shown(f.getKey(), f.getValue()));
            } else if (!type.isEmpty() && !f.getValue().isEmpty() && !type.equals(f.getValue())) {
                // a field without a type on either side (dbt without a catalog) is not a retype
                worst = change(changes, worst, rule.schemaRetyped, "retyped " + f.getKey() + ": " + f.getValue() + " -> " + type);
            }
        }
        for (Map.Entry<String, String> f : now.entrySet()) {
            if (!was.containsKey(f.getKey())) {
                worst = change(changes, worst, rule.schemaAdded, "added " + shown(f.getKey(), f.getValue()));
            }
        }
        if (worst == null) {
            return; // only changes the rule ignores: the new schema is the reference all the same
        }
        StringBuilder s = new StringBuilder(ev.entity).append(": schema changed: ");
        for (int i = 0; i < Math.min(changes.size(), MAX_LISTED); i++) {
            s.append(i == 0 ? "" : "; ").append(changes.get(i));
        }
        if (changes.size() > MAX_LISTED) {
            s.append("; and ").append(changes.size() - MAX_LISTED).append(" more");
        }
        s.append(" (").append(was.size()).append(" fields, now ").append(now.size()).append(')');
        String summary = s.toString();
        ev.observe(changes.size(), worst, in.eventTime, summary);
        // an event, not a condition that holds: clear at once, so the alert resolves resolve_after
        // (the rule's keep_firing_for) after the last change, and a further change fires again
        ev.observe(changes.size(), null, in.eventTime, summary);
    }

    /** Lists a change the rule judges and returns the worst severity so far. */
    private static Severity change(List<String> changes, Severity worst, Severity s, String text) {
        if (s == null) {
            return worst;
        }
        changes.add(text + " (" + s.wire() + ")");
        return worst == null || s.compareTo(worst) > 0 ? s : worst;
    }

    private static String shown(String name, String type) {
        return type.isEmpty() ? name : name + " " + type;
    }

    @Override
    public void onTimer(Evaluation ev, long ts) {}

    @Override
    public boolean needsTimerAt(Rule rule, long ts) throws Exception {
        return held.contains(ts);
    }

    @Override
    public boolean holdsState() throws Exception {
        return schema.value() != null || !held.isEmpty();
    }

    @Override
    public void clear(Rule rule, TimerService timers) throws Exception {
        schema.clear();
        if (rule != null) {
            return; // retired: schemas held are later than the retirement and judged as a new dataset's
        }
        held.clear(timers);
    }
}
