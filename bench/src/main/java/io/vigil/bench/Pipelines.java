package io.vigil.bench;

import io.vigil.VigilTopology;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.IcebergTables;
import io.vigil.model.AlertEvent;
import io.vigil.model.Envelope;
import io.vigil.model.RawRecord;
import io.vigil.parse.EventTimePolicy;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RuleSetException;
import io.vigil.rules.RulesFile;
import io.vigil.sink.DeadLetterJson;
import io.vigil.sink.LineFileSink;
import io.vigil.source.InputSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The jobs the harness runs over the same input: the parse ceiling, the ingest ceiling, Vigil's
 * full topology and the Flink SQL peer. The input is one source of all four families interleaved
 * in arrival order (each record names its own source and format), read at the job's parallelism,
 * as a partitioned stream would be. Every job starts with the same ingest, Vigil's own (source,
 * parse and validate, event time), so they differ only in what they do after it.
 */
final class Pipelines {
    /** The input's name in operator names and uids. */
    static final String INPUT = "telemetry";
    /** Prefix of the ceiling's count ({@link CountingSink}). */
    static final String PARSED = "parsed";

    /** The bench's pinned rules (the 17 default rules of 2026-12-03), not the shipped starter. */
    static final String RULES = "bench-rules.yaml";

    private Pipelines() {}

    /** The rules every Vigil pipeline of the bench judges by: pinned, so figures stay comparable. */
    static RuleSet rules() throws IOException, RuleSetException {
        try (InputStream in = Pipelines.class.getResourceAsStream(RULES)) {
            if (in == null) {
                throw new IOException("no " + RULES + " beside io.vigil.bench.Pipelines on the classpath");
            }
            return RulesFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RULES);
        }
    }

    /** (a) Vigil's ingest (source, parse and validate, event time) and a sink that discards what it gets. */
    static void ceiling(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source, EventTimePolicy eventTime) {
        ingested(env, source, eventTime).sinkTo(new CountingSink<>(PARSED)).name("discard");
    }

    /**
     * (a') Vigil's ingest and the event tables ({@link EventTables}) written as Vigil writes them,
     * no rules: what ingesting into the lake alone allows.
     */
    static void ingest(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source, EventTimePolicy eventTime,
            IcebergCatalogConfig warehouse) {
        EventTables.write(warehouse, ingested(env, source, eventTime));
    }

    /**
     * (b) Vigil's full topology, as the live job wires it: every default rule and sequence rule,
     * the notification policy, alerts to {@code alerts}, dead letters to a file under {@code dir}
     * and, with {@code warehouse}, the curated Iceberg tables (committed on checkpoints).
     */
    static VigilTopology.Streams vigil(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source,
            EventTimePolicy eventTime, Path dir, Sink<AlertEvent> alerts, IcebergCatalogConfig warehouse)
            throws Exception {
        // one input of mixed formats: the parser takes each record's format from the record
        InputSpec input = new InputSpec(INPUT, null, source, eventTime, 0);
        return VigilTopology.on(env)
                .input(input)
                .tables(warehouse == null ? null : IcebergTables.in(warehouse))
                .deadLetters(LineFileSink.appending(dir.resolve("dead-letter.jsonl"), new DeadLetterJson()))
                .rules(rules(), false) // live semantics, as deployed
                .alerts(alerts)
                .build();
    }

    /**
     * (c) The default rules as Flink SQL ({@link SqlPeer}), over the same ingest; with
     * {@code warehouse}, the same statement set also writes the event tables (Iceberg INSERTs).
     */
    static void sqlPeer(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source, EventTimePolicy eventTime,
            IcebergCatalogConfig warehouse) {
        SqlPeer.wire(StreamTableEnvironment.create(env), ingested(env, source, eventTime),
                eventTime.outOfOrderness().toMillis(), warehouse);
    }

    /** Valid events and dead letters, with event time: Vigil's ingest, as {@link VigilTopology} wires it. */
    private static DataStream<Envelope> ingested(StreamExecutionEnvironment env, Source<RawRecord, ?, ?> source,
            EventTimePolicy eventTime) {
        return VigilTopology.on(env).input(new InputSpec(INPUT, null, source, eventTime, 0)).build().envelopes;
    }
}
