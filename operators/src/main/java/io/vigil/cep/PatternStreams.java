package io.vigil.cep;

import io.vigil.model.Envelope;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/**
 * Wires one pattern rule into a job: filter and project, key, match in event time (the
 * {@link RunMatchOperator} for a {@link RunShape}, CEP for any other pattern), matches out.
 */
public final class PatternStreams {
    private PatternStreams() {}

    /**
     * The matches of one pattern rule over the job's valid events (already carrying event-time
     * timestamps and watermarks). The operator uids derive from the rule id, so a rule keeps its
     * partial matches across restarts and a changed rule under the same id must keep its steps.
     * The CEP operator's uid ends in {@code -projected} since it buffers {@link PatternEvent}s: the
     * state of the operator that buffered whole envelopes cannot restore into it, and under a new
     * uid it is left behind (AllowNonRestoredState) instead of failing the restore. A rule of the
     * run shape runs on {@link RunMatchOperator} under {@code -run} instead, with CEP's results;
     * the {@code -projected} state of a rule that switched is left behind the same way.
     */
    public static DataStream<PatternMatch> apply(DataStream<Envelope> validEvents, String ruleId, PatternSpec spec) {
        KeyedStream<PatternEvent, String> keyed = validEvents
                .flatMap(new PatternEvents(spec), PatternEventTypeInfo.INSTANCE)
                .uid("pattern-" + ruleId + "-events")
                .name("pattern " + ruleId + " events")
                .keyBy(new PatternKey(spec));
        RunShape run = RunShape.of(spec);
        if (run != null) {
            return keyed.transform("pattern " + ruleId, TypeInformation.of(PatternMatch.class),
                            new RunMatchOperator(ruleId, spec, run))
                    .uid(runUid(ruleId));
        }
        return CEP.pattern(keyed, PatternCompiler.compile(spec))
                .inEventTime()
                .process(new PatternMatchFunction(ruleId, spec), TypeInformation.of(PatternMatch.class))
                .uid("pattern-" + ruleId + "-projected")
                .name("pattern " + ruleId);
    }

    /** The uid of a run-shaped rule's operator. */
    static String runUid(String ruleId) {
        return "pattern-" + ruleId + "-run";
    }
}
