package io.vigil.parse;

import io.vigil.model.Envelope;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * A source's event-time settings: out-of-orderness bound, for live sources idleness, and how far
 * ahead an event time may run (of its arrival live, of the source's clock in replay, where a jump
 * needs confirming records); see docs/event-time.md.
 */
public class EventTimePolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofMinutes(5);
    public static final int DEFAULT_CONFIRM_RECORDS = 5;

    private final Duration outOfOrderness;
    /** Null: never idle (replay, where every source runs to its end). */
    private final Duration idleness;
    private final Duration maxAhead;
    private final int confirmRecords;

    public EventTimePolicy(Duration outOfOrderness, Duration idleness) {
        this(outOfOrderness, idleness, DEFAULT_MAX_AHEAD, DEFAULT_CONFIRM_RECORDS);
    }

    public EventTimePolicy(Duration outOfOrderness, Duration idleness, Duration maxAhead, int confirmRecords) {
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException("out-of-orderness must not be negative");
        }
        if (maxAhead.isNegative()) {
            throw new IllegalArgumentException("max-ahead must not be negative");
        }
        if (confirmRecords < 1) {
            throw new IllegalArgumentException("confirm-records must be at least 1");
        }
        this.outOfOrderness = outOfOrderness;
        this.idleness = idleness;
        this.maxAhead = maxAhead;
        this.confirmRecords = confirmRecords;
    }

    /** This policy with another future-time bound and confirmation count. */
    public EventTimePolicy withFutureBound(Duration maxAhead, int confirmRecords) {
        return new EventTimePolicy(outOfOrderness, idleness, maxAhead, confirmRecords);
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

    /** How far an event time may run ahead: of its arrival (live), of its source's clock (replay). */
    public Duration maxAhead() {
        return maxAhead;
    }

    /** Replay: how many records confirm a jump of the source's clock, or refute a record ahead of it. */
    public int confirmRecords() {
        return confirmRecords;
    }

    /** Live: whether an event time runs more than the bound ahead of its arrival. */
    public static boolean aheadOfArrival(long eventTime, long receivedAt, long maxAheadMs) {
        return receivedAt != io.vigil.model.RawRecord.NO_RECEIVE_TIME && eventTime - maxAheadMs > receivedAt;
    }

    public WatermarkStrategy<Envelope> watermarkStrategy() {
        long bound = outOfOrderness.toMillis();
        WatermarkStrategy<Envelope> s =
                WatermarkStrategy.<Envelope>forGenerator(ctx -> new ValidEventWatermarks(bound))
                        .withTimestampAssigner((e, ts) -> e.eventTime);
        return idleness == null ? s : s.withIdleness(idleness);
    }
}
