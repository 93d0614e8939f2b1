package io.vigil.sink;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes records as lines to one local file; run it with parallelism 1. Live, lines are appended
 * in arrival order and flushed on every checkpoint (at-least-once across a restart). In replay
 * ({@code groupedBy} set), lines are kept per group (source) and the file is assembled at end of
 * input in group order, so the same input gives the same file whatever the arrival interleaving.
 */
public class LineFileSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final LineEncoder<T> encoder;
    private final SerializableFunction<T, String> groupedBy;
    private final SerializableComparator<T> sortedBy;
    /** Appending only: the file rotates before it would pass this many bytes; 0 for never. */
    private final long maxBytes;
    /** Appending only: rotated files kept ({@code FILE.1} newest .. {@code FILE.N}); older ones are deleted. */
    private final int keepFiles;

    private LineFileSink(Path file, LineEncoder<T> encoder, SerializableFunction<T, String> groupedBy,
            SerializableComparator<T> sortedBy) {
        this(file, encoder, groupedBy, sortedBy, 0, 0);
    }

    private LineFileSink(Path file, LineEncoder<T> encoder, SerializableFunction<T, String> groupedBy,
            SerializableComparator<T> sortedBy, long maxBytes, int keepFiles) {
        this.file = file.toAbsolutePath().toString();
        this.encoder = encoder;
        this.groupedBy = groupedBy;
        this.sortedBy = sortedBy;
        this.maxBytes = maxBytes;
        this.keepFiles = keepFiles;
    }

    /** A comparator that travels with the job graph. */
    public interface SerializableComparator<T> extends java.util.Comparator<T>, java.io.Serializable {}

    /** Appends lines in arrival order (live runs). */
    public static <T> LineFileSink<T> appending(Path file, LineEncoder<T> encoder) {
        return new LineFileSink<>(file, encoder, null, null);
    }

    /**
     * Appends lines in arrival order to a file of at most {@code maxBytes} (a longer single line
     * gets a file of its own): when the next line would pass it, the file is renamed
     * {@code FILE.1} (older ones move up to {@code FILE.keepFiles}; the one beyond is deleted,
     * logged and counted in {@code deadLetterFilesDeleted}) and a new file is begun. So a live
     * job's disk use is bounded by about {@code (keepFiles + 1) × maxBytes}.
     */
    public static <T> LineFileSink<T> rotating(Path file, LineEncoder<T> encoder, long maxBytes, int keepFiles) {
        if (maxBytes < 1 || keepFiles < 0) {
            throw new IllegalArgumentException("rotation needs a positive byte cap and no negative file count");
        }
        return new LineFileSink<>(file, encoder, null, null, maxBytes, keepFiles);
    }

    /** Assembles the file at end of input, grouped and in group order (replay). */
    public static <T> LineFileSink<T> grouped(
            Path file, LineEncoder<T> encoder, SerializableFunction<T, String> groupedBy) {
        return new LineFileSink<>(file, encoder, groupedBy, null);
    }

    /**
     * Writes the file at end of input with all lines in {@code order} (replay of small outputs such
     * as alerts, which must come out in event-time order whatever the arrival order).
     */
    public static <T> LineFileSink<T> sorted(Path file, LineEncoder<T> encoder, SerializableComparator<T> order) {
        return new LineFileSink<>(file, encoder, null, order);
    }

    @Override
    @Deprecated
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return open(context == null ? null : context.metricGroup());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return open(context == null ? null : context.metricGroup());
    }

    private SinkWriter<T> open(org.apache.flink.metrics.MetricGroup metrics) throws IOException {
        Path target = Paths.get(file);
        Files.createDirectories(target.toAbsolutePath().getParent());
        if (sortedBy != null) {
            return new SortedWriter<>(target, encoder, sortedBy);
        }
        if (groupedBy != null) {
            return new GroupedWriter<>(target, encoder, groupedBy);
        }
        org.apache.flink.metrics.Counter deleted = metrics == null ? new org.apache.flink.metrics.SimpleCounter()
                : io.vigil.metrics.VigilMetrics.root(metrics).counter(io.vigil.metrics.VigilMetrics.DEAD_LETTER_FILES_DELETED);
        return new AppendingWriter<>(target, encoder, maxBytes, keepFiles, deleted);
    }

    private static BufferedWriter append(Path p) throws IOException {
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** Appends to the target in arrival order, rotating it at the byte cap when there is one. */
    private static final class AppendingWriter<T> implements SinkWriter<T> {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LineFileSink.class);
        private final Path target;
        private final LineEncoder<T> encoder;
        private final long maxBytes;
        private final int keepFiles;
        private final org.apache.flink.metrics.Counter deleted;
        private BufferedWriter out;
        /** Bytes in the current file, counted as written. */
        private long size;

        AppendingWriter(Path target, LineEncoder<T> encoder, long maxBytes, int keepFiles,
                org.apache.flink.metrics.Counter deleted) throws IOException {
            this.target = target;
            this.encoder = encoder;
            this.maxBytes = maxBytes;
            this.keepFiles = keepFiles;
            this.deleted = deleted;
            this.out = append(target);
            this.size = Files.size(target);
        }

        @Override
        public void write(T element, Context context) throws IOException {
            String line = encode(encoder, element) + System.lineSeparator();
            long bytes = line.getBytes(StandardCharsets.UTF_8).length;
            if (maxBytes > 0 && size > 0 && size + bytes > maxBytes) {
                rotate();
            }
            out.write(line);
            size += bytes;
        }

        /** FILE -> FILE.1 -> ... -> FILE.keepFiles; the one beyond is deleted. */
        private void rotate() throws IOException {
            out.close();
            boolean dropped;
            if (keepFiles == 0) {
                dropped = Files.deleteIfExists(target);
            } else {
                dropped = Files.deleteIfExists(rotated(keepFiles));
                for (int i = keepFiles - 1; i >= 1; i--) {
                    if (Files.exists(rotated(i))) {
                        Files.move(rotated(i), rotated(i + 1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Files.move(target, rotated(1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (dropped) {
                deleted.inc();
                LOG.warn("{} reached {} bytes: its oldest file was deleted (keeping {} rotated)", target, maxBytes, keepFiles);
            }
            out = append(target);
            size = 0;
        }

        private Path rotated(int n) {
            return target.resolveSibling(target.getFileName() + "." + n);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Spools each group to its own part file and concatenates them, sorted, at end of input. */
    private static final class GroupedWriter<T> implements SinkWriter<T> {
        private final Path target;
        private final Path spool;
        private final LineEncoder<T> encoder;
        private final SerializableFunction<T, String> groupedBy;
        /** Sorted by group, which is the order of the assembled file. */
        private final Map<String, Part> parts = new TreeMap<>();

        GroupedWriter(Path target, LineEncoder<T> encoder, SerializableFunction<T, String> groupedBy)
                throws IOException {
            this.target = target;
            this.spool = target.resolveSibling("." + target.getFileName() + ".parts");
            this.encoder = encoder;
            this.groupedBy = groupedBy;
            deleteSpool();
            Files.createDirectories(spool);
            Files.deleteIfExists(target);
        }

        @Override
        public void write(T element, Context context) throws IOException {
            String group = groupedBy.apply(element);
            Part part = parts.get(group);
            if (part == null) {
                part = new Part(spool.resolve("part-" + parts.size()));
                parts.put(group, part);
            }
            part.out.write(encode(encoder, element));
            part.out.newLine();
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            for (Part part : parts.values()) {
                part.out.flush();
            }
            if (!endOfInput) {
                return;
            }
            AtomicFile.write(target, out -> {
                for (Part part : parts.values()) {
                    part.out.close();
                    Files.copy(part.path, out);
                }
            });
            parts.clear();
            deleteSpool();
        }

        private void deleteSpool() throws IOException {
            if (!Files.exists(spool)) {
                return;
            }
            try (Stream<Path> s = Files.list(spool)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(spool);
        }

        @Override
        public void close() throws IOException {
            for (Part part : parts.values()) {
                part.out.close();
            }
        }
    }

    /** Holds every record and writes them sorted at end of input. */
    private static final class SortedWriter<T> implements SinkWriter<T> {
        private final Path target;
        private final LineEncoder<T> encoder;
        private final java.util.Comparator<T> order;
        private final java.util.List<T> held = new java.util.ArrayList<>();

        SortedWriter(Path target, LineEncoder<T> encoder, java.util.Comparator<T> order) throws IOException {
            this.target = target;
            this.encoder = encoder;
            this.order = order;
            Files.deleteIfExists(target);
        }

        @Override
        public void write(T element, Context context) {
            held.add(element);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (!endOfInput) {
                return;
            }
            held.sort(order);
            AtomicFile.write(target, out -> {
                BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
                for (T t : held) {
                    w.write(encode(encoder, t));
                    w.newLine();
                }
                w.flush();
            });
            held.clear();
        }

        @Override
        public void close() {}
    }

    /** One group's spool file. */
    private static final class Part {
        final Path path;
        final BufferedWriter out;

        Part(Path path) throws IOException {
            this.path = path;
            this.out = append(path);
        }
    }

    private static <T> String encode(LineEncoder<T> encoder, T element) throws IOException {
        try {
            return encoder.encode(element);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot encode " + element, e);
        }
    }
}
