package io.vigil.rules;

/**
 * What a {@code baseline} rule remembers of one entity besides its history windows: when it was
 * first seen, its last window with data, the last event-count window judged, and the baseline
 * computed for the current window (it changes only when the window does).
 */
public class BaselineTrack {
    /** Start of the first window with data; min_history counts from here. */
    public long firstSeen = Long.MIN_VALUE;
    /** Start of the latest window with data. */
    public long lastData = Long.MIN_VALUE;
    /** event_count: end of the last window judged. */
    public long judgedTo = Long.MIN_VALUE;
    /** The window whose baseline is cached below; {@link Long#MIN_VALUE} when none is. */
    public long cachedWindow = Long.MIN_VALUE;
    public double cachedMedian;
    public double cachedScale;
    /** Values in the cached baseline; 0 when the history had none. */
    public int cachedPoints;

    public BaselineTrack() {}
}
