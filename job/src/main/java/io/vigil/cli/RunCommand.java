package io.vigil.cli;

import io.vigil.VigilJob;
import io.vigil.config.PropertyGroups;
import io.vigil.config.VigilConfig;
import io.vigil.sink.ConsoleAlertSink;
import io.vigil.rules.RulesFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil run}: the embedded default. Runs the live job on a local MiniCluster with the Flink
 * web UI, reading the configured inputs (by default the built-in generator), and prints a status
 * line every few seconds until Ctrl-C, which cancels the job and stops the cluster cleanly.
 */
@Command(name = "run", header = "run continuously on a local Flink MiniCluster (web UI on localhost:8081)",
        mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        customSynopsis = "vigil run [--config FILE] [--for DURATION] [--dry-run]",
        description = {
            "Runs Vigil continuously on a local Flink MiniCluster, web UI on localhost (port from the",
            "config, default 8081). Prints events/s, invalid and late per source every few seconds.",
            "Ctrl-C stops it cleanly. The rules are the config's vigil.rules.file, or else conf/rules.yaml",
            "of this Vigil, read from disk at start-up."},
        footer = {"", "Exit codes: 0 stopped cleanly; 1 the job failed, or its rules have errors; 2 usage or an invalid config."})
public final class RunCommand implements Callable<Integer> {
    static final String DEFAULT_CONFIG = "conf/local.yaml";

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Option(names = "--config", paramLabel = "FILE",
            description = "property groups as YAML or Managed Flink JSON (default " + DEFAULT_CONFIG + " of this Vigil)")
    Path configFile;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "stop by itself after this long, e.g. 30s (default: run until Ctrl-C)")
    Duration runFor;

    @Option(names = "--dry-run", description = {"validate the configuration (a cloud one too) and print the dataflow it",
        "would run, without connecting to anything"})
    boolean dryRun;

    private final PrintStream out;

    public RunCommand(PrintStream out) {
        this.out = out;
    }

    /** Where the shipped config is: bin/vigil sets vigil.home to the checkout, so any directory works. */
    static Path defaultConfig() {
        return Paths.get(System.getProperty("vigil.home", "."), DEFAULT_CONFIG);
    }

    @Override
    public Integer call() throws Exception {
        Path file = configFile != null ? configFile : defaultConfig();
        long forMs = runFor == null ? Long.MAX_VALUE : runFor.toMillis();
        VigilConfig config = VigilConfig.from(PropertyGroups.fromFile(file));
        if (dryRun) {
            DryRun.print(config, file.toString(), out);
            return VigilCli.OK;
        }
        if (config.rulesFile == null && config.packs.isEmpty() && ReplayCommand.defaultRules() != null) {
            // the file people edit, not the copy the jar was built with
            config = config.withRulesFile(ReplayCommand.defaultRules().toString());
        }
        if (!VigilJob.ruleFiles(config).isEmpty()) {
            RulesFile.loadAll(VigilJob.ruleFiles(config)); // errors: exit 1, as 'vigil rules check' says
        }
        // a laptop's MiniCluster: two subtasks and 10 s checkpoints unless the file says otherwise
        config = config.withDefaults(2, java.time.Duration.ofSeconds(10));

        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1"); // the web UI is for this machine only
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, config.webPort);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "3");
        conf.setString("metrics.reporter.vigil-status.factory.class", StatusReporterFactory.class.getName());
        conf.set(MetricOptions.REPORTER_INTERVAL, java.time.Duration.ofSeconds(1));
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, config.parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        VigilJob.configure(env, config);
        VigilJob.live(env, config).alerts
                .sinkTo(new ConsoleAlertSink(Terminal.colour()))
                .name("console alerts")
                .uid("console-alerts")
                .setParallelism(1);

        // started before the job: what it acknowledges waits in the spool until the job reads it
        io.vigil.receiver.HttpReceiver receiver = config.receiver == null ? null
                : io.vigil.receiver.HttpReceiver.start(config.receiver);
        if (receiver != null) {
            out.println("vigil: receiver on http://" + config.receiver.bind + ":" + receiver.port()
                    + io.vigil.receiver.HttpReceiver.LINEAGE_PATH + (config.receiver.githubSecret == null ? ""
                            : " and " + io.vigil.receiver.HttpReceiver.GITHUB_PATH) + ", spool " + config.receiver.spoolDir);
        }
        JobClient job;
        try {
            job = env.executeAsync("vigil");
        } catch (Exception e) {
            if (receiver != null) {
                receiver.close();
            }
            throw e;
        }
        out.println("vigil: running " + config.inputs.size() + " inputs judged by "
                + (config.rulesFile == null && config.packs.isEmpty() ? "the rules bundled in the jar"
                        : VigilJob.ruleFiles(config).toString()) + "; Flink web UI on http://localhost:"
                + config.webPort + "; dead letters in " + Paths.get(config.outputDir, "dead-letter.jsonl")
                + (config.tables == null ? "" : "; tables in " + config.tables) + "; Ctrl-C to stop");
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            try {
                stopping.set(true); // the tasks close and their counters with them: no more status lines
                out.println("vigil: stopping (Ctrl-C)");
                job.cancel().get(30, TimeUnit.SECONDS);
                stopped.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the JVM is exiting anyway; nothing left to clean
            }
        }, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        long interval = config.statusInterval.toMillis();
        long deadline = forMs == Long.MAX_VALUE ? Long.MAX_VALUE : System.currentTimeMillis() + forMs;
        Map<String, Long> lastRead = new HashMap<>();
        long lastAt = System.nanoTime();
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        int exit = 0;
        try {
            while (!result.isDone()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    out.println("vigil: stopping");
                    job.cancel().get(30, TimeUnit.SECONDS);
                    break;
                }
                try {
                    result.get(Math.min(interval, left), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (stopping.get()) {
                        continue;
                    }
                    long now = System.nanoTime();
                    out.println(statusLine(StatusBoard.snapshot(), lastRead, (now - lastAt) / 1e9));
                    lastAt = now;
                } catch (ExecutionException e) {
                    break; // reported below
                }
            }
            try {
                result.get(60, TimeUnit.SECONDS);
                out.println("vigil: job finished");
            } catch (ExecutionException e) {
                if (isCancellation(e)) {
                    out.println("vigil: stopped cleanly");
                } else {
                    out.println("vigil: job failed: " + e.getCause());
                    exit = 1;
                }
            }
        } finally {
            if (receiver != null) {
                receiver.close(); // the open spool file is closed: the next run reads it
            }
            stopped.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        return exit;
    }

    private static boolean isCancellation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JobCancellationException || t instanceof java.util.concurrent.CancellationException) {
                return true;
            }
        }
        return false;
    }

    static String statusLine(Map<String, Map<String, Long>> board, Map<String, Long> lastRead, double seconds) {
        StringBuilder sb = new StringBuilder(LocalTime.now().format(CLOCK));
        long totalRate = 0;
        long invalid = 0;
        long late = 0;
        long read = 0;
        for (Map.Entry<String, Map<String, Long>> e : board.entrySet()) {
            long r = e.getValue().getOrDefault(StatusBoard.READ, 0L);
            long inv = e.getValue().getOrDefault(StatusBoard.INVALID, 0L);
            long lt = e.getValue().getOrDefault(StatusBoard.LATE, 0L);
            long before = lastRead.getOrDefault(e.getKey(), 0L);
            // a task restarted from a checkpoint counts again from zero: what it read since is all new
            long rate = Math.round((r >= before ? r - before : r) / Math.max(seconds, 0.001));
            lastRead.put(e.getKey(), r);
            sb.append(String.format("  %s %d/s inv %d late %d", e.getKey(), rate, inv, lt));
            totalRate += rate;
            read += r;
            invalid += inv;
            late += lt;
        }
        sb.append(String.format("  | total %d/s, %d read, %d invalid (%.2f%%), %d late",
                totalRate, read, invalid, read == 0 ? 0.0 : 100.0 * invalid / read, late));
        return sb.toString();
    }
}
