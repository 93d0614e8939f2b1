package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.ParseOperator;
import io.vigil.parse.ValidEventWatermarks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job that fails once mid-stream, after data was committed, and restarts from its last
 * checkpoint: the table holds every input row exactly once.
 */
class IcebergExactlyOnceITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    private static final int SAMPLES = 200;
    /** The source emits this many samples per completed checkpoint, so the failure at the halfway
     * sample comes after several checkpoints have committed rows, however slow the machine. */
    private static final int SAMPLES_PER_CHECKPOINT = 25;
    private static final long T0 = 1_793_613_600_000L;

    /** The injected failure happens once per JVM; the MiniCluster runs in this JVM. */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    /** Passes envelopes on, and fails once, at the first sample of the second half. */
    static final class FailOnce implements MapFunction<Envelope, Envelope> {
        private static final long serialVersionUID = 1L;

        @Override
        public Envelope map(Envelope e) {
            if (e.metric.value >= SAMPLES / 2 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at sample " + (long) e.metric.value);
            }
            return e;
        }
    }

    private static RawRecord sample(long i) {
        String line = "{\"name\":\"rows_loaded\",\"value\":" + i + ",\"time\":" + (T0 + i * 1000) + "}";
        return RawRecord.of("gen", InputFormat.METRICS, line.getBytes(StandardCharsets.UTF_8),
                RawRecord.NO_RECEIVE_TIME, "gen:" + i);
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void aRestartFromTheLastCheckpointNeitherLosesNorDuplicatesARow() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IcebergTables.forBoundedInputs(conf));
        env.setParallelism(2);
        env.enableCheckpointing(500);

        DataGeneratorSource<RawRecord> source = new DataGeneratorSource<>(IcebergExactlyOnceITCase::sample, SAMPLES,
                RateLimiterStrategy.perCheckpoint(SAMPLES_PER_CHECKPOINT), TypeInformation.of(RawRecord.class));
        DataStream<Envelope> envelopes = env.fromSource(source, WatermarkStrategy.noWatermarks(), "generator")
                .uid("generator").setParallelism(1)
                .transform("parse", TypeInformation.of(Envelope.class), new ParseOperator(30_000)).uid("parse")
                .setParallelism(1)
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<Envelope>forGenerator(ctx -> new ValidEventWatermarks(30_000))
                        .withTimestampAssigner((e, t) -> e.eventTime))
                .uid("event-time").setParallelism(1)
                .map(new FailOnce()).uid("fail-once").setParallelism(1);
        IcebergTables.in(warehouse.config()).write(envelopes, null);
        env.execute("iceberg-exactly-once-it");

        assertThat(FAILED.get()).as("the failure was injected").isTrue();
        Table table = warehouse.table(VigilTables.METRIC_SAMPLES);
        List<Record> rows = HadoopCatalogExtension.read(table);
        Set<Double> values = new HashSet<>();
        for (Record r : rows) {
            values.add((Double) r.getField("value"));
        }
        assertThat(rows).hasSize(SAMPLES);
        assertThat(values).hasSize(SAMPLES);

        int commits = 0;
        for (Snapshot s : table.snapshots()) {
            commits++;
            // one writer, chained to the input: one file per day touched (all samples are on one day)
            assertThat(s.summary().get("added-data-files")).as("files of commit " + commits).isEqualTo("1");
        }
        assertThat(commits).as("committed before and after the restart")
                .isGreaterThanOrEqualTo(SAMPLES / SAMPLES_PER_CHECKPOINT / 2);
    }
}
