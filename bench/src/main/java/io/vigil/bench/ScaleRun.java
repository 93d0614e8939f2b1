package io.vigil.bench;

import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.parse.EventTimePolicy;
import io.vigil.sink.AlertJson;
import io.vigil.sink.LineFileSink;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Vigil's full topology (rules, sequence rules, curated tables, checkpoints) over a long replay in
 * one job, held at given record counts (by default 1M and 10M) to read: the last checkpoint's
 * duration and size (the JobManager's checkpoint metrics), the state per operator (from the
 * checkpoint's metadata) and the heap used after a full GC, so one can see whether state and
 * heap stay flat as the input grows. The checkpoint read is one taken while the input was held,
 * so it holds the state after exactly that many records.
 */
public final class ScaleRun {
    private ScaleRun() {}

    public static void main(String[] args) {
        LocalRun.main(args, new Cli());
    }

    @Command(name = "io.vigil.bench.ScaleRun",
            customSynopsis = "java -cp bench/target/benchmarks.jar io.vigil.bench.ScaleRun [options]")
    static final class Cli implements LocalRun.Command {
        @Option(names = "--at", paramLabel = "LIST", hideParamSyntax = true, split = ",", converter = Options.Count.class, description = {
            "record counts to read the figures at, ascending; the last ends the run",
            "(default 1M,10M; e.g. 200k,1M for a short run)"})
        long[] counts = {1_000_000, 10_000_000};

        @Option(names = "--parallelism", paramLabel = "N", converter = Options.Count.class, description = "(default 2)")
        long parallelism = 2;

        @Option(names = "--pass", paramLabel = "DURATION", converter = Options.Millis.class, description = {
            "event time one pass of the pre-generated mix covers (default 60m, or",
            "less when the last count is under a pass)"})
        Long passMs;

        @Option(names = "--checkpoint-interval", paramLabel = "D", converter = Options.Millis.class, description = "(default 10s)")
        long checkpointMs = 10_000;

        @Option(names = "--top", paramLabel = "N", converter = Options.Count.class, description = "operators listed by state size (default 8)")
        long top = 8;

        @Mixin Options.Shared output;

        @Override
        public void run() throws Exception {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0 || (i > 0 && counts[i] <= counts[i - 1])) {
                    throw new Options.Invalid("--at takes ascending counts above 0");
                }
            }
            long pass = passMs != null ? passMs : TelemetryMix.passFor(counts[counts.length - 1]);
            Path dir = output.dir("vigil-scale-");
            Path runDir = dir.resolve("scale");
            LocalRun.delete(runDir); // the file sinks append: a rerun into the same --out starts afresh
            ScaleRun.run(System.out, counts, (int) parallelism, pass, checkpointMs, (int) top, runDir);
            output.cleanUp(dir);
        }
    }

    /** The figures at one count. */
    private static final class Reading {
        final long records;
        final double rate;
        final long checkpointMs;
        final long checkpointBytes;
        final long fullBytes;
        final long heapBytes;

        Reading(long records, double rate, long checkpointMs, long checkpointBytes, long fullBytes, long heapBytes) {
            this.records = records;
            this.rate = rate;
            this.checkpointMs = checkpointMs;
            this.checkpointBytes = checkpointBytes;
            this.fullBytes = fullBytes;
            this.heapBytes = heapBytes;
        }
    }

    private static void run(PrintStream out, long[] counts, int parallelism, long passMs, long checkpointMs, int top,
            Path dir) throws Exception {
        long total = counts[counts.length - 1];
        long t0 = System.nanoTime();
        MemoryInput input = TelemetryMix.pass(passMs);
        out.printf("input: %s; generated in %.1f s%n", input.describe(), (System.nanoTime() - t0) / 1e9);
        out.printf("one job over %,d records, parallelism %d, checkpoints every %d s, held at %s; outputs in %s%n%n",
                total, parallelism, checkpointMs / 1000, describe(counts), dir);

        ReplayGate gate = new ReplayGate(counts, parallelism);
        LocalRun r = new LocalRun(parallelism, dir.resolve("checkpoints"), checkpointMs,
                CheckpointMetrics.install(new Configuration()));
        EventTimePolicy eventTime = EventTimePolicy.replay(EventTimePolicy.DEFAULT_OUT_OF_ORDERNESS);
        ReplaySource source = ReplaySource.replay(input, total, input.shiftEndingBefore(total, System.currentTimeMillis()))
                .heldBy(gate);
        Pipelines.vigil(r.env(), source, eventTime, dir, LineFileSink.appending(dir.resolve("alerts.jsonl"), new AlertJson()),
                IcebergCatalogConfig.hadoop(dir.resolve("warehouse").toString()));
        StreamGraph graph = r.env().getStreamGraph();
        CheckpointedState state = new CheckpointedState(graph);
        JobClient job = r.env().executeAsync(graph);
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();

        List<Reading> readings = new ArrayList<>();
        long previous = 0;
        long since = System.currentTimeMillis();
        for (long count : counts) {
            long checkpoint = awaitHeldCheckpoint(gate, result);
            double rate = (count - previous) * 1000.0 / Math.max(1, gate.allHeldAt() - since);
            Reading reading = new Reading(count, rate, CheckpointMetrics.longValue("lastCheckpointDuration"),
                    CheckpointMetrics.longValue("lastCheckpointSize"), CheckpointMetrics.longValue("lastCheckpointFullSize"),
                    usedHeapAfterGc());
            readings.add(reading);
            out.printf("at %,d records (%,.0f events/s since the previous reading, checkpoints included)%n", count, rate);
            out.printf("  checkpoint %d (held input): %,d ms, %s (full size %s)%n", checkpoint, reading.checkpointMs,
                    mb(reading.checkpointBytes), mb(reading.fullBytes));
            out.printf("  keyed state entries: not exposed by the heap state backend; state by operator:%n");
            printShares(out, state, CheckpointMetrics.value("lastCheckpointExternalPath"), top);
            out.printf("  heap used after GC: %s (the in-memory input and the MiniCluster included)%n%n",
                    mb(reading.heapBytes));
            previous = count;
            gate.release();
            since = System.currentTimeMillis();
        }
        result.get();
        out.printf("%-14s %14s %14s %14s %14s %14s%n", "records", "events/s", "checkpoint ms", "checkpoint", "full size",
                "heap after GC");
        for (Reading g : readings) {
            out.printf("%,-14d %,14.0f %,14d %14s %14s %14s%n", g.records, g.rate, g.checkpointMs, mb(g.checkpointBytes),
                    mb(g.fullBytes), mb(g.heapBytes));
        }
    }

    /** Waits for the gate's checkpoint, failing if the job ends first. */
    private static long awaitHeldCheckpoint(ReplayGate gate, CompletableFuture<JobExecutionResult> job) throws Exception {
        while (true) {
            try {
                return gate.awaitCheckpoint(5_000);
            } catch (TimeoutException e) {
                if (job.isDone()) {
                    job.get(); // a failed job throws its cause here
                    throw new IllegalStateException("the job ended before the input was held", e);
                }
            }
        }
    }

    private static void printShares(PrintStream out, CheckpointedState state, Object pointer, int top) {
        if (pointer == null) {
            out.printf("    (no checkpoint path reported)%n");
            return;
        }
        try {
            List<CheckpointedState.Share> shares = state.read(pointer.toString());
            for (CheckpointedState.Share s : shares.subList(0, Math.min(top, shares.size()))) {
                out.printf("    %10s  %s%n", mb(s.bytes), s.operator);
            }
            if (shares.size() > top) {
                long rest = shares.subList(top, shares.size()).stream().mapToLong(s -> s.bytes).sum();
                out.printf("    %10s  %d more operators%n", mb(rest), shares.size() - top);
            }
        } catch (IOException e) {
            // a newer checkpoint subsumed (deleted) this one while the input was held
            out.printf("    (checkpoint %s no longer readable: %s)%n", pointer, e.getMessage());
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mb(long bytes) {
        if (bytes < 0) {
            return "n/a";
        }
        return bytes < 1_000_000 ? String.format("%.0f kB", bytes / 1e3) : String.format("%.1f MB", bytes / 1e6);
    }

    private static String describe(long[] counts) {
        List<String> s = new ArrayList<>();
        for (long c : counts) {
            s.add(String.format("%,d", c));
        }
        return String.join(", ", s);
    }
}
