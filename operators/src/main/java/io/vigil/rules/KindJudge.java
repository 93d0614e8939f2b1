package io.vigil.rules;

import io.vigil.model.Envelope;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.streaming.api.TimerService;

/**
 * The one home of a family of rule kinds: which rule fields it takes and how it reads them, which
 * entities an envelope concerns, the keyed state it keeps per entity and how elements and timers
 * move it. {@link RuleKind} is the registry; the evaluator and router only dispatch here.
 *
 * <p>The instance a {@link RuleKind} holds is stateless (reading, routing); the evaluator asks it
 * for an {@link #open opened} copy that holds its state handles.
 */
interface KindJudge {
    /** What the kind keys its entities by. */
    KeyFamily keyFamily();

    /** The rule fields this kind takes beyond those every rule takes. */
    Set<String> fields();

    /** Said after "X rules take no F" when a rule names a field the kind does not take. */
    default String hint() {
        return "";
    }

    /**
     * True when {@code rule} reads the per-second source summaries of {@link SourceDigest} rather
     * than the records themselves.
     */
    default boolean readsSummaries(Rule rule) {
        return keyFamily() == KeyFamily.SOURCE;
    }

    /** Reads the kind's fields into {@code rule}, reporting problems through {@code in}. */
    void read(RuleReader in, Rule rule);

    /**
     * Adds one input per entity of {@code rule} that {@code e} concerns. The selector's families
     * and sources have matched; {@code e} may be a dead letter or late.
     */
    void route(Rule rule, Envelope e, List<RuleInput> out);

    /**
     * A copy for one operator instance, holding its keyed state. The state is keyed by the kind's
     * family and entity; the evaluator sets it (and the timers) to the rule being judged.
     */
    KindJudge open(KeyedStateStore ctx);

    /**
     * Once, when an opened judge's operator starts (from a snapshot or afresh): carries state that
     * a previous version kept in another form into this version's ({@link
     * RuleNamespaces#forEachHolding}). Kinds whose state never changed form do nothing.
     */
    default void upgrade(RuleNamespaces namespaces) throws Exception {}

    /**
     * Kinds whose verdict depends on the order of inputs (each sample moves the lifecycle) keep an
     * input ahead of the watermark and return true: it is judged by {@link #release} once the
     * watermark passes its event time, in event-time order, whatever order parallel readers
     * delivered it in. Other kinds return false and judge it at once.
     */
    default boolean hold(RuleInput in, TimerService timers) throws Exception {
        return false;
    }

    /** The inputs held for event time {@code ts}, in a fixed order, and forgotten; empty when none. */
    default List<RuleInput> release(long ts) throws Exception {
        return List.of();
    }

    /** An input of the current key arrived. */
    void onElement(Evaluation ev, RuleInput in) throws Exception;

    /** An event-time timer of the current key fired at {@code ts} (the lifecycle's, or the kind's). */
    void onTimer(Evaluation ev, long ts) throws Exception;

    /** A processing-time timer fired (live silent-input fallbacks); most kinds set none. */
    default void onProcessingTimer(Evaluation ev, long ts) throws Exception {}

    /** True while the current key holds kind state; a key with none and no alert is released. */
    boolean holdsState() throws Exception;

    /** True when the kind's own bookkeeping has an event-time timer at {@code ts} that must survive. */
    boolean needsTimerAt(Rule rule, long ts) throws Exception;

    /**
     * Drops the current key's kind state and deletes the timers it set that have not fired yet;
     * {@code rule} is null when the rule was removed (its timers then fire into nothing).
     */
    void clear(Rule rule, TimerService timers) throws Exception;
}
