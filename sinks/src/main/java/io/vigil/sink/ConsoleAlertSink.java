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
 * Prints alerts as they happen, for {@code vigil run}: one line each, coloured by severity on a
 * terminal (red critical, yellow warning, green resolved). Parallelism 1.
 */
public class ConsoleAlertSink implements Sink<AlertEvent> {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final boolean colour;

    public ConsoleAlertSink(boolean colour) {
        this.colour = colour;
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
        return new SinkWriter<AlertEvent>() {
            @Override
            public void write(AlertEvent a, Context context) {
                out.println(render(a, colour));
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
