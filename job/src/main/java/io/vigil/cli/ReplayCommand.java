package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.VigilTopology;
import io.vigil.config.Durations;
import io.vigil.config.VigilConfig;
import io.vigil.delivery.AlertDelivery;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.IcebergTables;
import io.vigil.iceberg.TableCommits;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.parse.EventTimePolicy;
import io.vigil.report.ReplayReport;
import io.vigil.rules.Control;
import io.vigil.rules.ControlLines;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RuleSetException;
import io.vigil.rules.Silence;
import io.vigil.rules.RulesFile;
import io.vigil.sink.AlertJson;
import io.vigil.sink.AlertOrder;
import io.vigil.sink.DeadLetterJson;
import io.vigil.sink.LineFileSink;
import io.vigil.sink.SummaryFileSink;
import io.vigil.source.FileInputs;
import io.vigil.source.InputSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil replay}: reads recorded files through the same pipeline as the live job, bounded
 * and in event time, and writes its outputs under {@code --out}. The same input gives the same
 * output. Later outputs (alerts, tables) hang off the same topology.
 */
@Command(name = "replay", header = "replay recorded input files through the pipeline, deterministically",
        mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        customSynopsis = "vigil replay --input NAME=FORMAT:PATH [--input ...] --out DIR [options]",
        description = "Replays recorded files, in event time, through Vigil's pipeline.")
public final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--input", paramLabel = "NAME=FORMAT:PATH", description = {
        "an input: NAME names the source (it appears in dead letters and source-level alerts);",
        "PATH is a file, or a directory whose files are read in name order (repeatable)"})
    List<String> inputArgs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "output directory; gets alerts.jsonl, dead-letter.jsonl and summary.json")
    Path outDir;

    @Option(names = "--out-of-orderness", paramLabel = "DUR", converter = DurationConverter.class,
            description = "event-time bound of every input (default 30s)")
    Duration ooo = EventTimePolicy.DEFAULT_OUT_OF_ORDERNESS;

    @Option(names = "--parallelism", paramLabel = "N", description = "parallelism of the shared operators (default 2)")
    int parallelism = 2;

    @Option(names = "--rules", paramLabel = "FILE", description = "rules to judge the inputs by (default conf/rules.yaml of this Vigil); repeat it to judge by several files (e.g. rule packs) as one rule set")
    List<Path> rulesArg = new ArrayList<>();

    @Option(names = "--silences", paramLabel = "FILE", description = {
        "silences, one control line each:", "{\"silence\": {\"id\", \"matchers\", \"starts_at\", \"ends_at\"}}"})
    Path silencesFile;

    @Option(names = "--warehouse", paramLabel = "DIR", description = {"local Iceberg warehouse the curated tables are appended to",
        "(default " + IcebergCatalogConfig.DEFAULT_WAREHOUSE + "; namespace vigil)"})
    String warehouseArg = IcebergCatalogConfig.DEFAULT_WAREHOUSE;

    @Option(names = "--no-tables", description = "write no Iceberg tables")
    boolean noTables;

    @Option(names = "--commit-interval", paramLabel = "DUR", description = {
        "checkpoint, and so table commit, interval (default 30s); the rest is committed at the end of the input"})
    String commitIntervalArg = "30s";

    @Option(names = "--report", paramLabel = "FILE", description = "also write an HTML report of the replay to FILE (docs/report.md)")
    Path report;

    @Option(names = "--progress", paramLabel = "DUR", converter = DurationConverter.class,
            description = "how often the progress line goes to stderr (default 5s; 0s: never)")
    Duration progressEvery = Duration.ofSeconds(5);

    private final PrintStream out;
    private final PrintStream err;

    /** The help's footer: the formats come from {@link InputFormat}, which no annotation can name. */
    static String[] footer() {
        return new String[] {"",
            "FORMAT is one of " + InputFormat.ids() + ".",
            "",
            "Outputs:",
            "  DIR/alerts.jsonl       one alert event per state change, in event-time order",
            "  DIR/dead-letter.jsonl  one JSON object per refused record: source, reason, detail, payload",
            "  DIR/summary.json       per source: read, valid, invalid by reason, late",
            "  WAREHOUSE/vigil/*      the curated Iceberg tables (appended: replaying the same files",
            "                         twice into one warehouse holds their rows twice)",
            "",
            "Progress (records read, share of the input bytes, records/s) goes to stderr every few seconds.",
            "",
            "Exit codes: 0 replayed; 1 the replay failed, or the rules have errors; 2 usage (a bad option,",
            "an input or file that does not exist)."};
    }

    public ReplayCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (String v : inputArgs) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--input takes NAME=FORMAT:PATH, got '" + v + "'");
            }
            String name = v.substring(0, eq);
            if (inputs.put(name, v.substring(eq + 1)) != null) {
                throw new UsageException("input name '" + name + "' given twice");
            }
        }
        Duration commitInterval;
        try {
            commitInterval = VigilConfig.positiveDuration(commitIntervalArg);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--commit-interval: " + e.getMessage());
        }
        if (parallelism < 1) {
            throw new UsageException("--parallelism takes a whole number of at least 1");
        }
        Path rulesFile = rulesArg.isEmpty() ? defaultRules() : null;
        for (Path f : rulesArg) {
            if (!Files.isRegularFile(f)) {
                throw new UsageException("--rules: no such file " + f);
            }
        }
        if (silencesFile != null && !Files.isRegularFile(silencesFile)) {
            throw new UsageException("--silences: no such file " + silencesFile);
        }
        String warehouse = noTables ? null : warehouseArg;
        if (inputs.isEmpty()) {
            throw new UsageException("at least one --input is required");
        }
        if (outDir == null) {
            throw new UsageException("--out is required");
        }
        List<InputSpec> specs = new ArrayList<>();
        for (Map.Entry<String, String> in : inputs.entrySet()) {
            specs.add(spec(in.getKey(), in.getValue(), ooo));
        }
        Path dir = outDir;
        Files.createDirectories(dir);
        RuleSet rules = !rulesArg.isEmpty() ? RulesFile.loadAll(rulesArg)
                : rulesFile == null ? RulesFile.bundled() : RulesFile.load(rulesFile);

        IcebergCatalogConfig tables;
        try {
            tables = warehouse == null ? null : IcebergCatalogConfig.hadoop(warehouse);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--warehouse: " + e.getMessage());
        }
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failed replay is re-run, not retried
        IcebergTables.forBoundedInputs(conf);
        ReplayProgress progress = null;
        if (!progressEvery.isZero()) {
            progress = new ReplayProgress(err, ReplayProgress.InputSize.of(inputPaths(inputs)), progressEvery);
            progress.configure(conf);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING); // the live job's semantics, on bounded input
        if (tables != null) {
            // writers close their files at each checkpoint: bounded memory on long replays
            env.enableCheckpointing(commitInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        // silences are read up front: applied from the first record, the replay stays deterministic
        VigilTopology.Streams streams = build(env, specs, dir, rules,
                silencesFile == null ? new Silence[0] : silences(silencesFile),
                tables == null ? null : IcebergTables.in(tables));
        if (report != null) {
            ReplayReport.attach(streams, dir);
        }
        long t0 = System.nanoTime();
        JobExecutionResult result;
        if (progress != null) {
            progress.start();
        }
        try {
            result = env.execute("vigil replay");
        } finally {
            if (progress != null) {
                progress.stop();
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        printSummary(dir, ms);
        if (tables != null) {
            printTables(tables, result.getJobID().toString(), ms);
        }
        if (report != null) {
            ReplayReport.of(dir, rules).write(report);
            out.printf("wrote the report %s%n", report);
        }
        return VigilCli.OK;
    }

    /** The files the inputs read (each NAME=FORMAT:PATH already checked by {@link #spec}). */
    private static List<Path> inputPaths(Map<String, String> inputs) {
        List<Path> files = new ArrayList<>();
        for (String formatAndPath : inputs.values()) {
            files.addAll(FileInputs.files(Paths.get(formatAndPath.substring(formatAndPath.indexOf(':') + 1))));
        }
        return files;
    }

    /** Where the shipped rules are: bin/vigil sets vigil.home to the checkout. */
    static Path defaultRules() {
        Path p = Paths.get(System.getProperty("vigil.home", "."), "conf", "rules.yaml");
        return Files.isRegularFile(p) ? p : null; // null: the rules bundled in the jar
    }

    /** The replay topology: the inputs judged by {@code rules}; alerts, dead letters and summary under {@code dir}. */
    public static VigilTopology.Streams build(StreamExecutionEnvironment env, List<InputSpec> inputs, Path dir,
            RuleSet rules) {
        return build(env, inputs, dir, rules, new Silence[0], null);
    }

    /** Silences from a file of control lines; any line that is not a valid silence is an error. */
    static Silence[] silences(Path file) throws IOException, RuleSetException {
        List<Silence> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            Control c = ControlLines.parse(line);
            if (c.silence == null) {
                throw new RuleSetException(file.toString(), List.of("only silences belong here; give rules with --rules"));
            }
            out.add(c.silence);
        }
        return out.toArray(new Silence[0]);
    }

    /**
     * The replay topology with silences in force from the start, and the curated tables when
     * {@code tables} is not null (committed once, at the end of the input, unless the environment
     * checkpoints).
     */
    public static VigilTopology.Streams build(StreamExecutionEnvironment env, List<InputSpec> inputs, Path dir,
            RuleSet rules, Silence[] silences, IcebergTables tables) {
        return build(env, inputs, dir, rules, silences, tables, null);
    }

    /** As above, also delivering alert state changes with {@code delivery} if given (tests; replay never delivers). */
    public static VigilTopology.Streams build(StreamExecutionEnvironment env, List<InputSpec> inputs, Path dir,
            RuleSet rules, Silence[] silences, IcebergTables tables, AlertDelivery delivery) {
        VigilTopology t = VigilTopology.on(env).tables(tables);
        if (delivery != null) {
            t.delivery(delivery, null); // with tables, every attempt is recorded in alert_deliveries
        }
        List<String> names = new ArrayList<>();
        for (InputSpec in : inputs) {
            t.input(in);
            names.add(in.name());
        }
        return t.deadLetters(LineFileSink.grouped(dir.resolve("dead-letter.jsonl"), new DeadLetterJson(),
                        (Envelope e) -> e.source))
                .summary(new SummaryFileSink(dir.resolve("summary.json"), names))
                .rules(rules, true)
                .silences(silences)
                .alerts(LineFileSink.sorted(dir.resolve("alerts.jsonl"), new AlertJson(), new AlertOrder()))
                .build();
    }

    /** A replay input from {@code FORMAT:PATH}; each file is read by one reader, in order. */
    public static InputSpec spec(String name, String formatAndPath, Duration outOfOrderness) throws UsageException {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new UsageException("input name '" + name + "': use letters, digits, _ and -");
        }
        int colon = formatAndPath.indexOf(':');
        if (colon <= 0) {
            throw new UsageException("--input " + name + ": expected FORMAT:PATH, got '" + formatAndPath + "'");
        }
        InputFormat format;
        try {
            format = InputFormat.fromId(formatAndPath.substring(0, colon));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--input " + name + ": " + e.getMessage());
        }
        Path path = Paths.get(formatAndPath.substring(colon + 1));
        if (!Files.exists(path)) {
            throw new UsageException("--input " + name + ": no such file or directory: " + path);
        }
        try {
            return new InputSpec(name, format, FileInputs.lines(name, format, path),
                    EventTimePolicy.replay(outOfOrderness), 1);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--input " + name + ": " + e.getMessage());
        }
    }

    private void printSummary(Path dir, long ms) throws Exception {
        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        out.printf("%-20s %10s %10s %10s %8s%n", "source", "read", "valid", "invalid", "late");
        Iterator<Map.Entry<String, JsonNode>> it = s.get("sources").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            row(e.getKey(), e.getValue());
        }
        row("total", s.get("total"));
        long alerts = Files.lines(dir.resolve("alerts.jsonl")).count();
        out.printf("%d alert events in %s%n", alerts, dir.resolve("alerts.jsonl"));
        out.printf("replayed in %.1f s; wrote %s and %s%n", ms / 1000.0,
                dir.resolve("dead-letter.jsonl"), dir.resolve("summary.json"));
    }

    /** Rows, data files and commits this replay added to each table, read from the snapshots. */
    private void printTables(IcebergCatalogConfig tables, String jobId, long ms) {
        long rows = 0;
        long files = 0;
        out.printf("%-20s %10s %8s %8s%n", "table", "rows", "files", "commits");
        for (Map.Entry<CuratedTable, TableCommits.Tally> e : TableCommits.byJob(tables, jobId).entrySet()) {
            TableCommits.Tally t = e.getValue();
            out.printf("%-20s %10d %8d %8d%n", e.getKey().name(), t.rows, t.dataFiles, t.commits);
            rows += t.rows;
            files += t.dataFiles;
        }
        out.printf("appended %d rows in %d data files to %s (%.0f rows/s over the whole replay)%n", rows, files,
                tables, rows * 1000.0 / Math.max(ms, 1));
    }

    private void row(String name, JsonNode t) {
        out.printf("%-20s %10d %10d %10d %8d%n", name, t.get("read").asLong(), t.get("valid").asLong(),
                t.get("invalid").asLong(), t.get("late").asLong());
    }
}
