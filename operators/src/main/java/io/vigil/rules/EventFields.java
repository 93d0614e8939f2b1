package io.vigil.rules;

import io.vigil.model.Envelope;

/** Named fields of events, for rules that count or key on a field (distinct_count, patterns). */
public final class EventFields {
    /** Field names rules may use. */
    public static final String[] NAMES = {
        "source_user", "destination_user", "source_computer", "destination_computer", "auth_type", "logon_type",
        "user_id", "product_id", "category_code", "brand", "user_session", "job", "job_namespace", "run_id",
        // pattern rules select steps on these: LogOn/LogOff/TGS/..., success/failure, START/FAIL/... or view/cart/...
        "orientation", "outcome", "event_type"
    };

    private EventFields() {}

    public static boolean known(String name) {
        for (String n : NAMES) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
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
        return null;
    }
}
