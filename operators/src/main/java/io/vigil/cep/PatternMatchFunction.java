package io.vigil.cep;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/** Turns each CEP match of a pattern rule into a {@link PatternMatch}. */
public class PatternMatchFunction extends PatternProcessFunction<PatternEvent, PatternMatch> {
    private static final long serialVersionUID = 1L;

    private final String ruleId;
    private final PatternSpec spec;

    public PatternMatchFunction(String ruleId, PatternSpec spec) {
        this.ruleId = ruleId;
        this.spec = spec;
    }

    @Override
    public void processMatch(Map<String, List<PatternEvent>> match, Context ctx, Collector<PatternMatch> out) {
        out.collect(build(ruleId, spec, match));
    }

    static PatternMatch build(String ruleId, PatternSpec spec, Map<String, List<PatternEvent>> match) {
        PatternFields fields = spec.fields();
        List<PatternEvent> all = SummaryTemplate.all(match);
        PatternMatch m = new PatternMatch();
        m.ruleId = ruleId;
        m.events = all.size();
        m.firstEventTime = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (PatternEvent e : all) {
            m.firstEventTime = Math.min(m.firstEventTime, e.eventTime);
            last = Math.max(last, e.eventTime);
        }
        m.eventTime = spec.endsWithAbsence() ? m.firstEventTime + spec.withinMs : last;
        m.key = fields.key(all.get(0));
        m.entity = entity(spec, fields, all, m.key);
        m.summary = spec.summary == null
                ? SummaryTemplate.generated(spec, match, m.entity)
                : SummaryTemplate.render(spec.summary, spec, match, m.key, m.entity);
        return m;
    }

    /** {@code destination user U666@DOM1 from C17,C42}: values sorted per field, fields in order. */
    private static String entity(PatternSpec spec, PatternFields fields, List<PatternEvent> events, String key) {
        StringBuilder sb = new StringBuilder(spec.keyEntity(key));
        StringBuilder from = new StringBuilder();
        for (String field : spec.entityFields) {
            TreeSet<String> values = new TreeSet<>();
            for (PatternEvent e : events) {
                String v = fields.get(e, field);
                if (v != null) {
                    values.add(v);
                }
            }
            for (String v : values) {
                from.append(from.length() == 0 ? "" : ",").append(v);
            }
        }
        return from.length() == 0 ? sb.toString() : sb.append(" from ").append(from).toString();
    }
}
