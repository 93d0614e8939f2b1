package io.vigil.bench;

import io.vigil.iceberg.IcebergTables;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

/** One job of the harness on its own local MiniCluster in this JVM, and how long it ran. */
final class LocalRun {
    private final StreamExecutionEnvironment env;
    private long wallMs;
    private long cpuMs;
    private JobExecutionResult result;

    /**
     * @param checkpoints where checkpoints go (on the filesystem, as in the cloud: the default
     *     JobManager storage refuses states over 5 MB)
     * @param checkpointMs checkpoint (and so table commit) interval
     * @param conf further settings (a metric reporter); may be empty
     */
    LocalRun(int parallelism, Path checkpoints, long checkpointMs, Configuration conf) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failed measurement is re-run, not retried
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        IcebergTables.forBoundedInputs(conf); // every run's inputs end
        env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        env.enableCheckpointing(checkpointMs, CheckpointingMode.EXACTLY_ONCE);
    }

    /**
     * Points log4j at the harness's configuration (Flink's warnings to a file, errors also to the
     * console). Call first thing in main: the operator test-jars on the classpath bring Flink's
     * log4j2-test.properties, which log4j would otherwise prefer, and which silences everything.
     */
    private static void configureLogging() {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:log4j2-bench.properties");
        }
        System.out.println("Flink's log: " + System.getProperty("vigil.bench.log",
                Paths.get(System.getProperty("java.io.tmpdir"), "vigil-bench.log").toString()));
    }

    /** A harness command's body; picocli fills in its options first. */
    interface Command {
        void run() throws Exception;
    }

    /**
     * A harness command's main: sets up logging, reads {@code args} into {@code command}'s options
     * ({@code --help} prints them), runs it and ends the JVM with its outcome (0, 2 for a usage
     * error, 1 for a failure): the MiniCluster, Iceberg and Hadoop leave non-daemon threads behind,
     * which would keep a failed run's JVM up after main has ended.
     */
    static void main(String[] args, Command command) {
        configureLogging();
        if (!Object.class.getModule().isOpen("java.util", LocalRun.class.getModule())) {
            // otherwise the jobs fail at their first checkpoint, deep in a serializer
            System.err.println("Flink needs the JDK's internals opened: run java with the --add-opens options of bench/README.md");
            System.exit(2);
        }
        System.out.flush();
        System.exit(run(args, command));
    }

    /** What {@link #main} does short of ending the JVM: the exit code. */
    static int run(String[] args, Command command) {
        CommandLine cl = new CommandLine(command);
        cl.setUsageHelpWidth(120);
        int status = 0;
        try {
            cl.parseArgs(args);
            if (cl.isUsageHelpRequested()) {
                cl.usage(System.out, CommandLine.Help.Ansi.OFF);
            } else {
                command.run();
            }
        } catch (CommandLine.ParameterException | Options.Invalid e) {
            System.err.println(e.getMessage());
            cl.usage(System.err, CommandLine.Help.Ansi.OFF);
            status = 2;
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        return status;
    }

    StreamExecutionEnvironment env() {
        return env;
    }

    /** Runs the job to its end. */
    LocalRun execute(String name) throws Exception {
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        result = env.execute(name);
        wallMs = (System.nanoTime() - t0) / 1_000_000;
        cpuMs = (processCpuNanos() - cpu0) / 1_000_000;
        return this;
    }

    /** This JVM's CPU time: every thread, the cluster's, the JIT's and the collector's. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The CPU time the JVM spent around the execute call (MiniCluster start and stop included):
     * the cost a KPU bill follows. It moves with the machine's speed as the runtime does.
     */
    long cpuMs() {
        return cpuMs;
    }

    JobExecutionResult result() {
        return result;
    }

    /** From the job's start to its end, as the cluster measured it: without the MiniCluster's start-up. */
    long runtimeMs() {
        return result.getNetRuntime();
    }

    /** Around the whole execute call, MiniCluster start and stop included. */
    long wallMs() {
        return wallMs;
    }

    /**
     * Deletes a directory tree (a run's output); missing is fine, and so are files that vanish
     * meanwhile (the cluster may still be discarding old checkpoints).
     */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                try {
                    Files.deleteIfExists(d);
                } catch (DirectoryNotEmptyException raced) {
                    // a file appeared meanwhile: leave the directory
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
