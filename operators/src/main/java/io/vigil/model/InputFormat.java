package io.vigil.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A wire format Vigil can read, with the name users give it on the command line and in config. */
public enum InputFormat {
    OPENLINEAGE("openlineage", Family.PIPELINE_RUN),
    METRICS("metrics", Family.METRIC),
    LANL_AUTH("lanl-auth", Family.AUTH),
    AUTH_JSON("auth-json", Family.AUTH),
    REES46("rees46", Family.COMMERCE),
    COMMERCE_JSON("commerce-json", Family.COMMERCE),
    /** GitHub workflow_run / workflow_job webhooks: runs (docs/inputs-events.md). */
    GITHUB_ACTIONS("github-actions", Family.PIPELINE_RUN),
    /** EventBridge events; a dead letter counts as METRIC, the family most detail types map to. */
    EVENTBRIDGE("eventbridge", Family.METRIC),
    DATABRICKS_CLUSTER_EVENTS("databricks-cluster-events", Family.METRIC),
    PIP_AUDIT("pip-audit", Family.METRIC);

    private final String id;
    private final Family family;

    InputFormat(String id, Family family) {
        this.id = id;
        this.family = family;
    }

    public String id() {
        return id;
    }

    public Family family() {
        return family;
    }

    /** Looks a format up by its user-facing name; the message lists the valid names. */
    public static InputFormat fromId(String id) {
        for (InputFormat f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown input format '" + id + "'; expected one of " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(InputFormat::id).collect(Collectors.joining(", "));
    }
}
