package io.vigil.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.ReasonCode;
import io.vigil.model.SourceTally;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes {@code summary.json} at end of input: per source read, valid, invalid by reason and late,
 * plus totals. Every configured source appears, with zeros if it had no records. Parallelism 1.
 */
public class SummaryFileSink implements Sink<SourceTally> {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final List<String> sources;

    public SummaryFileSink(Path file, List<String> sources) {
        this.file = file.toAbsolutePath().toString();
        this.sources = new ArrayList<>(sources);
    }

    @Override
    @Deprecated
    public SinkWriter<SourceTally> createWriter(InitContext context) {
        return new Writer();
    }

    @Override
    public SinkWriter<SourceTally> createWriter(WriterInitContext context) {
        return new Writer();
    }

    /** Renders tallies as the summary document. */
    public static String render(Map<String, SourceTally> bySource) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode perSource = root.putObject("sources");
        SourceTally total = new SourceTally("total");
        for (SourceTally t : new TreeMap<>(bySource).values()) {
            write(perSource.putObject(t.source), t);
            total.merge(t);
        }
        write(root.putObject("total"), total);
        return mapper.writeValueAsString(root) + "\n";
    }

    private static void write(ObjectNode o, SourceTally t) {
        o.put("read", t.read);
        o.put("valid", t.valid);
        o.put("invalid", t.invalid);
        ObjectNode reasons = o.putObject("invalid_by_reason");
        for (ReasonCode r : ReasonCode.values()) {
            long n = t.invalidByReason[r.ordinal()];
            if (n > 0) {
                reasons.put(r.name(), n);
            }
        }
        o.put("late", t.late);
        o.put("zoneless_time", t.zonelessTime);
        o.put("unreadable_facets", t.unreadableFacets);
        o.put("datasets_dropped", t.datasetsDropped);
        o.put("assertions_dropped", t.assertionsDropped);
        o.put("lineage_events", t.lineageEvents);
    }

    private final class Writer implements SinkWriter<SourceTally> {
        private final Map<String, SourceTally> bySource = new TreeMap<>();

        Writer() {
            for (String s : sources) {
                bySource.put(s, new SourceTally(s));
            }
        }

        @Override
        public void write(SourceTally t, Context context) {
            bySource.computeIfAbsent(t.source, SourceTally::new).merge(t);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (!endOfInput) {
                return;
            }
            Path target = Paths.get(file);
            Files.createDirectories(target.getParent());
            byte[] json = render(bySource).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            AtomicFile.write(target, out -> out.write(json));
        }

        @Override
        public void close() {}
    }
}
