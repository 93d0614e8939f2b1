package io.vigil.delivery;

import io.vigil.model.AlertEvent;

/**
 * One group of a grouping route (see {@link Grouping}): its alerts and when it is notified next.
 * The unit of the delivery operator's grouping state. A Flink POJO; times are the group clock's
 * (event time in replay, wall clock live), epoch ms.
 */
public class AlertGroup {
    public static final long NEVER = Long.MIN_VALUE;

    public String sink;
    public String route;
    /** The group's id, {@code group-} and a hash of route and label values: the same in every run. */
    public String key;
    /** The label values, for people: {@code rule_id=kpi_par_90, team=risk}. */
    public String labels;
    /** Members firing now, in the order they joined (each its latest state change). */
    public AlertEvent[] firing = new AlertEvent[0];
    /** Members resolved since the last notification: the next one carries them, then they leave. */
    public AlertEvent[] resolved = new AlertEvent[0];
    /** When the group's first alert came. */
    public long firstAt;
    /** When it was last notified; {@link #NEVER} before its first notification. */
    public long notifiedAt = NEVER;
    /** When it is looked at next: group_wait, group_interval or repeat_interval ahead. */
    public long dueAt;
    /** Whether its alerts changed since the last notification (a member came, went or changed severity). */
    public boolean changed;

    public AlertGroup() {}

    int indexOf(AlertEvent[] in, String alertId) {
        for (int i = 0; i < in.length; i++) {
            if (in[i].alertId.equals(alertId)) {
                return i;
            }
        }
        return -1;
    }

    static AlertEvent[] without(AlertEvent[] in, int index) {
        AlertEvent[] out = new AlertEvent[in.length - 1];
        System.arraycopy(in, 0, out, 0, index);
        System.arraycopy(in, index + 1, out, index, in.length - index - 1);
        return out;
    }

    static AlertEvent[] with(AlertEvent[] in, AlertEvent a) {
        AlertEvent[] out = java.util.Arrays.copyOf(in, in.length + 1);
        out[in.length] = a;
        return out;
    }

    @Override
    public String toString() {
        return sink + "/" + route + " " + key + " {" + labels + "}: " + firing.length + " firing, "
                + resolved.length + " resolved, due " + dueAt + (changed ? " (changed)" : "");
    }
}
