package io.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;

/**
 * The progress line {@code vigil replay} prints on stderr every few seconds: records read so far
 * (the parse operators' counters, through the {@link StatusBoard}), the share of the input that
 * is, and records per second since the last line.
 */
final class ReplayProgress {
    private final PrintStream err;
    private final InputSize input;
    private final long everyMs;
    private final long baseline;
    private Thread thread;
    private volatile boolean running;

    ReplayProgress(PrintStream err, InputSize input, Duration every) {
        this.err = err;
        this.input = input;
        this.everyMs = every.toMillis();
        this.baseline = recordsRead(); // a JVM that replayed before still holds counters until they close
    }

    /** Lets the local cluster feed its per-source counters to the {@link StatusBoard}. */
    void configure(Configuration conf) {
        conf.setString("metrics.reporter.vigil-status.factory.class", StatusReporterFactory.class.getName());
        conf.set(MetricOptions.REPORTER_INTERVAL, Duration.ofSeconds(1));
    }

    void start() {
        running = true;
        thread = new Thread(this::loop, "vigil-replay-progress");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(1000);
    }

    private void loop() {
        long started = System.nanoTime();
        long lastAt = started;
        long lastRead = 0;
        while (running) {
            try {
                Thread.sleep(everyMs);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long read = Math.max(0, recordsRead() - baseline);
            err.println(line(read, read - lastRead, (now - lastAt) / 1e9, (now - started) / 1e9, input));
            err.flush();
            lastAt = now;
            lastRead = read;
        }
    }

    private static long recordsRead() {
        long sum = 0;
        for (Map<String, Long> source : StatusBoard.snapshot().values()) {
            sum += source.getOrDefault(StatusBoard.READ, 0L);
        }
        return sum;
    }

    /** {@code replay: 12.0 s, 812,000 records read (~54% of 310.2 MB), 41,200 records/s}. */
    static String line(long read, long readSinceLast, double secondsSinceLast, double secondsInAll, InputSize input) {
        String share = input.records() <= 0 ? ""
                : String.format(Locale.ROOT, " (~%d%% of %s)", Math.min(99, Math.round(100.0 * read / input.records())),
                        megabytes(input.bytes));
        return String.format(Locale.ROOT, "replay: %.0f s, %,d records read%s, %,d records/s", secondsInAll, read, share,
                Math.round(readSinceLast / Math.max(secondsSinceLast, 0.001)));
    }

    private static String megabytes(long bytes) {
        return bytes < 1_000_000 ? String.format(Locale.ROOT, "%,d bytes", bytes)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /**
     * The input's size in bytes and, estimated from the line lengths at the start of each file,
     * in records: the counters count records, and reading the files twice to count exactly would
     * cost as much as a good part of the replay.
     */
    static final class InputSize {
        private static final int SAMPLE = 1 << 20;
        final long bytes;
        private final double records;

        InputSize(long bytes, double records) {
            this.bytes = bytes;
            this.records = records;
        }

        double records() {
            return records;
        }

        static InputSize of(List<Path> files) throws IOException {
            long bytes = 0;
            double records = 0;
            byte[] buf = new byte[SAMPLE];
            for (Path f : files) {
                long size = Files.size(f);
                bytes += size;
                int n = 0;
                try (InputStream in = Files.newInputStream(f)) {
                    for (int r; n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0; ) {
                        n += r;
                    }
                }
                long lines = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
                if (n > 0 && buf[n - 1] != '\n' && n == size) {
                    lines++; // a last line without its terminator is a record too
                }
                records += lines == 0 ? (size > 0 ? 1 : 0) : size * ((double) lines / n);
            }
            return new InputSize(bytes, records);
        }
    }
}
