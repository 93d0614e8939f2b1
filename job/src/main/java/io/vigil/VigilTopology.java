package io.vigil;

import io.vigil.iceberg.IcebergTables;
import io.vigil.model.AlertEvent;
import io.vigil.model.Envelope;
import io.vigil.model.RawRecord;
import io.vigil.model.SourceTally;
import io.vigil.parse.ParseOperator;
import io.vigil.parse.SourceTallyFunction;
import io.vigil.rules.ClockDigest;
import io.vigil.rules.ClockMark;
import io.vigil.rules.ClockOperator;
import io.vigil.rules.SourceDigest;
import io.vigil.rules.Control;
import io.vigil.rules.NotificationPolicy;
import io.vigil.rules.Rule;
import io.vigil.rules.EntityInputs;
import io.vigil.rules.EntityInputsTypeInfo;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleKind;
import io.vigil.cep.PatternStreams;
import io.vigil.rules.RuleInput;
import io.vigil.rules.RuleRouter;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RuleStates;
import io.vigil.rules.ControlFunction;
import io.vigil.rules.Silence;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.connector.source.Source;
import io.vigil.delivery.AlertDelivery;
import io.vigil.delivery.DeliveryRecord;
import io.vigil.source.DuplicateFilter;
import io.vigil.source.InputSpec;
import io.vigil.source.SplitWatermarks;
import io.vigil.model.Family;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Wires Vigil's dataflow from injected inputs and sinks, so replay, the local run, the cloud and
 * tests all run the same pipeline: per input source → parse/validate → event time; then the
 * union of all inputs feeds the outputs. Every operator has a stable uid for savepoints.
 */
public final class VigilTopology {
    /**
     * Live, buffers flush at least this often (Flink's default is 100 ms per hop): at low rates an
     * input would otherwise wait for a buffer to fill on its way to an alert. Not shorter: at 5 ms
     * half-empty buffers went out and the live job took about a fifth fewer events per second
     * (AlertLatency at its maximum rate, 66-70k against 80-96k at 20 ms and 85-88k at 100 ms).
     */
    static final long ALERT_PATH_BUFFER_TIMEOUT_MS = 20;
    /** Live watermarks every 50 ms (Flink's default 200 ms): an alert waits for the watermark that passes its event. */
    static final long LIVE_WATERMARK_INTERVAL_MS = 50;

    private final StreamExecutionEnvironment env;
    private final List<InputSpec> inputs = new ArrayList<>();
    private Sink<Envelope> deadLetters;
    private Sink<SourceTally> summary;
    private Sink<Envelope> events;
    private RuleSet rules;
    private boolean replay;
    /** Alert sinks by name ("" for the unnamed one of {@link #alerts(Sink)}). */
    private final Map<String, Sink<AlertEvent>> alerts = new LinkedHashMap<>();
    private AlertDelivery delivery;
    private Source<AlertEvent, ?, ?> watchdog;
    private Sink<DeliveryRecord> deliveryRecords;
    private Silence[] silences = new Silence[0];
    private final List<Source<RawRecord, ?, ?>> controls = new ArrayList<>();
    /** Each control source's name; its uid is source-NAME, so its checkpointed position is its own. */
    private final List<String> controlNames = new ArrayList<>();
    private IcebergTables tables;

    private VigilTopology(StreamExecutionEnvironment env) {
        this.env = env;
    }

    public static VigilTopology on(StreamExecutionEnvironment env) {
        return new VigilTopology(env);
    }

    public VigilTopology input(InputSpec input) {
        inputs.add(input);
        return this;
    }

    /** Every dead letter; the sink runs with parallelism 1. */
    public VigilTopology deadLetters(Sink<Envelope> sink) {
        this.deadLetters = sink;
        return this;
    }

    /** Per-source counts at end of a bounded input (replay); parallelism 1. */
    public VigilTopology summary(Sink<SourceTally> sink) {
        this.summary = sink;
        return this;
    }

    /** Every valid event (tests, and the curated tables later). */
    public VigilTopology events(Sink<Envelope> sink) {
        this.events = sink;
        return this;
    }

    /**
     * Judges every input against {@code rules}. {@code replay} stamps alerts' emission time with
     * event time, so replays are byte-for-byte repeatable.
     */
    public VigilTopology rules(RuleSet rules, boolean replay) {
        this.rules = rules;
        this.replay = replay;
        return this;
    }

    /** Silences in force from the start (replay reads them up front to stay deterministic). */
    public VigilTopology silences(Silence[] silences) {
        this.silences = silences;
        return this;
    }

    /** A live control input of rule updates and silences, applied without restart; any number, combined. */
    public VigilTopology control(Source<RawRecord, ?, ?> source) {
        return control(source, "control");
    }

    /** As above, named: a different kind of control source gets its own name and state. */
    public VigilTopology control(Source<RawRecord, ?, ?> source, String name) {
        if (controlNames.contains(name)) {
            throw new IllegalArgumentException("two control sources named " + name);
        }
        this.controls.add(source);
        this.controlNames.add(name);
        return this;
    }

    /** Every alert state change; the sink runs with parallelism 1. */
    public VigilTopology alerts(Sink<AlertEvent> sink) {
        return alerts("", sink);
    }

    /** One more alert sink, its operator ids derived from {@code name}; parallelism 1. */
    public VigilTopology alerts(String name, Sink<AlertEvent> sink) {
        if (alerts.put(name, sink) != null) {
            throw new IllegalArgumentException("alert sink name used twice: " + name);
        }
        return this;
    }

    /** Heartbeat alerts joined to the alerts after the notification policy (live runs only). */
    public VigilTopology watchdog(Source<AlertEvent, ?, ?> heartbeat) {
        this.watchdog = heartbeat;
        return this;
    }

    /**
     * Delivers every alert state change to Slack and SNS; each attempt's record goes to the
     * {@code alert_deliveries} table (with {@link #tables}) and to {@code records} if given.
     */
    public VigilTopology delivery(AlertDelivery delivery, Sink<DeliveryRecord> records) {
        this.delivery = delivery;
        this.deliveryRecords = records;
        return this;
    }

    /**
     * The curated Iceberg tables: every envelope (valid events and dead letters) and, with rules,
     * every delivered alert state change, committed exactly once on checkpoints (and at the end of
     * a bounded input).
     */
    public VigilTopology tables(IcebergTables tables) {
        this.tables = tables;
        return this;
    }

    /** Builds the dataflow and returns its streams for further wiring. */
    public Streams build() {
        if (inputs.isEmpty()) {
            throw new IllegalStateException("no inputs");
        }
        if (rules != null && !replay && env.getConfig().getAutoWatermarkInterval() > LIVE_WATERMARK_INTERVAL_MS) {
            env.getConfig().setAutoWatermarkInterval(LIVE_WATERMARK_INTERVAL_MS);
        }
        if (rules != null && !replay && (env.getBufferTimeout() < 0 || env.getBufferTimeout() > ALERT_PATH_BUFFER_TIMEOUT_MS)) {
            // Live, every exchange lies on some alert's path (inputs to the router, the pattern
            // operators and the clock; their outputs on to the policy and the sinks): at a low
            // rate a record would wait up to Flink's 100 ms per hop for a buffer to fill. At a
            // high rate buffers fill first, so this flush costs little throughput.
            env.setBufferTimeout(ALERT_PATH_BUFFER_TIMEOUT_MS);
        }
        // Events are immutable once parsed (ObjectReuseITCase): chained operators may share one
        // instance instead of deep-copying it for each of an envelope's many consumers.
        env.getConfig().enableObjectReuse();
        Set<String> names = new HashSet<>();
        DataStream<Envelope> all = null;
        DataStream<Envelope> valid = null;
        DataStream<Envelope> invalid = null;
        List<SingleOutputStreamOperator<Envelope>> perInput = new ArrayList<>();
        for (InputSpec in : inputs) {
            if (!names.add(in.name())) {
                throw new IllegalArgumentException("input name used twice: " + in.name());
            }
            SingleOutputStreamOperator<Envelope> parsed = parse(in);
            // Split per input, chained at the input's parallelism: a source's records then reach
            // each sink in their original order (one channel per upstream subtask).
            SingleOutputStreamOperator<Envelope> ok = parsed.filter(Envelope::isValid)
                    .name("valid " + in.name()).uid("valid-" + in.name());
            SingleOutputStreamOperator<Envelope> bad = parsed.filter(e -> !e.isValid())
                    .name("dead letters " + in.name()).uid("dead-letters-" + in.name());
            if (in.parallelism() > 0) {
                ok.setParallelism(in.parallelism());
                bad.setParallelism(in.parallelism());
            }
            perInput.add(parsed);
            all = all == null ? parsed : all.union(parsed);
            valid = valid == null ? ok : valid.union(ok);
            invalid = invalid == null ? bad : invalid.union(bad);
        }
        if (deadLetters != null) {
            invalid.sinkTo(deadLetters).name("dead-letter sink").uid("dead-letter-sink").setParallelism(1);
        }
        if (events != null) {
            valid.sinkTo(events).name("event sink").uid("event-sink");
        }
        if (summary != null) {
            all.keyBy(e -> e.source)
                    .process(new SourceTallyFunction())
                    .name("source tally")
                    .uid("source-tally")
                    .sinkTo(summary)
                    .name("summary sink")
                    .uid("summary-sink")
                    .setParallelism(1);
        }
        DataStream<AlertEvent> alertStream = null;
        SingleOutputStreamOperator<DeliveryRecord> deliveries = null;
        if (rules != null) {
            alertStream = judge(all, perInput);
            if (watchdog != null) {
                // after the policy: a silence must not hide the heartbeat, whose point is to arrive
                alertStream = alertStream.union(env.fromSource(watchdog, TopWatermarks.strategy(), "watchdog",
                                TypeInformation.of(AlertEvent.class))
                        .uid("source-watchdog").setParallelism(1));
            }
            for (Map.Entry<String, Sink<AlertEvent>> a : alerts.entrySet()) {
                String suffix = a.getKey().isEmpty() ? "" : "-" + a.getKey();
                alertStream.sinkTo(a.getValue()).name("alert sink" + (a.getKey().isEmpty() ? "" : " " + a.getKey()))
                        .uid("alert-sink" + suffix).setParallelism(1);
            }
            if (delivery != null) {
                // a replay's group timing follows event time, so it gives the same notifications
                deliveries = delivery.eventTime(replay).apply(alertStream);
                if (deliveryRecords != null) {
                    deliveries.sinkTo(deliveryRecords).name("delivery record sink").uid("delivery-record-sink")
                            .setParallelism(1);
                }
            }
        }
        if (tables != null) {
            if (rules != null) {
                tables.invalidRateThresholds(invalidRateThresholds(rules));
            }
            // per input: each input's event rows are made in its own chain
            List<IcebergTables.EnvelopeInput> tableInputs = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                tableInputs.add(IcebergTables.EnvelopeInput.of(inputs.get(i).name(), perInput.get(i)));
            }
            tables.write(tableInputs, alertStream);
            if (deliveries != null) {
                tables.writeDeliveries(deliveries);
                tables.writeDigests(deliveries.getSideOutput(AlertDelivery.DIGESTS));
            }
        }
        return new Streams(all, valid, invalid, alertStream, deliveries);
    }

    /**
     * Rules: a clock of the greatest event time (parallelism 1), rule updates and silences travel
     * on the broadcast control stream; the router fans envelopes out per (rule, entity) and sends
     * those of one entity of a key family together; the evaluator, keyed by family and entity,
     * judges all of them and runs each alert's lifecycle, and the notification policy decides
     * which state changes are delivered (silences, inhibit rules).
     */
    private DataStream<AlertEvent> judge(DataStream<Envelope> all, List<SingleOutputStreamOperator<Envelope>> perInput) {
        // Each input subtask thins its records to a few clock marks per second, chained after
        // parsing: the clock at parallelism 1 reads those, not every record.
        DataStream<ClockMark> marks = null;
        for (int i = 0; i < inputs.size(); i++) {
            SingleOutputStreamOperator<Envelope> parsed = perInput.get(i);
            SingleOutputStreamOperator<ClockMark> m = parsed
                    .transform("clock marks " + inputs.get(i).name(), TypeInformation.of(ClockMark.class),
                            new ClockDigest(replay))
                    .uid("clock-marks-" + inputs.get(i).name())
                    .setParallelism(parsed.getParallelism());
            marks = marks == null ? m : marks.union(m);
        }
        DataStream<Control> clock = marks
                .transform("event-time clock", TypeInformation.of(Control.class), new ClockOperator(replay))
                .uid("event-time-clock")
                .setParallelism(1);
        DataStream<Control> controls = clock;
        if (!this.controls.isEmpty()) {
            DataStream<RawRecord> lines = null;
            for (int i = 0; i < this.controls.size(); i++) {
                // the control directory keeps the uid it always had: its position restores from older savepoints
                DataStream<RawRecord> one = env.fromSource(this.controls.get(i), TopWatermarks.strategy(),
                                controlNames.get(i), TypeInformation.of(RawRecord.class))
                        .uid("source-" + controlNames.get(i))
                        .setParallelism(1);
                lines = lines == null ? one : lines.union(one);
            }
            controls = clock.union(lines
                    .flatMap(new ControlFunction(rules))
                    .name("control")
                    .uid("control")
                    .setParallelism(1));
        }
        BroadcastStream<Control> control = controls.broadcast(RuleStates.RULES, RuleStates.CLOCK, RuleStates.SILENCES, RuleStates.GAPS);
        // Routed per input, chained at the input's parallelism: a source's records keep their
        // order into the evaluator (a run's START before its COMPLETE).
        DataStream<EntityInputs> routed = null;
        for (int i = 0; i < inputs.size(); i++) {
            SingleOutputStreamOperator<Envelope> parsed = perInput.get(i);
            // each source's records summed per second for the source-level rules, chained after parsing
            SingleOutputStreamOperator<Envelope> digested = parsed
                    .transform("source digest " + inputs.get(i).name(), TypeInformation.of(Envelope.class), new SourceDigest())
                    .uid("source-digest-" + inputs.get(i).name())
                    .setParallelism(parsed.getParallelism());
            SingleOutputStreamOperator<EntityInputs> r = digested.connect(control)
                    .process(new RuleRouter(rules), TypeInformation.of(EntityInputs.class))
                    .name("rule router " + inputs.get(i).name())
                    .uid("rule-router-" + inputs.get(i).name())
                    .setBufferTimeout(ALERT_PATH_BUFFER_TIMEOUT_MS)
                    .setParallelism(parsed.getParallelism());
            routed = routed == null ? r : routed.union(r);
        }
        // Sequence rules: one CEP operator each, compiled from the rules at start-up; their matches
        // join the evaluator's input, so they share the lifecycle, silences and inhibitions.
        for (Rule rule : rules.rules) {
            if (rule.kind == RuleKind.PATTERN) {
                routed = routed.union(PatternStreams.apply(all, rule.id, rule.pattern)
                        .map(m -> EntityInputs.of(RuleKind.PATTERN.keyFamily(), RuleInput.of(m)), EntityInputsTypeInfo.INSTANCE)
                        .name("pattern " + rule.id + " matches")
                        .uid("pattern-" + rule.id + "-matches")
                        .setBufferTimeout(0)); // matches are few
            }
        }
        // Keyed by key family and entity: every rule of the family judges the entity there, each in
        // its own namespace of the key's state. The control stream reaches every subtask.
        DataStream<AlertEvent> changes = routed.keyBy(EntityInputs::key, Types.STRING)
                .connect(controls.broadcast())
                .transform("rules", TypeInformation.of(AlertEvent.class), new RuleEvaluator(rules, replay))
                .uid("rules-by-entity")
                .setBufferTimeout(0); // alert state changes are few: each goes on at once
        // Silences and inhibitions compare alerts across rules and entities: one key, one subtask.
        return changes.keyBy(a -> NotificationPolicy.KEY, Types.STRING)
                .connect(control)
                .process(new NotificationPolicy(rules, silences, replay), TypeInformation.of(AlertEvent.class))
                .name("notification policy")
                .uid("notification-policy")
                .setParallelism(1)
                .setMaxParallelism(1)
                .setBufferTimeout(0);
    }

    /**
     * The verdict thresholds of the per-source invalid-rate rows in dq_results: per family, the
     * lowest alerting threshold of the invalid_rate rules that select the whole family, so the
     * table's "passed" agrees with the alerts.
     */
    static Map<Family, Double> invalidRateThresholds(RuleSet rules) {
        Map<Family, Double> out = new EnumMap<>(Family.class);
        for (Rule r : rules.rules) {
            Double t = r.info != null ? r.info : r.warning != null ? r.warning : r.critical;
            if (r.kind != RuleKind.INVALID_RATE || t == null || r.selector.sources.length > 0) {
                continue;
            }
            for (Family f : r.selector.families) {
                out.merge(f, t, Math::min);
            }
        }
        return out;
    }

    private SingleOutputStreamOperator<Envelope> parse(InputSpec in) {
        DataStreamSource<RawRecord> raw = in.open(env);
        raw.uid("source-" + in.name());
        if (in.parallelism() > 0) {
            raw.setParallelism(in.parallelism());
        }
        SingleOutputStreamOperator<Envelope> parsed = raw
                .transform("parse " + in.name(), TypeInformation.of(Envelope.class),
                        new ParseOperator(in.eventTime()).verifyingGitHubWith(in.githubSecret()))
                .uid("parse-" + in.name());
        // At-least-once inputs: redeliveries dropped before rules, tables and sinks (the parse counters see them).
        SingleOutputStreamOperator<Envelope> once = in.dedupTtl() == null ? parsed
                : parsed.keyBy(DuplicateFilter.key(), Types.STRING).process(new DuplicateFilter(in.dedupTtl()))
                        .name("dedup " + in.name()).uid("dedup-" + in.name());
        // Watermarks made per split in the source pass through; assignTimestampsAndWatermarks would drop them.
        SingleOutputStreamOperator<Envelope> timed = (in.splitWatermarks()
                ? once.transform("event time " + in.name(), TypeInformation.of(Envelope.class), new SplitWatermarks.EventTimeStamp())
                : once.assignTimestampsAndWatermarks(in.eventTime().watermarkStrategy()).name("event time " + in.name()))
                .uid("event-time-" + in.name());
        if (in.parallelism() > 0) {
            parsed.setParallelism(in.parallelism());
            once.setParallelism(in.parallelism());
            timed.setParallelism(in.parallelism());
        }
        return timed;
    }

    /**
     * Control records and heartbeats carry no event time of the data: such an input holds its
     * watermark at the top, so it never holds back the streams it is joined with.
     */
    private static final class TopWatermarks<T> implements WatermarkGenerator<T> {
        static <T> WatermarkStrategy<T> strategy() {
            return WatermarkStrategy.forGenerator(ctx -> new TopWatermarks<>());
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(Long.MAX_VALUE - 1));
        }
    }

    /** The streams of a built topology. */
    public static final class Streams {
        /** Valid events and dead letters of every input, with event time and watermarks. */
        public final DataStream<Envelope> envelopes;
        public final DataStream<Envelope> events;
        public final DataStream<Envelope> deadLetters;
        /** Alert state changes; null when no rules were given. */
        public final DataStream<AlertEvent> alerts;
        /** One record per delivery attempt; null without delivery. */
        public final DataStream<DeliveryRecord> deliveries;

        Streams(DataStream<Envelope> envelopes, DataStream<Envelope> events, DataStream<Envelope> deadLetters,
                DataStream<AlertEvent> alerts, DataStream<DeliveryRecord> deliveries) {
            this.envelopes = envelopes;
            this.events = events;
            this.deadLetters = deadLetters;
            this.alerts = alerts;
            this.deliveries = deliveries;
        }
    }
}
