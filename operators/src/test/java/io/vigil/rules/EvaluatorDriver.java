package io.vigil.rules;

import io.vigil.model.AlertEvent;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.parse.RecordDecoder;
import io.vigil.testing.Samples;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The rule operators in test harnesses, as the pipeline wires them: records routed by the rule
 * matcher into the evaluator, whose alert events pass through the notification policy.
 */
final class EvaluatorDriver implements AutoCloseable {
    static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    static final long MIN = 60_000;
    private final RecordDecoder decoder = new RecordDecoder(() -> T0 + 365L * 24 * 3600 * 1000);

    final RuleSet set;
    final EvaluatorHarness h;
    /** Downstream of the evaluator, as in the pipeline: what is delivered (silences, inhibitions). */
    final KeyedBroadcastOperatorTestHarness<String, AlertEvent, Control, AlertEvent> policy;
    private int forwarded;

    EvaluatorDriver(RuleSet set) throws Exception {
        this(set, true);
    }

    EvaluatorDriver(RuleSet set, boolean replay) throws Exception {
        this.set = set;
        this.h = new EvaluatorHarness(set, replay);
        this.policy = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new NotificationPolicy(set, new Silence[0], false), a -> NotificationPolicy.KEY, Types.STRING,
                RuleStates.RULES, RuleStates.CLOCK, RuleStates.SILENCES, RuleStates.GAPS);
        policy.open();
    }

    /** A control element (rule update, silence) reaches both operators, as the broadcast does. */
    void control(Control c, long t) throws Exception {
        h.processBroadcastElement(c, t);
        policy.processBroadcastElement(c, t);
    }

    /** Routes {@code e} as the pipeline does: one element per entity of a key family. */
    void send(Envelope e) throws Exception {
        List<RuleInput> inputs = new ArrayList<>();
        List<KeyFamily> families = new ArrayList<>();
        Envelope summary = Envelope.of(e.source, e.family, io.vigil.model.SourceCounts.of(e));
        for (Rule r : set.rules) {
            RuleRouter.route(r, e, inputs, families);
            RuleRouter.route(r, summary, inputs, families);
        }
        List<EntityInputs> grouped = new ArrayList<>();
        RuleRouter.group(inputs, families, new ListCollector<>(grouped));
        for (EntityInputs in : grouped) {
            h.processElement(in, in.inputs[0].eventTime);
        }
    }

    /**
     * Routes one record as the pipeline does: itself to the entity rules, and its source's summary
     * to the source-level rules, as {@link SourceDigest} sends it for a second with this one record.
     */
    static void routeOne(Rule r, Envelope e, List<RuleInput> out) {
        RuleMatcher.route(r, e, out);
        RuleMatcher.route(r, Envelope.of(e.source, e.family, io.vigil.model.SourceCounts.of(e)), out);
    }

    void line(InputFormat f, String source, String text) throws Exception {
        line(f, source, text, T0); // invalid records count at the test's clock
    }

    /** A record of a source; an invalid one counts at {@code invalidAt}, as the parse operator would place it. */
    void line(InputFormat f, String source, String text, long invalidAt) throws Exception {
        Envelope e = decoder.decode(Samples.raw(f, text));
        e.source = source;
        if (!e.isValid()) {
            e.eventTime = invalidAt;
        }
        send(e);
    }

    /** The clock and the watermark move to {@code t}, as they do in the pipeline. */
    void time(long t) throws Exception {
        h.processBroadcastElement(Control.tick(t), t);
        h.processWatermark(t);
        h.processBroadcastWatermark(t);
    }

    /** End of a bounded input: the final watermark, with the clock where the input ended. */
    void end() throws Exception {
        h.processWatermark(Long.MAX_VALUE);
        h.processBroadcastWatermark(Long.MAX_VALUE);
    }

    /** What was delivered: the evaluator's alert events, through the notification policy. */
    List<String> alerts() throws Exception {
        List<AlertEvent> changes = h.extractOutputValues();
        for (; forwarded < changes.size(); forwarded++) {
            AlertEvent a = changes.get(forwarded);
            policy.processElement(a, a.eventTime);
        }
        return policy.extractOutputValues().stream()
                .map(a -> a.ruleId + " " + a.state.wire() + " " + a.severity.wire() + " @" + (a.eventTime - T0) / 1000 + "s "
                        + a.entity)
                .collect(Collectors.toList());
    }

    int keyedState() {
        return h.keyedStateEntries();
    }

    @Override
    public void close() throws Exception {
        h.close();
        policy.close();
    }

    static RuleSet rules(String yaml) throws Exception {
        return RulesFile.parse("rules:\n" + yaml, "test");
    }

    static String metric(String name, double v, long t) {
        return "{\"name\":\"" + name + "\",\"value\":" + v + ",\"time\":" + t + ",\"labels\":{\"portfolio\":\"abaco\"}}";
    }

    static String lanl(long t, String user, String dst, String outcome) {
        return (t / 1000) + "," + user + "@DOM1," + user + "@DOM1,C1," + dst + ",NTLM,Network,LogOn," + outcome;
    }

    static String run(String type, String runId, String job, long t, String extra) {
        return "{\"eventType\":\"" + type + "\",\"eventTime\":\"" + Instant.ofEpochMilli(t) + "\",\"run\":{\"runId\":\""
                + runId + "\"},\"job\":{\"namespace\":\"etl\",\"name\":\"" + job + "\"}" + extra + "}";
    }
}
