package io.vigil.source;

import io.vigil.alert.AlertIds;
import io.vigil.config.Durations;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Label;
import io.vigil.model.Severity;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The {@value #RULE_ID} heartbeat of live runs: an info alert that is always firing, sent again
 * every interval through the same sinks and delivery as every alert (as Alertmanager's Watchdog).
 * The receiving side alarms when it stops arriving: then Vigil, its delivery, or the way to the
 * receiver is down. Its alert id is fixed, so receivers see one alert, not a stream of them.
 */
public final class Watchdog {
    public static final String RULE_ID = "monitor_watchdog";
    public static final String ENTITY = "vigil";

    private Watchdog() {}

    /** A source of one heartbeat at start and one every {@code interval} after (processing time). */
    public static Source<AlertEvent, ?, ?> every(Duration interval) {
        long ms = interval.toMillis();
        return new DataGeneratorSource<>(new Heartbeat(interval), Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(1000.0 / ms), TypeInformation.of(AlertEvent.class));
    }

    /** Makes the heartbeat alerts; {@code startsAt} is when this run's heartbeat began. */
    static final class Heartbeat implements GeneratorFunction<Long, AlertEvent> {
        private static final long serialVersionUID = 1L;
        private final Duration interval;
        private transient long startedAt;

        Heartbeat(Duration interval) {
            this.interval = interval;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            startedAt = System.currentTimeMillis();
        }

        @Override
        public AlertEvent map(Long n) {
            return at(System.currentTimeMillis(), startedAt, interval);
        }
    }

    /** The heartbeat alert sent at {@code now}. */
    public static AlertEvent at(long now, long startedAt, Duration interval) {
        AlertEvent a = new AlertEvent();
        a.alertId = AlertIds.of(RULE_ID, ENTITY);
        a.ruleId = RULE_ID;
        a.severity = Severity.INFO;
        a.state = AlertState.FIRING;
        a.entity = ENTITY;
        a.summary = "Vigil is running. This alert always fires, every " + Durations.format(interval.toMillis())
                + ": if it stops arriving, Vigil or its alert delivery is down";
        a.value = Double.NaN;
        a.threshold = Double.NaN;
        a.eventTime = now;
        a.startsAt = startedAt;
        a.labels = new Label[] {new Label("watchdog", "true")};
        a.runbookUrl = "deploy/RUNBOOK.md#monitor_watchdog";
        a.emittedAt = now;
        return a;
    }
}
