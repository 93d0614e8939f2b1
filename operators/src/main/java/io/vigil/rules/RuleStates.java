package io.vigil.rules;

import io.vigil.alert.AlertTrack;
import io.vigil.alert.Notice;
import io.vigil.model.AlertEvent;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Every state descriptor of the rule operators, declared in one place. The evaluator's keyed
 * states are keyed by key family and entity and kept in a namespace per rule ({@link
 * RuleNamespaces}): "keyed (rule, entity)" below is one rule's namespace of one entity's key.
 */
public final class RuleStates {
    private RuleStates() {}

    /** Broadcast: the rule set in force, under {@link #CURRENT}. */
    public static final MapStateDescriptor<String, RuleSet> RULES =
            new MapStateDescriptor<>("rules", Types.STRING, TypeInformation.of(RuleSet.class));
    /** Broadcast: the greatest event time seen across all inputs, under {@link #CURRENT}. */
    public static final MapStateDescriptor<String, Long> CLOCK =
            new MapStateDescriptor<>("clock", Types.STRING, Types.LONG);
    public static final String CURRENT = "current";
    /** Broadcast: silences by id. */
    public static final MapStateDescriptor<String, Silence> SILENCES =
            new MapStateDescriptor<>("silences", Types.STRING, TypeInformation.of(Silence.class));
    /**
     * Broadcast (replay): gaps in event time without data in any input, start → exclusive end;
     * kept while a repeat may still be scheduled across them.
     */
    public static final MapStateDescriptor<Long, Long> GAPS = new MapStateDescriptor<>("gaps", Types.LONG, Types.LONG);

    /** Keyed (rule, entity): the alert lifecycle. */
    public static final ValueStateDescriptor<AlertTrack> TRACK =
            new ValueStateDescriptor<>("track", TypeInformation.of(AlertTrack.class));
    /**
     * Keyed (rule, entity): the greatest event time of its inputs; set while the entity is tracked,
     * the base of its retention.
     */
    public static final ValueStateDescriptor<Long> ACTIVE = new ValueStateDescriptor<>("active", Types.LONG);
    /** Operator (union): entities tracked and not tracked per rule, per subtask, for max_entities. */
    public static final ListStateDescriptor<EntityCounts.Entry> ENTITY_COUNTS =
            new ListStateDescriptor<>("entity-counts", TypeInformation.of(EntityCounts.Entry.class));
    /** Keyed: last event time of a source or dataset; start time of a run. */
    public static final ValueStateDescriptor<Long> LAST_SEEN = new ValueStateDescriptor<>("last-seen", Types.LONG);
    /** Keyed (live): processing time at which the last-seen record arrived, for the silent-input fallback. */
    public static final ValueStateDescriptor<Long> ARRIVED = new ValueStateDescriptor<>("arrived", Types.LONG);
    /** Keyed: deadlines of the current last-seen time already judged, up to this event time. */
    public static final ValueStateDescriptor<Long> SETTLED = new ValueStateDescriptor<>("settled", Types.LONG);
    /** Keyed: per window slide, two counts (total and bad). */
    public static final MapStateDescriptor<Long, long[]> COUNTS =
            new MapStateDescriptor<>("counts", Types.LONG, TypeInformation.of(long[].class));
    /** Keyed: per window slide, the durations of runs that ended in it. */
    public static final MapStateDescriptor<Long, double[]> DURATIONS =
            new MapStateDescriptor<>("durations", Types.LONG, TypeInformation.of(double[].class));
    /** Keyed: start times of a job's open runs, by run id. */
    public static final MapStateDescriptor<String, Long> RUN_STARTS =
            new MapStateDescriptor<>("run-starts", Types.STRING, Types.LONG);
    /** Keyed (pattern): event times of resolving events not yet passed by the watermark. */
    public static final MapStateDescriptor<Long, Boolean> RESOLVES =
            new MapStateDescriptor<>("resolves", Types.LONG, Types.BOOLEAN);
    /** Keyed (threshold): inputs ahead of the watermark by event time, judged once it passes. */
    public static final MapStateDescriptor<Long, RuleInput[]> HELD_INPUTS =
            new MapStateDescriptor<>("held-inputs", Types.LONG, TypeInformation.of(RuleInput[].class));
    /** Keyed (schema_change): the dataset's last schema seen, {@link SchemaChangeJudge#encode encoded}. */
    public static final ValueStateDescriptor<String> SCHEMA = new ValueStateDescriptor<>("schema", Types.STRING);
    /** Keyed: per window slide, the distinct values seen in it as sorted 64-bit hashes. */
    public static final MapStateDescriptor<Long, long[]> DISTINCT = new MapStateDescriptor<>("distinct-hashes",
            Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
    /** Keyed: {@link #DISTINCT} as versions before 2026-12-05 kept it, the values themselves; read once to upgrade. */
    public static final MapStateDescriptor<Long, String[]> DISTINCT_VALUES =
            new MapStateDescriptor<>("distinct", Types.LONG, TypeInformation.of(String[].class));
    /** Keyed (baseline): per window of the history span, count, sum and sum of squares of its values. */
    public static final MapStateDescriptor<Long, double[]> BASELINE_HISTORY =
            new MapStateDescriptor<>("baseline-history", Types.LONG, TypeInformation.of(double[].class));
    /** Keyed (baseline): first and last windows seen, the last judged, the current window's baseline. */
    public static final ValueStateDescriptor<BaselineTrack> BASELINE_TRACK =
            new ValueStateDescriptor<>("baseline-track", TypeInformation.of(BaselineTrack.class));

    /** Keyed (one key): firing alerts by alert id, and what of them was delivered. */
    public static final MapStateDescriptor<String, Notice> NOTICES =
            new MapStateDescriptor<>("notices", Types.STRING, TypeInformation.of(Notice.class));
    /**
     * Keyed (one key): times of the timers set for a silence's or a mute's end, so that cancelling
     * an escalation never deletes a timer something else still needs.
     */
    public static final MapStateDescriptor<Long, Boolean> WAKEUPS =
            new MapStateDescriptor<>("wakeups", Types.LONG, Types.BOOLEAN);
    /** Keyed (one key, replay): alert events held until the watermark passes their event time. */
    public static final MapStateDescriptor<Long, AlertEvent[]> HELD =
            new MapStateDescriptor<>("held", Types.LONG, TypeInformation.of(AlertEvent[].class));

    /**
     * Applies a control element to an operator's copy of the broadcast state; {@code silences} may
     * be null for an operator that does not apply them. A new gap also drops the gaps that ended the
     * longest repeat interval of the rules in force ({@code initial} until an update) before
     * {@code watermark}: every repeat scheduled across them has fired by then, so the state stays a
     * few entries.
     */
    public static void apply(Control c, BroadcastState<String, RuleSet> rules, BroadcastState<String, Silence> silences,
            BroadcastState<String, Long> clock, BroadcastState<Long, Long> gaps, RuleSet initial, long watermark)
            throws Exception {
        if (c.ruleSet != null) {
            rules.put(CURRENT, c.ruleSet);
        }
        if (c.silence != null && silences != null) {
            silences.put(c.silence.id, c.silence);
        }
        if (c.clock != Long.MIN_VALUE) {
            Long prev = clock.get(CURRENT);
            if (prev == null || c.clock > prev) {
                clock.put(CURRENT, c.clock);
            }
        }
        if (c.gapTo != Long.MIN_VALUE) {
            gaps.put(c.gapFrom, c.gapTo);
            long longest = 0;
            RuleSet inForce = rules.contains(CURRENT) ? rules.get(CURRENT) : initial;
            for (Rule r : inForce.rules) {
                longest = Math.max(longest, r.repeatIntervalMs);
            }
            if (watermark != Long.MIN_VALUE) {
                for (Iterator<Map.Entry<Long, Long>> it = gaps.iterator(); it.hasNext(); ) {
                    if (it.next().getValue() + longest <= watermark) {
                        it.remove();
                    }
                }
            }
        }
    }

    /** The gaps of an operator's broadcast state, sorted by start, for {@link io.vigil.alert.AlertLifecycle}. */
    public static NavigableMap<Long, Long> gaps(ReadOnlyBroadcastState<Long, Long> state) throws Exception {
        NavigableMap<Long, Long> sorted = new TreeMap<>();
        for (Map.Entry<Long, Long> g : state.immutableEntries()) {
            sorted.put(g.getKey(), g.getValue());
        }
        return sorted;
    }
}
