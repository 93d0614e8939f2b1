package io.vigil.sink;

import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Prints alerts to standard output as they happen: one line each, either for people (coloured by
 * severity on a terminal: red critical, yellow warning, green resolved; {@code vigil run}) or as
 * the alert JSON ({@link #json()}, for log collectors). Parallelism 1.
 */
public class ConsoleAlertSink implements Sink<AlertEvent> {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final boolean colour;
    private final boolean json;

    public ConsoleAlertSink(boolean colour) {
        this(colour, false);
    }

    private ConsoleAlertSink(boolean colour, boolean json) {
        this.colour = colour;
        this.json = json;
    }

    /** One alert JSON document per line, as in {@code alerts.jsonl}. */
    public static ConsoleAlertSink json() {
        return new ConsoleAlertSink(false, true);
    }

    /** The line printed for an alert. */
    public static String render(AlertEvent a, boolean colour) {
        String state = a.state == AlertState.RESOLVED ? "RESOLVED" : "FIRING  ";
        String text = CLOCK.format(Instant.ofEpochMilli(a.eventTime)) + " " + state + " " + pad(a.severity.wire())
                + " " + a.ruleId + "  " + a.summary;
        if (!colour) {
            return text;
        }
        String code = a.state == AlertState.RESOLVED ? "32" : a.severity == Severity.CRITICAL ? "31;1" : "33";
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }

    private static String pad(String s) {
        return String.format("%-8s", s);
    }

    @Override
    @Deprecated
    public SinkWriter<AlertEvent> createWriter(InitContext context) {
        return writer();
    }

    @Override
    public SinkWriter<AlertEvent> createWriter(WriterInitContext context) {
        return writer();
    }

    private SinkWriter<AlertEvent> writer() {
        PrintStream out = System.out;
        AlertJson encoder = new AlertJson();
        return new SinkWriter<AlertEvent>() {
            @Override
            public void write(AlertEvent a, Context context) throws java.io.IOException {
                try {
                    out.println(json ? encoder.encode(a) : render(a, colour));
                } catch (java.io.IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new java.io.IOException(e);
                }
            }

            @Override
            public void flush(boolean endOfInput) {
                out.flush();
            }

            @Override
            public void close() {}
        };
    }
}
