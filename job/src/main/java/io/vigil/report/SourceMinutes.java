package io.vigil.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Per source and minute of event time, the records read and how many were invalid or late: the
 * volume charts of the replay report. Counted from the envelope stream, so the counts are those of
 * {@code summary.json}; no output of the replay has them per minute. Each subtask counts what it
 * reads (no exchange, nothing at parallelism 1) and writes at end of input its own
 * {@code source-minutes-N.json}: {@code {"source": [[minute epoch ms, read, invalid, late], ...]}};
 * {@link #read} adds them up.
 */
public final class SourceMinutes implements Sink<Envelope> {
    private static final long serialVersionUID = 1L;
    static final String FILE_PREFIX = "source-minutes-";
    static final long MINUTE = 60_000L;

    private final String dir;

    public SourceMinutes(Path dir) {
        this.dir = dir.toAbsolutePath().toString();
    }

    /** Counts of one source in one minute. */
    public static final class Counts {
        public long read;
        public long invalid;
        public long late;
    }

    @Override
    @Deprecated
    public SinkWriter<Envelope> createWriter(InitContext context) {
        return new Writer(context.getTaskInfo().getIndexOfThisSubtask());
    }

    @Override
    public SinkWriter<Envelope> createWriter(WriterInitContext context) {
        return new Writer(context.getTaskInfo().getIndexOfThisSubtask());
    }

    /** Reads and adds up what every subtask's writer wrote: source, then minute start, in order. */
    public static Map<String, TreeMap<Long, Counts>> read(Path dir) throws IOException {
        Map<String, TreeMap<Long, Counts>> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, FILE_PREFIX + "*.json")) {
            for (Path f : files) {
                JsonNode root = new ObjectMapper().readTree(f.toFile());
                Iterator<Map.Entry<String, JsonNode>> it = root.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    TreeMap<Long, Counts> minutes = out.computeIfAbsent(e.getKey(), k -> new TreeMap<>());
                    for (JsonNode row : e.getValue()) {
                        Counts c = minutes.computeIfAbsent(row.get(0).asLong(), m -> new Counts());
                        c.read += row.get(1).asLong();
                        c.invalid += row.get(2).asLong();
                        c.late += row.get(3).asLong();
                    }
                }
            }
        }
        return out;
    }

    static String render(Map<String, TreeMap<Long, Counts>> bySource) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        for (Map.Entry<String, TreeMap<Long, Counts>> s : bySource.entrySet()) {
            ArrayNode rows = root.putArray(s.getKey());
            for (Map.Entry<Long, Counts> m : s.getValue().entrySet()) {
                rows.addArray().add(m.getKey()).add(m.getValue().read).add(m.getValue().invalid)
                        .add(m.getValue().late);
            }
        }
        return mapper.writeValueAsString(root) + "\n";
    }

    private final class Writer implements SinkWriter<Envelope> {
        private final Map<String, TreeMap<Long, Counts>> bySource = new TreeMap<>();
        private final int subtask;

        Writer(int subtask) {
            this.subtask = subtask;
        }

        @Override
        public void write(Envelope e, Context context) {
            if (e.counts != null) {
                return; // a digest of records already counted, not a record
            }
            Counts c = bySource.computeIfAbsent(e.source, s -> new TreeMap<>())
                    .computeIfAbsent(Math.floorDiv(e.eventTime, MINUTE) * MINUTE, m -> new Counts());
            c.read++;
            if (!e.isValid()) {
                c.invalid++;
            }
            if (e.late) {
                c.late++;
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (!endOfInput) {
                return;
            }
            Path target = Paths.get(dir, FILE_PREFIX + subtask + ".json");
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(tmp, render(bySource).getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void close() {}
    }
}
