package io.vigil.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.AggregatingState;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.internal.InternalKvState;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.InternalTimerService;

/**
 * The evaluator's keyed state and timers with one namespace per rule: the key is an entity of a
 * key family, and each rule of the family that judges it keeps its own state and timers under the
 * rule's id, as a window operator keeps each window's. A {@link KindJudge} sees plain keyed state
 * and a plain timer service; {@link #enter} chooses the rule they act for.
 */
final class RuleNamespaces implements KeyedStateStore {
    private final KeyedStateBackend<String> backend;
    private final ExecutionConfig serializers;
    private final InternalTimerService<String> timerService;
    private final List<InternalKvState<String, String, ?>> states = new ArrayList<>();
    private final Timers timers = new Timers();
    private String rule;

    RuleNamespaces(KeyedStateBackend<String> backend, ExecutionConfig serializers,
            InternalTimerService<String> timerService) {
        this.backend = backend;
        this.serializers = serializers;
        this.timerService = timerService;
    }

    /**
     * Every state and timer from here on is the rule's, for the current key. The evaluator passes
     * the rule's own id object, so state entries and timers written under it match their namespace
     * by identity, without reading the stored text (a cache miss per lookup on a large table).
     */
    void enter(String ruleId) {
        if (ruleId == rule) {
            return;
        }
        rule = ruleId;
        for (InternalKvState<String, String, ?> s : states) {
            s.setCurrentNamespace(ruleId);
        }
    }

    /**
     * Calls {@code each} with the state {@code d} entered for every key and rule holding some of
     * it: how a judge carries a previous version's state into a new form when the operator starts.
     * Nothing is created when the snapshot has no such state.
     */
    <S extends State> void forEachHolding(StateDescriptor<S, ?> d, StateUpgrade<S> each) throws Exception {
        List<Tuple2<String, String>> holding;
        try (Stream<Tuple2<String, String>> keys = backend.getKeysAndNamespaces(d.getName())) {
            holding = keys.collect(Collectors.toList()); // visited before any of it changes
        }
        if (holding.isEmpty()) {
            return;
        }
        S state = create(d);
        for (Tuple2<String, String> k : holding) {
            backend.setCurrentKey(k.f0);
            enter(k.f1);
            each.accept(state);
        }
    }

    /** One key and rule's share of {@link #forEachHolding}. */
    @FunctionalInterface
    interface StateUpgrade<S> {
        void accept(S state) throws Exception;
    }

    /** The timer service of the rule entered last. */
    TimerService timers() {
        return timers;
    }

    @SuppressWarnings("unchecked")
    private <S extends State> S create(StateDescriptor<S, ?> d) {
        d.initializeSerializerUnlessSet(serializers);
        try {
            S s = backend.getOrCreateKeyedState(StringSerializer.INSTANCE, d);
            InternalKvState<String, String, ?> kv = (InternalKvState<String, String, ?>) s;
            if (rule != null) {
                kv.setCurrentNamespace(rule);
            }
            if (!states.contains(kv)) { // kinds share descriptors: one state each
                states.add(kv);
            }
            return s;
        } catch (Exception e) {
            throw new IllegalStateException("keyed state " + d.getName(), e);
        }
    }

    @Override
    public <T> ValueState<T> getState(ValueStateDescriptor<T> d) {
        return create(d);
    }

    @Override
    public <T> ListState<T> getListState(ListStateDescriptor<T> d) {
        return create(d);
    }

    @Override
    public <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> d) {
        return create(d);
    }

    @Override
    public <IN, ACC, OUT> AggregatingState<IN, OUT> getAggregatingState(AggregatingStateDescriptor<IN, ACC, OUT> d) {
        return create(d);
    }

    @Override
    public <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> d) {
        return create(d);
    }

    /** Timers of the current key in the current rule's namespace. */
    private final class Timers implements TimerService {
        @Override
        public long currentProcessingTime() {
            return timerService.currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return timerService.currentWatermark();
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            timerService.registerProcessingTimeTimer(rule, time);
        }

        @Override
        public void registerEventTimeTimer(long time) {
            timerService.registerEventTimeTimer(rule, time);
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            timerService.deleteProcessingTimeTimer(rule, time);
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            timerService.deleteEventTimeTimer(rule, time);
        }
    }
}
