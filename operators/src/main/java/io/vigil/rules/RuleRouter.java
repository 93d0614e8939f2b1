package io.vigil.rules;

import io.vigil.model.Envelope;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Fans each envelope out to the rules it concerns, one {@link RuleInput} per (rule, entity), and
 * sends those of one entity of a key family together, one {@link EntityInputs} per entity, so the
 * evaluator, keyed by family and entity, gets each event once per entity. Rule updates arrive on
 * the broadcast side; until the first one, the rule set given at start-up applies.
 */
public class RuleRouter extends BroadcastProcessFunction<Envelope, Control, EntityInputs> {
    private static final long serialVersionUID = 1L;

    private final RuleSet initial;
    private transient List<RuleInput> buffer;
    /** The key family of each input in {@link #buffer}. */
    private transient List<KeyFamily> families;

    public RuleRouter(RuleSet initial) {
        this.initial = initial;
    }

    @Override
    public void processElement(Envelope e, ReadOnlyContext ctx, Collector<EntityInputs> out) throws Exception {
        ReadOnlyBroadcastState<String, RuleSet> state = ctx.getBroadcastState(RuleStates.RULES);
        RuleSet rules = state.contains(RuleStates.CURRENT) ? state.get(RuleStates.CURRENT) : initial;
        if (buffer == null) {
            buffer = new ArrayList<>(4);
            families = new ArrayList<>(4);
        }
        buffer.clear();
        families.clear();
        for (Rule r : rules.rules) {
            route(r, e, buffer, families);
        }
        group(buffer, families, out);
    }

    /** Adds the inputs {@code r} takes from {@code e}, and its key family once for each of them. */
    static void route(Rule r, Envelope e, List<RuleInput> inputs, List<KeyFamily> families) {
        int before = inputs.size();
        RuleMatcher.route(r, e, inputs);
        for (int i = before; i < inputs.size(); i++) {
            families.add(r.kind.keyFamily());
        }
    }

    /** One {@link EntityInputs} per (family, entity), inputs in rule order; usually one or two inputs in all. */
    static void group(List<RuleInput> inputs, List<KeyFamily> families, Collector<EntityInputs> out) {
        int n = inputs.size();
        if (n == 1) {
            out.collect(EntityInputs.of(families.get(0), inputs.get(0)));
            return;
        }
        boolean[] sent = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (sent[i]) {
                continue;
            }
            RuleInput first = inputs.get(i);
            KeyFamily f = families.get(i);
            int same = 1;
            for (int j = i + 1; j < n; j++) {
                if (!sent[j] && families.get(j) == f && inputs.get(j).entity.equals(first.entity)) {
                    same++;
                }
            }
            RuleInput[] group = new RuleInput[same];
            group[0] = first;
            for (int j = i + 1, k = 1; k < same; j++) {
                if (!sent[j] && families.get(j) == f && inputs.get(j).entity.equals(first.entity)) {
                    group[k++] = inputs.get(j);
                    sent[j] = true;
                }
            }
            out.collect(new EntityInputs(f, first.entity, group));
        }
    }

    @Override
    public void processBroadcastElement(Control c, Context ctx, Collector<EntityInputs> out) throws Exception {
        if (c.ruleSet != null) {
            ctx.getBroadcastState(RuleStates.RULES).put(RuleStates.CURRENT, c.ruleSet);
        }
    }
}
