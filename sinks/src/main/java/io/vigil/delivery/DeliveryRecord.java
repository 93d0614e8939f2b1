package io.vigil.delivery;

import java.util.Objects;

/**
 * One delivery attempt of one notification (an alert state change, or a group) to one route: the operator's output and a row of
 * the alert_deliveries table. Never holds a secret: routes are names and topic ARNs, errors are
 * redacted. A Flink POJO; times are epoch ms.
 */
public class DeliveryRecord {
    /** The channel kind: {@code slack}, {@code sns} or {@code alertmanager}. */
    public String sink;
    /** Slack and Alertmanager: the route's name; SNS: the topic ARN. */
    public String route;
    /** The alert's id; for a group notification the group's id ({@code group-…}). */
    public String alertId;
    /** The ids of every alert the notification carried: the alert itself when not a group. */
    public String[] alertIds;
    /** The rule; for a group its rules, in order, joined by ','. */
    public String ruleId;
    /** The severity; for a group the highest among its alerts. */
    public String severity;
    /** The state; for a group {@code firing} while any of its alerts fires. */
    public String state;
    /**
     * The alert event's emission time (a group's: when the notification was made): with alert id
     * and state, which state change or notification this delivers.
     */
    public long alertEmittedAt;
    /** 1 for the first attempt of this delivery, counting every request made (0: unrouted). */
    public int attempt;
    public DeliveryStatus status;
    /** The HTTP status of the response; null when there was none (timeout, connection failure). */
    public Integer httpStatus;
    /** Time from sending the request to its outcome; null when no request was made. */
    public Long latencyMs;
    public long attemptedAt;
    /**
     * When the delivery is tried again; null once delivered (or unrouted), except for a firing
     * alert delivered to Alertmanager: then when it is resent.
     */
    public Long nextAttemptAt;
    /** Why the attempt failed, redacted of secrets; null on success. */
    public String error;
    /** The id the channel gave the message (SNS MessageId); null otherwise. */
    public String messageId;

    public DeliveryRecord() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeliveryRecord)) {
            return false;
        }
        DeliveryRecord r = (DeliveryRecord) o;
        return alertEmittedAt == r.alertEmittedAt && attempt == r.attempt && attemptedAt == r.attemptedAt
                && Objects.equals(sink, r.sink) && Objects.equals(route, r.route)
                && Objects.equals(alertId, r.alertId) && java.util.Arrays.equals(alertIds, r.alertIds)
                && Objects.equals(ruleId, r.ruleId)
                && Objects.equals(severity, r.severity) && Objects.equals(state, r.state) && status == r.status
                && Objects.equals(httpStatus, r.httpStatus) && Objects.equals(latencyMs, r.latencyMs)
                && Objects.equals(nextAttemptAt, r.nextAttemptAt) && Objects.equals(error, r.error)
                && Objects.equals(messageId, r.messageId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sink, route, alertId, state, alertEmittedAt, attempt, attemptedAt);
    }

    @Override
    public String toString() {
        return sink + "/" + route + " " + ruleId + " " + alertId + " " + state + " attempt " + attempt + ": "
                + (status == null ? null : status.wire()) + (httpStatus == null ? "" : " " + httpStatus)
                + (error == null ? "" : " (" + error + ")");
    }
}
