package io.vigil.rules;

/**
 * The settings of a {@code baseline} rule: what value it judges, the history its baseline comes
 * from, how the value is compared with it, and how much history it needs before it may fire.
 * Public fields keep it part of the rule's Flink POJO.
 */
public class BaselineSpec implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    static final long HOUR_MS = 3_600_000L;
    static final long WEEK_MS = 7 * 24 * HOUR_MS;

    /** What is judged. */
    public enum Value {
        /** Each sample of a metric series (select.metric, select.labels). */
        METRIC("metric"),
        /** Each completed run's duration, per job. */
        RUN_DURATION("run_duration"),
        /** outputStatistics.rowCount of each COMPLETE run, per output dataset. */
        ROWS_WRITTEN("rows_written"),
        /** Valid records of a source per window. */
        EVENT_COUNT("event_count");

        final String id;

        Value(String id) {
            this.id = id;
        }

        static Value of(String id) {
            for (Value v : values()) {
                if (v.id.equals(id)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** Where the baseline comes from. */
    public enum History {
        /** The median of the per-window values of the trailing span. */
        TRAILING,
        /** The median of the same hour of the week over the last {@code weeks} weeks. */
        SAME_HOUR_OF_WEEK
    }

    /** How a value is set against its baseline; the rule's thresholds are in this measure. */
    public enum Compare {
        /** value / baseline: {@code 2x}. */
        RATIO("x"),
        /** value - baseline, in the value's unit: {@code +30s}, {@code -1000}. */
        DIFFERENCE(""),
        /** (value - median) / robust scale (MAD): {@code 3z}. */
        ZSCORE("z");

        final String suffix;

        Compare(String suffix) {
            this.suffix = suffix;
        }
    }

    public Value value;
    public History history = History.TRAILING;
    /** How far back the history reaches: the trailing span, or weeks × 1 week. */
    public long historyMs;
    /** The window of one history value (an hour for same_hour_of_week). */
    public long windowMs = HOUR_MS;
    /** same_hour_of_week: the weeks compared. */
    public int weeks;
    public Compare compare = Compare.RATIO;
    /** The entity must have been seen this long before the rule may fire; 0 when given in points. */
    public long minHistoryMs;
    /** The baseline must hold this many values before the rule may fire; 0 when given as a span. */
    public int minHistoryPoints;

    public BaselineSpec() {}

    /** The start of the window that holds event time {@code t}. */
    long windowOf(long t) {
        return t - Math.floorMod(t, windowMs);
    }

    /** The most values a baseline can hold: the bound of an entity's history. */
    int maxPoints() {
        return history == History.SAME_HOUR_OF_WEEK ? weeks : (int) (historyMs / windowMs);
    }
}
