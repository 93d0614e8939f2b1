package io.vigil.model;

/** The states an alert event reports; pending is internal and never notified. */
public enum AlertState {
    FIRING,
    RESOLVED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
