package io.vigil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.TableCommits;
import io.vigil.parse.EventTimePolicy;
import io.vigil.sink.AlertJson;
import io.vigil.sink.LineFileSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Whole-job throughput: jobs over the same in-memory input in one command, each on a local
 * MiniCluster at the same parallelism with checkpoints, each starting with Vigil's own ingest
 * (source, parse and validate, event time): (a) the ceiling, ingest → discard; (a') the ingest
 * ceiling, ingest → the event tables; (b) Vigil's full topology with every default rule and
 * sequence rule, the curated Iceberg tables (hadoop catalog in a temporary directory) and alerts
 * to a file, and without the tables; (c) the Flink SQL peer, the default rules as Flink SQL, with
 * the same event tables written by Iceberg INSERTs, and without them. Prints events/s (input
 * records over the job's runtime, input generation excluded) and the ratios, like for like.
 */
public final class JobThroughput {
    /** Every job, in the default order. */
    static final List<String> JOBS = List.of("ceiling", "ingest", "vigil-no-tables", "vigil", "sql-no-tables", "sql",
            "vigil-rocksdb");
    /** A run whose name ends so keeps its state in RocksDB (as Managed Flink does) instead of the heap. */
    private static final String ROCKSDB = "-rocksdb";
    /** Records each job warms up on by default: enough for the JIT, before any measured run. */
    private static final long DEFAULT_WARMUP = 500_000;

    private final PrintStream out;

    private JobThroughput(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        LocalRun.main(args, new Cli());
    }

    @Command(name = "io.vigil.bench.JobThroughput",
            customSynopsis = "java -cp bench/target/benchmarks.jar io.vigil.bench.JobThroughput [options]")
    static final class Cli implements LocalRun.Command {
        @Option(names = "--events", paramLabel = "N", converter = Options.Count.class,
                description = "input records per run (default 2M; 2000000, 2M and 500k are counts)")
        long events = 2_000_000;

        @Option(names = "--parallelism", paramLabel = "N", converter = Options.Count.class, description = "of every job (default 2)")
        long parallelism = 2;

        @Option(names = "--runs", paramLabel = "LIST", hideParamSyntax = true, split = ",", description = {
            "which jobs, in order, of ceiling, ingest, vigil-no-tables, vigil, sql-no-tables,",
            "sql, vigil-rocksdb (vigil with RocksDB state; default: all, in that order)"})
        List<String> runs = JOBS;

        @Option(names = "--warmup", paramLabel = "N", converter = Options.Count.class, description = {
            "records of an unreported run of every job first, to warm the JVM (default: as",
            "many as --events, at most 500k, so every job is measured warm; 0: none)"})
        Long warmup;

        @Option(names = "--pass", paramLabel = "DURATION", converter = Options.Millis.class, description = {
            "event time one pass of the pre-generated input covers (default 60m,",
            "or less for a small --events); the input is replayed pass after pass"})
        Long passMs;

        @Option(names = "--repeat", paramLabel = "N", converter = Options.Count.class, description = {
            "rounds of the runs, interleaved (every job once per round); the summary gives each",
            "job's median round and the median of the rounds' ratios (default 1)"})
        long repeat = 1;

        @Option(names = "--checkpoint-interval", paramLabel = "D", converter = Options.Millis.class,
                description = "checkpoints, and so table commits (default 10s)")
        long checkpointMs = 10_000;

        @Mixin Options.Shared output;

        @Override
        public void run() throws Exception {
            if (events == 0 || parallelism == 0 || repeat == 0) {
                throw new Options.Invalid("--events, --parallelism and --repeat must be at least 1");
            }
            for (String r : runs) {
                if (!JOBS.contains(r)) {
                    throw new Options.Invalid("--runs: unknown job '" + r + "'");
                }
            }
            long pass = passMs != null ? passMs : TelemetryMix.passFor(events);
            Path dir = output.dir("vigil-bench-");
            new JobThroughput(System.out).run(events, (int) parallelism, runs, (int) repeat,
                    warmup != null ? warmup : Math.min(events, DEFAULT_WARMUP), pass, checkpointMs, dir);
            output.cleanUp(dir);
        }
    }

    private void run(long events, int parallelism, List<String> runs, int repeat, long warmup, long passMs,
            long checkpointMs, Path dir) throws Exception {
        long t0 = System.nanoTime();
        MemoryInput input = TelemetryMix.pass(passMs);
        long passes = (events + input.size() - 1) / input.size();
        long shift = input.shiftEndingBefore(events, System.currentTimeMillis()); // the same input for every run
        out.printf("input: %s; generated in %.1f s%n", input.describe(), (System.nanoTime() - t0) / 1e9);
        out.printf("each run: %,d records (%d pass%s), parallelism %d, checkpoints every %d s; outputs in %s%n%n",
                events, passes, passes == 1 ? "" : "es", parallelism, checkpointMs / 1000, dir);
        EventTimePolicy eventTime = EventTimePolicy.replay(EventTimePolicy.DEFAULT_OUT_OF_ORDERNESS);

        if (warmup > 0) {
            // every job warms up: the JIT compiles each job's own code before its measured run, so a
            // job is not slowed for coming first (or sped up for coming after a similar one)
            long w = Math.min(warmup, events);
            double seconds = 0;
            for (String name : runs) {
                seconds += execute(name, input, w, shift, parallelism, checkpointMs, eventTime,
                        dir.resolve("warmup").resolve(name)).runtimeMs() / 1000.0;
            }
            out.printf("warm-up: %,d records through each job in %.1f s (not reported)%n", w, seconds);
        }
        // Rounds interleave the jobs, so a spell of load on the shared machine falls on every job
        // alike, and the medians leave out one unlucky round.
        Map<String, List<Double>> rounds = new LinkedHashMap<>();
        Map<String, List<Double>> cpuRounds = new LinkedHashMap<>();
        for (int round = 1; round <= repeat; round++) {
            if (repeat > 1) {
                out.printf("round %d of %d%n", round, repeat);
            }
            for (String name : runs) {
                Path runDir = dir.resolve(name);
                LocalRun r = execute(name, input, events, shift, parallelism, checkpointMs, eventTime, runDir);
                double rate = events * 1000.0 / r.runtimeMs();
                double perCpuSecond = events * 1000.0 / Math.max(1, r.cpuMs());
                rounds.computeIfAbsent(name, n -> new ArrayList<>()).add(rate);
                cpuRounds.computeIfAbsent(name, n -> new ArrayList<>()).add(perCpuSecond);
                out.printf("%-16s %,12.0f events/s   %,d records in %.1f s (%.1f s with cluster start-up); %,.0f events per CPU-second%n",
                        name, rate, events, r.runtimeMs() / 1000.0, r.wallMs() / 1000.0, perCpuSecond);
                details(name, runDir, warehouse(name, runDir), r);
            }
        }
        out.println();
        if (repeat > 1) {
            out.printf("medians of %d rounds (each ratio: the median of the rounds' ratios):%n", repeat);
        }
        summary(rounds);
        cpuSummary(cpuRounds);
    }

    /** The middle value (the mean of the two middle ones for an even count). */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Runs one job over {@code events} records of the input into {@code runDir}. */
    private static LocalRun execute(String name, MemoryInput input, long events, long shift, int parallelism,
            long checkpointMs, EventTimePolicy eventTime, Path runDir) throws Exception {
        CountingSink.clear();
        LocalRun.delete(runDir); // the file sinks append: a rerun into the same --out starts afresh
        Files.createDirectories(runDir);
        Configuration backend = new Configuration();
        if (name.endsWith(ROCKSDB)) {
            backend.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
            // as Managed Flink runs it: incremental checkpoints, and a KPU's share of managed memory
            // for RocksDB's block cache and memtables (the MiniCluster's default, 128 MB for every
            // instance, makes memtables flush constantly)
            backend.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            backend.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("1g"));
        }
        LocalRun r = new LocalRun(parallelism, runDir.resolve("checkpoints"), checkpointMs, backend);
        ReplaySource source = ReplaySource.replay(input, events, shift);
        IcebergCatalogConfig warehouse = warehouse(name, runDir);
        switch (name.endsWith(ROCKSDB) ? name.substring(0, name.length() - ROCKSDB.length()) : name) {
            case "ceiling":
                Pipelines.ceiling(r.env(), source, eventTime);
                break;
            case "ingest":
                Pipelines.ingest(r.env(), source, eventTime, warehouse);
                break;
            case "vigil":
            case "vigil-no-tables":
                Pipelines.vigil(r.env(), source, eventTime, runDir,
                        LineFileSink.appending(runDir.resolve("alerts.jsonl"), new AlertJson()), warehouse);
                break;
            default:
                Pipelines.sqlPeer(r.env(), source, eventTime, warehouse);
                break;
        }
        r.execute("bench " + name);
        return r;
    }

    /** The run's Iceberg warehouse, or null for a job that writes no tables. */
    private static IcebergCatalogConfig warehouse(String name, Path runDir) {
        return name.equals("ceiling") || name.endsWith("-no-tables")
                ? null : IcebergCatalogConfig.hadoop(runDir.resolve("warehouse").toString());
    }

    /** What a run produced, so a figure from a job that did not do its work stands out. */
    private void details(String name, Path runDir, IcebergCatalogConfig warehouse, LocalRun r) throws IOException {
        if (name.equals("ceiling")) {
            out.printf("                 %,d envelopes parsed%n", CountingSink.count(Pipelines.PARSED));
        } else if (name.startsWith("vigil")) {
            Map<String, Long> alerts = alertsByRule(runDir.resolve("alerts.jsonl"));
            long deadLetters = lines(runDir.resolve("dead-letter.jsonl"));
            out.printf("                 %,d alert events, %,d dead letters%n", alerts.values().stream().mapToLong(Long::longValue).sum(),
                    deadLetters);
            out.printf("                 alert events by rule: %s%n", alerts);
        } else if (name.startsWith("sql")) {
            out.printf("                 result rows by rule: %s%n", CountingSink.counts(SqlPeer.COUNTED));
        }
        if (warehouse != null) {
            long rows = 0;
            long commits = 0;
            Map<String, Long> events = new LinkedHashMap<>();
            for (Map.Entry<CuratedTable, TableCommits.Tally> t
                    : TableCommits.byJob(warehouse, r.result().getJobID().toString()).entrySet()) {
                rows += t.getValue().rows;
                commits = Math.max(commits, t.getValue().commits);
                if (EventTables.ALL.contains(t.getKey())) {
                    events.put(t.getKey().name(), t.getValue().rows);
                }
            }
            out.printf("                 %,d rows committed to the curated tables (%d commits); event tables: %s%n",
                    rows, commits, events);
        }
    }

    /**
     * The final block. Ratios are like for like: each job against the ceiling, Vigil against the
     * SQL peer that writes the same event tables, Vigil without tables against the SQL peer
     * without them. Over several rounds each figure is the job's median round, and each ratio the
     * median of the rounds' own ratios: the shared machine's speed changes between rounds more
     * than between two runs of one round.
     */
    private void summary(Map<String, List<Double>> rounds) {
        for (String name : rounds.keySet()) {
            StringBuilder line = new StringBuilder(String.format("%-16s %,12.0f events/s", label(name), median(rounds.get(name))));
            List<String> ratios = new ArrayList<>();
            if (rounds.containsKey("ceiling") && !name.equals("ceiling")) {
                ratios.add(String.format("%.2f x ceiling", ratio(rounds, name, "ceiling")));
            }
            String peer = peerOf(name);
            if (rounds.containsKey(peer)) {
                ratios.add(String.format("%s = %.2f x %s", name, ratio(rounds, name, peer), label(peer)));
            }
            String heap = name.endsWith(ROCKSDB) ? name.substring(0, name.length() - ROCKSDB.length()) : null;
            if (heap != null && rounds.containsKey(heap)) {
                ratios.add(String.format("%.2f x heap state", ratio(rounds, name, heap)));
            }
            if (!ratios.isEmpty()) {
                line.append("   (").append(String.join("; ", ratios)).append(")");
            }
            out.println(line);
        }
    }

    /**
     * What each job costs in CPU, the figure a KPU bill follows: events per CPU-second of the whole
     * JVM (the cluster's start and stop included, a second or so of a run), and Vigil's against
     * the peer's, like for like.
     */
    private void cpuSummary(Map<String, List<Double>> rounds) {
        out.println();
        out.println("CPU cost (events per CPU-second of the JVM, cluster start-up included):");
        for (String name : rounds.keySet()) {
            StringBuilder line = new StringBuilder(String.format("%-16s %,12.0f events per CPU-second",
                    label(name), median(rounds.get(name))));
            String peer = peerOf(name);
            if (rounds.containsKey(peer)) {
                line.append(String.format("   (%s = %.2f x %s)", name, ratio(rounds, name, peer), label(peer)));
            }
            out.println(line);
        }
    }

    /** The SQL job a Vigil job is compared with, like for like; null for the others. */
    private static String peerOf(String name) {
        if (!name.startsWith("vigil")) {
            return null;
        }
        return name.equals("vigil-no-tables") ? "sql-no-tables" : "sql";
    }

    private static String label(String name) {
        return name.equals("sql") ? "sql peer" : name;
    }

    /** The median over the rounds of job {@code a}'s rate over job {@code b}'s in the same round. */
    static double ratio(Map<String, List<Double>> rounds, String a, String b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds.get(a).size(); i++) {
            ratios.add(rounds.get(a).get(i) / rounds.get(b).get(i));
        }
        return median(ratios);
    }

    private static Map<String, Long> alertsByRule(Path file) throws IOException {
        Map<String, Long> byRule = new TreeMap<>();
        if (!Files.exists(file)) {
            return byRule;
        }
        ObjectMapper json = new ObjectMapper();
        try (Stream<String> lines = Files.lines(file)) {
            for (String line : (Iterable<String>) lines::iterator) {
                byRule.merge(json.readTree(line).path("rule_id").asText(), 1L, Long::sum);
            }
        }
        return byRule;
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }
}
