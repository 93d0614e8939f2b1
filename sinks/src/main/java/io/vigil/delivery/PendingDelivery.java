package io.vigil.delivery;

import io.vigil.model.AlertEvent;

/**
 * One notification not yet confirmed by one route: the unit of the delivery operator's
 * checkpointed state. A Flink POJO.
 */
public class PendingDelivery {
    /** Arrival order: notifications of one alert or group on one lane are delivered in this order. */
    public long seq;
    public String sink;
    /** The route: a Slack route's name, an SNS topic ARN. */
    public String target;
    public Notification notification;
    /** State from before notifications: the one alert; moved into {@link #notification} on restore. */
    public AlertEvent alert;
    /** Requests made so far. */
    public int attempts;
    /** Not sent before this time (epoch ms): the backoff, Retry-After or slow cadence. */
    public long dueAt;
    /** Refusals so far (4xx other than 429): after the policy's maximum it is abandoned. */
    public int rejections;
    /** When it was queued (processing time, epoch ms; 0 in state from before it was kept). */
    public long queuedAt;
    /**
     * A firing alert already delivered, sent again at {@code dueAt} to keep it alive downstream
     * ({@link Channel#resendMillis}); a newer state change drops it without a record.
     */
    public boolean resend;

    public PendingDelivery() {}

    PendingDelivery(long seq, String sink, String target, Notification notification, long dueAt) {
        this.seq = seq;
        this.sink = sink;
        this.target = target;
        this.notification = notification;
        this.dueAt = dueAt;
        this.queuedAt = dueAt;
    }

    @Override
    public String toString() {
        return sink + "/" + target + " " + (notification == null ? alert.alertId : notification.toString())
                + (resend ? " (resend)" : "") + " after " + attempts + " attempts";
    }
}
