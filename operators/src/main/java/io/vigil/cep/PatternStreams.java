package io.vigil.cep;

import io.vigil.model.Envelope;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/** Wires one pattern rule into a job: filter and project, key, CEP in event time, matches out. */
public final class PatternStreams {
    private PatternStreams() {}

    /**
     * The matches of one pattern rule over the job's valid events (already carrying event-time
     * timestamps and watermarks). The operator uids derive from the rule id, so a rule keeps its
     * partial matches across restarts and a changed rule under the same id must keep its steps.
     */
    public static DataStream<PatternMatch> apply(DataStream<Envelope> validEvents, String ruleId, PatternSpec spec) {
        KeyedStream<PatternEvent, String> keyed = validEvents
                .flatMap(new PatternEvents(spec), PatternEventTypeInfo.INSTANCE)
                .uid("pattern-" + ruleId + "-events")
                .name("pattern " + ruleId + " events")
                .keyBy(new PatternKey(spec));
        return CEP.pattern(keyed, PatternCompiler.compile(spec))
                .inEventTime()
                .process(new PatternMatchFunction(ruleId, spec), TypeInformation.of(PatternMatch.class))
                .uid("pattern-" + ruleId)
                .name("pattern " + ruleId);
    }
}
