package io.vigil.bench;

import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.parse.EventTimePolicy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Alert latency of Vigil's full topology run live-style: a source paced at half of a given maximum
 * rate, each record due at its place in that schedule and stamped with that time as event time
 * (1 s out-of-orderness, so the watermark keeps up), over the harness's input mix with its
 * injected incidents (a brute-force burst per minute of the mix, a job failing three runs in a row
 * and a PAR_90 spike every five). Each incident's latency runs from its triggering record's due
 * time to its alert being written by the alert sink, so a reader that falls behind counts too;
 * prints p50 and p99 per rule and overall, and the slowest incidents.
 */
public final class AlertLatency {
    private AlertLatency() {}

    public static void main(String[] args) {
        LocalRun.main(args, new Cli());
    }

    @Command(name = "io.vigil.bench.AlertLatency",
            customSynopsis = "java -cp bench/target/benchmarks.jar io.vigil.bench.AlertLatency --rate N [options]")
    static final class Cli implements LocalRun.Command {
        @Option(names = "--rate", paramLabel = "N", required = true, converter = Options.Count.class, description = {
            "the maximum sustainable rate, events/s (JobThroughput's vigil figure);", "the run feeds half of it"})
        long rate;

        @Option(names = "--duration", paramLabel = "D", converter = Options.Millis.class, description = "how long to feed (default 2m)")
        long durationMs = 120_000;

        @Option(names = "--skip", paramLabel = "D", converter = Options.Millis.class, description = {
            "incidents triggered this soon after the first record fed are not",
            "counted (JIT and start-up: a fresh job starts behind its schedule", "and catches up; default 60s)"})
        long skipMs = 60_000;

        @Option(names = "--parallelism", paramLabel = "N", converter = Options.Count.class, description = "(default 2)")
        long parallelism = 2;

        @Option(names = "--pass", paramLabel = "DURATION", converter = Options.Millis.class, description = {
            "event time one pass of the pre-generated mix covers (default 60m: a",
            "brute-force burst per minute of it, a failing job and a PAR_90 spike per 5)"})
        long passMs = 3_600_000;

        @Option(names = "--checkpoint-interval", paramLabel = "D", converter = Options.Millis.class,
                description = "checkpoints and table commits (default 10s)")
        long checkpointMs = 10_000;

        @Mixin Options.Shared output;

        @Override
        public void run() throws Exception {
            double fed = rate / 2.0;
            if (fed < 1 || parallelism < 1) {
                throw new Options.Invalid("--rate must be at least 2 and --parallelism at least 1");
            }
            Path dir = output.dir("vigil-latency-");
            Path runDir = dir.resolve("latency");
            LocalRun.delete(runDir); // the file sinks append: a rerun into the same --out starts afresh
            AlertLatency.run(System.out, fed, durationMs, skipMs, (int) parallelism, passMs, checkpointMs, runDir);
            output.cleanUp(dir);
        }
    }

    private static void run(PrintStream out, double rate, long durationMs, long skipMs, int parallelism,
            long passMs, long checkpointMs, Path dir) throws Exception {
        long t0 = System.nanoTime();
        MemoryInput input = TelemetryMix.pass(passMs);
        long count = (long) (rate * durationMs / 1000);
        out.printf("input: %s; generated in %.1f s%n", input.describe(), (System.nanoTime() - t0) / 1e9);
        out.printf("feeding %,d records at %,.0f events/s for %d s, parallelism %d, checkpoints every %d s; outputs in %s%n",
                count, rate, durationMs / 1000, parallelism, checkpointMs / 1000, dir);

        IncidentLog.clear();
        LocalRun r = new LocalRun(parallelism, dir.resolve("checkpoints"), checkpointMs, new Configuration());
        // live inputs: 1 s of out-of-orderness (the source stamps the time a record is due), idle after a minute
        EventTimePolicy eventTime = new EventTimePolicy(Duration.ofSeconds(1), Duration.ofMinutes(1));
        Pipelines.vigil(r.env(), ReplaySource.live(input, count, rate), eventTime, dir,
                new TimedAlertSink(dir.resolve("alerts.jsonl")),
                IcebergCatalogConfig.hadoop(dir.resolve("warehouse").toString()));
        r.execute("bench latency");
        // the rate achieved while feeding: below the target, the job could not keep up and latencies queue
        out.printf("fed %,d records in %.1f s: %,.0f events/s achieved (job ran %.1f s)%n%n", count,
                IncidentLog.feedingMs() / 1000.0, count * 1000.0 / Math.max(1, IncidentLog.feedingMs()),
                r.runtimeMs() / 1000.0);

        long counted = IncidentLog.feedStart() + skipMs;
        Map<String, List<Long>> latencies = IncidentLog.latencies(counted);
        List<Long> all = new ArrayList<>();
        out.printf("%-28s %7s %9s %9s %9s%n", "alert latency (ms)", "count", "p50", "p99", "max");
        for (Map.Entry<String, List<Long>> e : latencies.entrySet()) {
            row(out, e.getKey(), e.getValue());
            all.addAll(e.getValue());
        }
        row(out, "all incidents", all);
        StringBuilder slow = new StringBuilder();
        for (long[] x : IncidentLog.slowest(counted, 5)) {
            slow.append(slow.length() == 0 ? "" : ", ").append(String.format("%,d ms at %d s", x[1], x[0]));
        }
        out.printf("slowest incidents (s into the feed): %s%n", slow);
        Map<String, List<Long>> outstanding = IncidentLog.outstanding();
        out.printf("%d incidents triggered without an alert written (the last moments of the run, or missed)%s%n",
                outstanding.values().stream().mapToInt(List::size).sum(),
                outstanding.isEmpty() ? "" : "; s into the feed, per rule: " + outstanding);
    }

    private static void row(PrintStream out, String name, List<Long> ms) {
        if (ms.isEmpty()) {
            out.printf("%-28s %7d%n", name, 0);
            return;
        }
        Collections.sort(ms);
        out.printf("%-28s %7d %9d %9d %9d%n", name, ms.size(), quantile(ms, 0.50), quantile(ms, 0.99),
                ms.get(ms.size() - 1));
    }

    /** The nearest-rank quantile of sorted values. */
    static long quantile(List<Long> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
