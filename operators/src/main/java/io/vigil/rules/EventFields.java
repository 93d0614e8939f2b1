package io.vigil.rules;

import io.vigil.model.Envelope;
import io.vigil.model.Label;

/** Named fields of events, for rules that count or key on a field (distinct_count, patterns). */
public final class EventFields {
    /** How rules name a metric sample's label: {@code labels.<name>}. */
    public static final String LABELS = "labels.";
    /** Field names rules may use, besides {@code labels.<name>}. */
    public static final String[] NAMES = {
        "source_user", "destination_user", "source_computer", "destination_computer", "auth_type", "logon_type",
        "user_id", "product_id", "category_code", "brand", "user_session", "job", "job_namespace", "run_id",
        // pattern rules select steps on these: LogOn/LogOff/TGS/..., success/failure, START/FAIL/... or view/cart/...
        "orientation", "outcome", "event_type",
        // metric samples: the sample's name; its labels are labels.<name>
        "metric"
    };

    private EventFields() {}

    public static boolean known(String name) {
        if (name != null && name.startsWith(LABELS) && name.length() > LABELS.length()) {
            return true;
        }
        for (String n : NAMES) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The field names for messages: {@link #NAMES} and {@code labels.<name>}. */
    public static String described() {
        return String.join(", ", NAMES) + ", " + LABELS + "<name> (a metric sample's label)";
    }

    /** How an entity names a field: {@code destination user}, {@code cluster id} for labels.cluster_id. */
    public static String entityName(String field) {
        String name = field.startsWith(LABELS) ? field.substring(LABELS.length()) : field;
        return name.replace('_', ' ');
    }

    /** The field's value as text, or null when the event has no such field or it is unknown. */
    public static String get(Envelope e, String name) {
        if (e.auth != null) {
            switch (name) {
                case "source_user":
                    return e.auth.sourcePrincipal();
                case "destination_user":
                    return e.auth.destinationPrincipal();
                case "source_computer":
                    return e.auth.sourceComputer;
                case "destination_computer":
                    return e.auth.destinationComputer;
                case "auth_type":
                    return e.auth.authType;
                case "logon_type":
                    return e.auth.logonType;
                case "orientation":
                    return e.auth.orientation;
                case "outcome":
                    return e.auth.success ? "success" : "failure";
                default:
                    return null;
            }
        }
        if (e.commerce != null) {
            switch (name) {
                case "user_id":
                    return Long.toString(e.commerce.userId);
                case "product_id":
                    return Long.toString(e.commerce.productId);
                case "category_code":
                    return e.commerce.categoryCode;
                case "brand":
                    return e.commerce.brand;
                case "user_session":
                    return e.commerce.userSession;
                case "event_type":
                    return e.commerce.eventType == null ? null : e.commerce.eventType.wire();
                default:
                    return null;
            }
        }
        if (e.run != null) {
            switch (name) {
                case "job":
                    return e.run.jobKey();
                case "job_namespace":
                    return e.run.jobNamespace;
                case "run_id":
                    return e.run.runId;
                case "event_type":
                    return e.run.eventType == null ? null : e.run.eventType.name();
                default:
                    return null;
            }
        }
        if (e.metric != null) {
            if (name.equals("metric")) {
                return e.metric.name;
            }
            if (name.startsWith(LABELS)) {
                String key = name.substring(LABELS.length());
                for (Label l : e.metric.labels) {
                    if (l.key.equals(key)) {
                        return l.value;
                    }
                }
            }
        }
        return null;
    }
}
