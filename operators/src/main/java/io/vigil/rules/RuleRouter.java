package io.vigil.rules;

import io.vigil.model.Envelope;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Fans each envelope out to the rules it concerns, one {@link RuleInput} per (rule, entity), so
 * the evaluator can key by what is judged. Rule updates arrive on the broadcast side; until the
 * first one, the rule set given at start-up applies.
 */
public class RuleRouter extends BroadcastProcessFunction<Envelope, Control, RuleInput> {
    private static final long serialVersionUID = 1L;

    private final RuleSet initial;
    private transient List<RuleInput> buffer;

    public RuleRouter(RuleSet initial) {
        this.initial = initial;
    }

    @Override
    public void processElement(Envelope e, ReadOnlyContext ctx, Collector<RuleInput> out) throws Exception {
        ReadOnlyBroadcastState<String, RuleSet> state = ctx.getBroadcastState(RuleStates.RULES);
        RuleSet rules = state.contains(RuleStates.CURRENT) ? state.get(RuleStates.CURRENT) : initial;
        if (buffer == null) {
            buffer = new ArrayList<>(4);
        }
        buffer.clear();
        for (Rule r : rules.rules) {
            RuleMatcher.route(r, e, buffer);
        }
        for (RuleInput in : buffer) {
            out.collect(in);
        }
    }

    @Override
    public void processBroadcastElement(Control c, Context ctx, Collector<RuleInput> out) throws Exception {
        if (c.ruleSet != null) {
            ctx.getBroadcastState(RuleStates.RULES).put(RuleStates.CURRENT, c.ruleSet);
        }
    }
}
