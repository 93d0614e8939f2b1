package io.vigil.model;

/** Alert severity, lowest first: an alert carries the highest severity whose condition holds. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
