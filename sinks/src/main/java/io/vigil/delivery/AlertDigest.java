package io.vigil.delivery;

/**
 * One route's digest of a period: what fired and resolved, what still fires, the entities that
 * fired most and how long alerts took to resolve. Sent like a notification and written as a row
 * of the alert_digests table. A Flink POJO; times are epoch ms.
 */
public class AlertDigest {
    public String sink;
    public String route;
    public long periodStart;
    public long periodEnd;
    /** The zone the schedule and the message's times are in. */
    public String zone;
    /** Alerts that started firing in the period. */
    public int fired;
    /** Alerts that resolved in the period. */
    public int resolved;
    /** Alerts firing at the period's end. */
    public int stillFiring;
    /** The entities that started firing most often in the period, most first (ties by name); at most 5. */
    public String[] topEntities = new String[0];
    /** How often each of {@link #topEntities} started firing. */
    public int[] topEntityFirings = new int[0];
    /** Mean and median time from firing to resolved of the alerts resolved in the period; null with none. */
    public Long meanResolveMs;
    public Long medianResolveMs;

    public AlertDigest() {}

    @Override
    public String toString() {
        return sink + "/" + route + " digest " + periodStart + ".." + periodEnd + ": fired " + fired + ", resolved "
                + resolved + ", still firing " + stillFiring;
    }
}
