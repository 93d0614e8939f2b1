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

    private LineFileSink(Path file, LineEncoder<T> encoder, SerializableFunction<T, String> groupedBy,
            SerializableComparator<T> sortedBy) {
        this.file = file.toAbsolutePath().toString();
        this.encoder = encoder;
        this.groupedBy = groupedBy;
        this.sortedBy = sortedBy;
    }

    /** A comparator that travels with the job graph. */
    public interface SerializableComparator<T> extends java.util.Comparator<T>, java.io.Serializable {}

    /** Appends lines in arrival order (live runs). */
    public static <T> LineFileSink<T> appending(Path file, LineEncoder<T> encoder) {
        return new LineFileSink<>(file, encoder, null, null);
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
        return open();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return open();
    }

    private SinkWriter<T> open() throws IOException {
        Path target = Paths.get(file);
        Files.createDirectories(target.toAbsolutePath().getParent());
        if (sortedBy != null) {
            return new SortedWriter<>(target, encoder, sortedBy);
        }
        return groupedBy == null ? new AppendingWriter<>(target, encoder) : new GroupedWriter<>(target, encoder, groupedBy);
    }

    private static BufferedWriter append(Path p) throws IOException {
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** Appends to the target in arrival order. */
    private static final class AppendingWriter<T> implements SinkWriter<T> {
        private final BufferedWriter out;
        private final LineEncoder<T> encoder;

        AppendingWriter(Path target, LineEncoder<T> encoder) throws IOException {
            this.out = append(target);
            this.encoder = encoder;
        }

        @Override
        public void write(T element, Context context) throws IOException {
            out.write(encode(encoder, element));
            out.newLine();
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
