package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.ParseOperator;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import io.vigil.parse.ValidEventWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A bounded job whose table writers end at different times, with checkpoints between the first
 * writer's end and the last's (a replay whose splits differ in length): every row is committed.
 * Iceberg's FlinkSink committer lost the first writer's last files here (its end-of-input files,
 * filed under checkpoint Long.MAX_VALUE, were overwritten by the last writer's at the job's end):
 * 103 rows with checkpoints after a task had finished, 1,254 in one CI run without them.
 */
class IcebergUnevenEndITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    private static final int SAMPLES = 4_000;
    private static final long T0 = 1_793_613_600_000L;

    /** Turns a number into a metric sample line; the second half goes slowly, so the subtask reading the first half ends first. */
    static final class SampleLines implements MapFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public RawRecord map(Long i) throws InterruptedException {
            if (i >= SAMPLES / 2 && i % 10 == 0) {
                Thread.sleep(10);
            }
            String line = "{\"name\":\"rows_loaded\",\"value\":" + i + ",\"time\":" + (T0 + i * 1000) + "}";
            return RawRecord.of("gen", InputFormat.METRICS, line.getBytes(StandardCharsets.UTF_8),
                    RawRecord.NO_RECEIVE_TIME, "gen:" + i);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void writersEndingCheckpointsApartCommitEveryRow() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(IcebergTables.forBoundedInputs(conf));
        env.setParallelism(2);
        env.enableCheckpointing(100);
        DataStream<Envelope> envelopes = env.fromSequence(0, SAMPLES - 1).uid("sequence")
                .map(new SampleLines()).uid("lines")
                .transform("parse", TypeInformation.of(Envelope.class), new ParseOperator(30_000)).uid("parse")
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<Envelope>forGenerator(ctx -> new ValidEventWatermarks(30_000))
                        .withTimestampAssigner((e, t) -> e.eventTime))
                .uid("event-time");
        IcebergTables.in(warehouse.config()).write(envelopes, null);
        env.execute("iceberg-uneven-end-it");

        List<Record> rows = warehouse.rows(VigilTables.METRIC_SAMPLES);
        Set<Double> values = new HashSet<>();
        for (Record r : rows) {
            values.add((Double) r.getField("value"));
        }
        Set<Double> missing = new java.util.TreeSet<>();
        for (long i = 0; i < SAMPLES; i++) {
            if (!values.contains((double) i)) {
                missing.add((double) i);
            }
        }
        assertThat(missing).as("missing values").isEmpty();
        assertThat(values).hasSize(SAMPLES);
        assertThat(rows).hasSize(SAMPLES);
    }
}
