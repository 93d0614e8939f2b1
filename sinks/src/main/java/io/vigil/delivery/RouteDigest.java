package io.vigil.delivery;

/**
 * A route's digest in the making: the current period's tallies and the alerts firing now. The
 * unit of the delivery operator's digest state. A Flink POJO (arrays, not collections, so that
 * no field falls back to Kryo).
 */
public class RouteDigest {
    public String sink;
    public String route;
    public long periodStart;
    /** When this period's digest is made. */
    public long dueAt;
    public int fired;
    public int resolved;
    /** Alerts firing now (across periods). */
    public String[] firingIds = new String[0];
    /** Entities that started firing this period, and how often. */
    public String[] entities = new String[0];
    public int[] entityFirings = new int[0];
    /** Time to resolve of each alert resolved this period. */
    public long[] resolveMillis = new long[0];

    public RouteDigest() {}
}
