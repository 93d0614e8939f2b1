package io.vigil.bench;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.sink.AlertJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The latency run's alert sink: appends each alert to a file as Vigil's file sink does, but
 * flushes every line (an alert has left when it is written out), then notes the wall clock in the
 * {@link IncidentLog} for alerts that start firing. Run it with parallelism 1, as the topology does.
 */
final class TimedAlertSink implements Sink<AlertEvent> {
    private static final long serialVersionUID = 1L;

    private final String file;

    TimedAlertSink(Path file) {
        this.file = file.toAbsolutePath().toString();
    }

    @Override
    @Deprecated
    public SinkWriter<AlertEvent> createWriter(InitContext context) throws IOException {
        return new Writer(Paths.get(file));
    }

    @Override
    public SinkWriter<AlertEvent> createWriter(WriterInitContext context) throws IOException {
        return new Writer(Paths.get(file));
    }

    /** Writes, flushes, then times. */
    private static final class Writer implements SinkWriter<AlertEvent> {
        private final BufferedWriter out;
        private final AlertJson json = new AlertJson();

        Writer(Path file) throws IOException {
            Files.createDirectories(file.getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        @Override
        public void write(AlertEvent a, Context context) throws IOException {
            try {
                out.write(json.encode(a));
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot encode alert " + a.alertId, e);
            }
            out.newLine();
            out.flush();
            if (a.state == AlertState.FIRING) {
                IncidentLog.fired(a.ruleId, a.ruleId + "|" + a.entity, System.currentTimeMillis());
            }
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
}
