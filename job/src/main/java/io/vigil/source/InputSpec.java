package io.vigil.source;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.EventTimePolicy;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * One named input of the topology: where its raw records come from, their format and event-time
 * policy. The topology builder takes these, so tests, replay and the cloud wire the same pipeline.
 */
public class InputSpec {
    private final String name;
    private final InputFormat format;
    /** A FLIP-27 source, or null when {@link #function} is set. */
    private final Source<RawRecord, ?, ?> source;
    /** A legacy source (Pub/Sub: its only connector is one), or null. */
    private final SourceFunction<RawRecord> function;
    private final EventTimePolicy eventTime;
    /** Source parallelism; 0 keeps the job default. Replay uses 1 to keep each file in order. */
    private final int parallelism;
    /** Watermarks generated per split (Kinesis: per shard) in the source, not after parsing. */
    private final boolean splitWatermarks;
    /** How long event ids are remembered to drop redeliveries; null: no de-duplication. */
    private final Duration dedupTtl;
    /** github-actions: the webhook secret records' signatures are checked with; null: no check. */
    private final io.vigil.parse.WebhookSecretSource githubSecret;

    public InputSpec(String name, InputFormat format, Source<RawRecord, ?, ?> source,
            EventTimePolicy eventTime, int parallelism) {
        this(name, format, source, null, eventTime, parallelism, false, null, null);
    }

    private InputSpec(String name, InputFormat format, Source<RawRecord, ?, ?> source,
            SourceFunction<RawRecord> function, EventTimePolicy eventTime, int parallelism,
            boolean splitWatermarks, Duration dedupTtl, io.vigil.parse.WebhookSecretSource githubSecret) {
        this.name = name;
        this.githubSecret = githubSecret;
        this.format = format;
        this.source = source;
        this.function = function;
        this.eventTime = eventTime;
        this.parallelism = parallelism;
        this.splitWatermarks = splitWatermarks;
        this.dedupTtl = dedupTtl;
    }

    /** An input read by a {@link SourceFunction} (at-least-once connectors such as Pub/Sub's). */
    public static InputSpec ofFunction(String name, InputFormat format, SourceFunction<RawRecord> function,
            EventTimePolicy eventTime, int parallelism) {
        return new InputSpec(name, format, null, function, eventTime, parallelism, false, null, null);
    }

    /**
     * This input with watermarks made in the source, one generator per split, so a shard that lags
     * holds the watermark back instead of having its records fall behind a faster shard's.
     */
    public InputSpec withSplitWatermarks() {
        if (source == null) {
            throw new IllegalStateException("per-split watermarks need a FLIP-27 source: " + name);
        }
        return new InputSpec(name, format, source, function, eventTime, parallelism, true, dedupTtl, githubSecret);
    }

    /** This input with redeliveries dropped (see {@link DuplicateFilter}); null leaves them. */
    public InputSpec withDedup(Duration ttl) {
        return new InputSpec(name, format, source, function, eventTime, parallelism, splitWatermarks, ttl, githubSecret);
    }

    /** This input with the signatures of its github-actions records checked (null: not checked). */
    public InputSpec withGitHubSecret(io.vigil.parse.WebhookSecretSource secret) {
        return new InputSpec(name, format, source, function, eventTime, parallelism, splitWatermarks, dedupTtl, secret);
    }

    public io.vigil.parse.WebhookSecretSource githubSecret() {
        return githubSecret;
    }

    /**
     * The raw records as a stream: with per-split watermarks when asked for, else none (the
     * topology assigns them after parsing, where event time is known).
     */
    public DataStreamSource<RawRecord> open(StreamExecutionEnvironment env) {
        TypeInformation<RawRecord> type = TypeInformation.of(RawRecord.class);
        if (function != null) {
            return env.addSource(function, "source " + name, type);
        }
        WatermarkStrategy<RawRecord> w = splitWatermarks
                ? SplitWatermarks.strategy(eventTime) : WatermarkStrategy.noWatermarks();
        return env.fromSource(source, w, "source " + name, type);
    }

    public String name() {
        return name;
    }

    public InputFormat format() {
        return format;
    }

    /** The FLIP-27 source; null for an input read by a source function. */
    public Source<RawRecord, ?, ?> source() {
        return source;
    }

    public EventTimePolicy eventTime() {
        return eventTime;
    }

    public int parallelism() {
        return parallelism;
    }

    public boolean splitWatermarks() {
        return splitWatermarks;
    }

    public Duration dedupTtl() {
        return dedupTtl;
    }
}
