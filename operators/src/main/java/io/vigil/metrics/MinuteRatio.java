package io.vigil.metrics;

import org.apache.flink.metrics.Gauge;

/**
 * The share of marked events among all events in the last full minute of processing time, as a
 * gauge (e.g. {@link VigilMetrics#INVALID_RECORD_RATIO}). A minute without events reads 0; a
 * gauge of the running total would hide a burst of bad records behind months of good ones.
 */
public final class MinuteRatio implements Gauge<Double> {
    private static final long MINUTE = 60_000L;

    private long minute = Long.MIN_VALUE;
    private long total;
    private long marked;
    private double last;

    /** Counts one event at processing time {@code now}. */
    public void record(boolean isMarked, long now) {
        roll(now);
        total++;
        if (isMarked) {
            marked++;
        }
    }

    /** The ratio of the last full minute before {@code now}. */
    public double valueAt(long now) {
        roll(now);
        return last;
    }

    private void roll(long now) {
        long m = Math.floorDiv(now, MINUTE);
        if (m == minute) {
            return;
        }
        // the minute just ended becomes the value; an idle minute between reads 0
        last = m == minute + 1 && total > 0 ? (double) marked / total : 0.0;
        minute = m;
        total = 0;
        marked = 0;
    }

    @Override
    public Double getValue() {
        return last;
    }
}
