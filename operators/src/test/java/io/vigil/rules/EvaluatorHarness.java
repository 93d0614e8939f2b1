package io.vigil.rules;

import io.vigil.model.AlertEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The {@link RuleEvaluator} in a keyed two-input harness wired as the pipeline wires it: inputs
 * keyed by family and entity, the control stream broadcast (no key). A single {@link RuleInput}
 * goes in as its rule's family's {@link EntityInputs}.
 */
final class EvaluatorHarness extends KeyedTwoInputStreamOperatorTestHarness<String, EntityInputs, Control, AlertEvent> {
    /** The family of every rule this harness has seen, kept after a rule is removed. */
    private final Map<String, KeyFamily> families = new HashMap<>();

    EvaluatorHarness(RuleSet rules, boolean replay) throws Exception {
        super(new RuleEvaluator(rules, replay), EntityInputs::key, null, Types.STRING);
        learn(rules);
    }

    private void learn(RuleSet rules) {
        for (Rule r : rules.rules) {
            families.put(r.id, r.kind.keyFamily());
        }
    }

    void processElement(RuleInput in, long ts) throws Exception {
        processElement(EntityInputs.of(families.getOrDefault(in.ruleId, KeyFamily.FIELD), in), ts);
    }

    void processElement(EntityInputs in, long ts) throws Exception {
        processElement1(in, ts);
    }

    void processBroadcastElement(Control c, long ts) throws Exception {
        if (c.ruleSet != null) {
            learn(c.ruleSet);
        }
        processElement2(c, ts);
    }

    void processWatermark(long t) throws Exception {
        processWatermark1(new Watermark(t));
    }

    void processBroadcastWatermark(long t) throws Exception {
        processWatermark2(new Watermark(t));
    }

    /** Entries of keyed state, over every key and rule namespace. */
    int keyedStateEntries() {
        return ((HeapKeyedStateBackend<?>) getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }
}
