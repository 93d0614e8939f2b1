package io.vigil.parse;

import io.vigil.model.Envelope;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** A source's event-time settings: out-of-orderness bound and, for live sources, idleness. */
public class EventTimePolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(30);

    private final Duration outOfOrderness;
    /** Null: never idle (replay, where every source runs to its end). */
    private final Duration idleness;

    public EventTimePolicy(Duration outOfOrderness, Duration idleness) {
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("out-of-orderness must not be negative");
        }
        this.outOfOrderness = outOfOrderness;
        this.idleness = idleness;
    }

    public static EventTimePolicy replay(Duration outOfOrderness) {
        return new EventTimePolicy(outOfOrderness, null);
    }

    public Duration outOfOrderness() {
        return outOfOrderness;
    }

    public Duration idleness() {
        return idleness;
    }

    public WatermarkStrategy<Envelope> watermarkStrategy() {
        long bound = outOfOrderness.toMillis();
        WatermarkStrategy<Envelope> s =
                WatermarkStrategy.<Envelope>forGenerator(ctx -> new ValidEventWatermarks(bound))
                        .withTimestampAssigner((e, ts) -> e.eventTime);
        return idleness == null ? s : s.withIdleness(idleness);
    }
}
