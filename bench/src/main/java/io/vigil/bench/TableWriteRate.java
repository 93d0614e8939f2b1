package io.vigil.bench;

import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.TableRows;
import io.vigil.iceberg.VigilTables;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.RecordDecoder;
import io.vigil.source.SyntheticTelemetry;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;

/**
 * Rows per second one Iceberg writer of a curated table takes, as the job wires it: rows made
 * from parsed events, handed to the table's writer in the same chain (no shuffle), Parquet files
 * committed on checkpoints. Each writer's clock runs from its first row to its last, so the
 * MiniCluster's start-up and the final commit are not counted. {@code --shape by-day} keys rows by
 * their day first, as Vigil wrote its tables before: the cost of that exchange.
 */
public final class TableWriteRate {
    private static final int POOL = 8192;
    private static final String ROWS = "rows";
    private static final String NANOS = "writer-nanos";
    private static final String CPU_NANOS = "chain-cpu-nanos";

    private TableWriteRate() {}

    public static void main(String[] args) {
        LocalRun.main(args, new Cli());
    }

    @Command(name = "io.vigil.bench.TableWriteRate",
            description = "rows/s per writer of each table, rows made from the generator's parsed events")
    static final class Cli implements LocalRun.Command {
        @Option(names = "--rows", paramLabel = "N", converter = Options.Count.class, description = "rows per run (default 2M)")
        long rows = 2_000_000;

        @Option(names = "--tables", paramLabel = "LIST", hideParamSyntax = true, split = ",", description = "curated tables (default auth_events,commerce_events)")
        List<String> tables = List.of("auth_events", "commerce_events");

        @Option(names = "--shapes", paramLabel = "LIST", hideParamSyntax = true, split = ",", description = "chained, by-day or both (default chained,by-day)")
        List<String> shapes = List.of("chained", "by-day");

        @Option(names = "--parallelism", paramLabel = "N", converter = Options.Count.class, description = "writers per table (default 1)")
        long parallelism = 1;

        @Option(names = "--checkpoint-interval", paramLabel = "D", converter = Options.Millis.class, description = "(default 10s)")
        long checkpointMs = 10_000;

        @Option(names = "--warmup", paramLabel = "N", converter = Options.Count.class,
                description = "rows of an unreported first run (default 300k; 0: none)")
        long warmup = 300_000;

        @Mixin Options.Shared output;

        @Override
        public void run() throws Exception {
            for (String s : shapes) {
                if (!s.equals("chained") && !s.equals("by-day")) {
                    throw new Options.Invalid("--shapes: unknown shape '" + s + "'");
                }
            }
            Path dir = output.dir("vigil-table-rate-");
            System.out.printf("%,d rows per run, %d writer(s) per table, checkpoints every %d s; warehouse in %s%n",
                    rows, parallelism, checkpointMs / 1000, dir);
            if (warmup > 0) {
                // JIT and class loading, not counted: the first run would otherwise pay them
                TableWriteRate.run(VigilTables.named(tables.get(0)), "chained", warmup, (int) parallelism, checkpointMs,
                        dir.resolve("warmup"), false);
            }
            for (String table : tables) {
                CuratedTable t = VigilTables.named(table);
                for (String shape : shapes) {
                    TableWriteRate.run(t, shape, rows, (int) parallelism, checkpointMs, dir, true);
                }
            }
            output.cleanUp(dir);
        }
    }

    private static void run(CuratedTable table, String shape, long rows, int parallelism, long checkpointMs, Path dir,
            boolean print) throws Exception {
        Path run = dir.resolve(table.name() + "-" + shape);
        IcebergCatalogConfig warehouse = IcebergCatalogConfig.hadoop(run.resolve("warehouse").toString());
        IcebergTables tables = IcebergTables.in(warehouse);
        tables.createMissingTables();
        LocalRun job = new LocalRun(parallelism, run.resolve("checkpoints"), checkpointMs, new Configuration());
        DataStream<RowData> made = job.env()
                .fromSource(new NumberSequenceSource(0, rows - 1), WatermarkStrategy.noWatermarks(), "row numbers")
                .map(new PooledRows(table.name()), table.typeInfo())
                .name("rows " + table.name());
        if (shape.equals("by-day")) {
            made = made.keyBy(new Day(table.position(table.partitionColumn())), Types.LONG);
        }
        tables.append(table, made);
        job.execute("table write rate " + table.name() + " " + shape);
        long n = job.result().<Long>getAccumulatorResult(ROWS);
        long nanos = job.result().<Long>getAccumulatorResult(NANOS);
        long cpu = job.result().<Long>getAccumulatorResult(CPU_NANOS);
        if (print) {
            // chained, the chain's thread is the writer's: its CPU is what one writer costs; keyed
            // by day, the writer runs in another thread, so only the wall rate compares
            System.out.printf("%-18s %-8s %,12.0f rows/s per writer   (%,d rows; job %.1f s%s)%n", table.name(), shape,
                    n / (nanos / 1e9), n, job.runtimeMs() / 1000.0,
                    shape.equals("chained") ? String.format("; %,.0f rows per CPU-second of the writer's thread", n / (cpu / 1e9)) : "");
        }
    }

    /**
     * The table's rows of a pool of parsed generator events (valid ones), one per number; the rows
     * are made per record, as the job makes them, and the writer's clock kept in the operator
     * chained to it.
     */
    static final class PooledRows extends RichMapFunction<Long, RowData> {
        private static final long serialVersionUID = 1L;
        private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
        private final String table;
        private transient Envelope[] pool;
        private transient long rows;
        private transient long first;
        private transient long last;
        private transient long firstCpu;
        private transient long lastCpu;

        PooledRows(String table) {
            this.table = table;
        }

        @Override
        public void open(OpenContext ctx) throws Exception {
            InputFormat format = table.equals("auth_events") ? InputFormat.LANL_AUTH
                    : table.equals("commerce_events") ? InputFormat.REES46
                    : table.equals("metric_samples") ? InputFormat.METRICS : null;
            if (format == null) {
                throw new IllegalArgumentException("no generator for " + table
                        + ": auth_events, commerce_events or metric_samples");
            }
            long now = System.currentTimeMillis();
            LongSupplier clock = (LongSupplier & Serializable) () -> now;
            SyntheticTelemetry gen = new SyntheticTelemetry("bench", format, 0, 1, clock);
            RecordDecoder decoder = new RecordDecoder();
            List<Envelope> valid = new ArrayList<>();
            for (long i = 0; valid.size() < POOL; i++) {
                RawRecord r = gen.map(i);
                Envelope e = decoder.decode(r);
                if (e.isValid()) {
                    valid.add(e);
                }
            }
            pool = valid.toArray(new Envelope[0]);
        }

        @Override
        public RowData map(Long i) {
            Envelope e = pool[(int) (i % POOL)];
            long t = System.nanoTime();
            if (rows++ == 0) {
                first = t;
                firstCpu = CPU.getCurrentThreadCpuTime();
            } else if ((rows & 4095) == 0) {
                lastCpu = CPU.getCurrentThreadCpuTime();
            }
            last = t;
            switch (table) {
                case "auth_events":
                    return TableRows.authEvent(e);
                case "commerce_events":
                    return TableRows.commerceEvent(e);
                default:
                    return TableRows.metricSample(e);
            }
        }

        @Override
        public void close() {
            getRuntimeContext().addAccumulator(ROWS, new LongCounter(rows));
            getRuntimeContext().addAccumulator(NANOS, new LongCounter(Math.max(1, last - first)));
            getRuntimeContext().addAccumulator(CPU_NANOS, new LongCounter(Math.max(1, lastCpu - firstCpu)));
        }
    }

    /** A row's partition day, as the old day-keyed writers were fed. */
    static final class Day implements org.apache.flink.api.java.functions.KeySelector<RowData, Long> {
        private static final long serialVersionUID = 1L;
        private final int position;

        Day(int position) {
            this.position = position;
        }

        @Override
        public Long getKey(RowData row) {
            return Math.floorDiv(row.getTimestamp(position, 6).getMillisecond(), 86_400_000L);
        }
    }
}
