package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Alert delivery to Slack, SNS and Alertmanager, for wiring into the job:
 * {@code AlertDelivery.to(slack, sns).apply(alerts)} gives the stream of delivery records (for
 * {@code IcebergTables.writeDeliveries}). One operator, uid {@value #UID}, parallelism 1; see
 * {@link DeliveryOperator} for its guarantees.
 */
public final class AlertDelivery {
    public static final String UID = "alert-delivery";
    public static final String NAME = "alert delivery";
    /** The routes' digests ({@link AlertDigest}), a side output of the delivery operator, for the alert_digests table. */
    public static final org.apache.flink.util.OutputTag<AlertDigest> DIGESTS =
            new org.apache.flink.util.OutputTag<>("alert-digests", TypeInformation.of(AlertDigest.class));

    private final List<Channel> channels;
    /** The default of {@link #maxPending(int)}. */
    public static final int DEFAULT_MAX_PENDING = 10_000;

    private RetryPolicy retry = RetryPolicy.defaults();
    private int maxPending = DEFAULT_MAX_PENDING;
    private boolean eventTime;

    private AlertDelivery(List<Channel> channels) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("alert delivery needs at least one channel");
        }
        Set<String> sinks = new HashSet<>();
        for (Channel c : channels) {
            if (!sinks.add(c.sink())) {
                throw new IllegalArgumentException("two channels of kind " + c.sink()
                        + ": give one channel several routes instead");
            }
        }
        this.channels = new ArrayList<>(channels);
    }

    public static AlertDelivery to(Channel... channels) {
        return new AlertDelivery(Arrays.asList(channels));
    }

    public static AlertDelivery to(List<Channel> channels) {
        return new AlertDelivery(channels);
    }

    /** How failed attempts are retried; {@link RetryPolicy#defaults()} otherwise. */
    public AlertDelivery retry(RetryPolicy policy) {
        this.retry = policy;
        return this;
    }

    /**
     * The most deliveries kept pending; beyond it the oldest not in flight is abandoned with
     * reason {@code queue full} (recorded and counted), so a long outage of a channel cannot grow
     * the operator's state without bound.
     */
    public AlertDelivery maxPending(int deliveries) {
        if (deliveries < 1) {
            throw new IllegalArgumentException("max pending deliveries must be at least 1, not " + deliveries);
        }
        this.maxPending = deliveries;
        return this;
    }

    /**
     * Runs grouping routes' timing on event time (the watermark) instead of the wall clock: for a
     * replay, whose notifications must not depend on how fast it runs.
     */
    public AlertDelivery eventTime(boolean onEventTime) {
        this.eventTime = onEventTime;
        return this;
    }

    /** Delivers {@code alerts}; the result is one record per attempt (and per unrouted alert). */
    public SingleOutputStreamOperator<DeliveryRecord> apply(DataStream<AlertEvent> alerts) {
        SingleOutputStreamOperator<DeliveryRecord> out = alerts.transform(NAME,
                TypeInformation.of(DeliveryRecord.class), new DeliveryOperator.Factory(channels, retry, maxPending, eventTime));
        // one subtask: per-webhook rate limits and per-alert ordering hold across all alerts
        out.uid(UID).setParallelism(1).setMaxParallelism(1);
        return out;
    }

    @Override
    public String toString() {
        return "alert delivery to " + channels + ", " + retry + ", at most " + maxPending + " pending";
    }
}
