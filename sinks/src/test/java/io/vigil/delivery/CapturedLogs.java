package io.vigil.delivery;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures, while a test class runs, what Vigil (DEBUG and up), Flink and the AWS SDK (INFO and
 * up) log, messages and stack traces, instead of printing it: for asserting what logs never hold.
 */
public class CapturedLogs implements org.junit.jupiter.api.extension.BeforeAllCallback,
        org.junit.jupiter.api.extension.AfterAllCallback {
    private static final String[][] LOGGERS = {{"io.vigil", "DEBUG"}, {"org.apache.flink", "INFO"},
            {"software.amazon.awssdk", "INFO"}};
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private AbstractAppender appender;

    @Override
    public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        appender = new AbstractAppender("vigil-captured", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                StringBuilder sb = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " "
                        + e.getMessage().getFormattedMessage());
                if (e.getThrown() != null) {
                    StringWriter w = new StringWriter();
                    e.getThrown().printStackTrace(new PrintWriter(w));
                    sb.append('\n').append(w);
                }
                lines.add(sb.toString());
            }
        };
        appender.start();
        config.addAppender(appender);
        for (String[] l : LOGGERS) {
            LoggerConfig logger = new LoggerConfig(l[0], Level.getLevel(l[1]), false);
            logger.addAppender(appender, null, null);
            config.addLogger(l[0], logger);
        }
        ctx.updateLoggers();
    }

    @Override
    public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        for (String[] l : LOGGERS) {
            config.removeLogger(l[0]);
        }
        ctx.updateLoggers();
        appender.stop();
    }

    /** Every line so far (a copy). */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }
}
