package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A kind of destination (Slack, SNS): its configuration, which travels in the job graph and so
 * holds references to secrets, never their values, and the live connection opened from it on the
 * task manager.
 */
public interface Channel extends Serializable {
    /** The {@code sink} of delivery records, unique among a delivery's channels: {@code slack}, {@code sns}, {@code alertmanager}. */
    String sink();

    /** The routes this alert goes to, in order; empty when none matches. */
    List<String> routes(AlertEvent alert);

    /**
     * How long after a firing alert was delivered to {@code route} it is sent again, for as long
     * as it fires (Alertmanager forgets an alert whose end time passes); 0: never.
     */
    default long resendMillis(String route) {
        return 0;
    }

    /**
     * How {@code route} groups alerts into notifications; {@link Grouping#NONE} (the default):
     * one notification per alert state change.
     */
    default Grouping grouping(String route) {
        return Grouping.NONE;
    }

    /** Every route of this channel, for what runs per route without an alert (digests). */
    default List<String> routeNames() {
        return java.util.Collections.emptyList();
    }

    /** When {@code route} gets a digest ({@link AlertDigest}); null: never (the default). */
    default DigestSchedule digest(String route) {
        return null;
    }

    /** Builds clients; must not block on the network (secrets are resolved on first use). */
    Connection open();

    /** The live side of a channel; used from the task thread, its futures complete elsewhere. */
    interface Connection extends AutoCloseable {
        /**
         * Sends one request carrying {@code notification}. Never throws and never blocks: the
         * future completes with the outcome, whose error text is already free of secrets.
         */
        CompletableFuture<Outcome> send(String route, Notification notification);

        /** Sends one alert state change on its own. */
        default CompletableFuture<Outcome> send(String route, AlertEvent alert) {
            return send(route, Notification.of(alert));
        }

        /**
         * The rate-limit lane of a route: requests on one lane go one at a time, at least
         * {@link #minIntervalMillis()} apart, and a Retry-After holds the whole lane. Routes that
         * share a webhook share its lane. An opaque id, never the secret itself.
         */
        String lane(String route);

        long minIntervalMillis();

        @Override
        void close();
    }
}
