package io.vigil.rules;

import java.util.Arrays;

/**
 * A baseline made of an entity's past values: their median and robust spread, and how a new value
 * compares with it (ratio, difference or robust z-score).
 */
final class BaselineStats {
    /** MAD × this estimates the standard deviation of normally distributed values. */
    static final double MAD_TO_SIGMA = 1.4826;
    /** Where the MAD is 0 (over half the values equal): the mean absolute deviation × this instead. */
    static final double MEAN_AD_TO_SIGMA = 1.2533;
    /** Bound of a ratio or z-score against a baseline of 0 or no spread, so it stays a finite number. */
    static final double CAP = 1e6;

    final double median;
    /** Robust standard deviation; 0 when every value equals the median. */
    final double scale;
    final int points;

    BaselineStats(double median, double scale, int points) {
        this.median = median;
        this.scale = scale;
        this.points = points;
    }

    /** The baseline of the first {@code n} of {@code values}; null when n is 0. */
    static BaselineStats of(double[] values, int n) {
        if (n == 0) {
            return null;
        }
        double[] v = Arrays.copyOf(values, n);
        double med = median(v);
        double[] dev = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            dev[i] = Math.abs(v[i] - med);
            sum += dev[i];
        }
        double mad = median(dev);
        double scale = mad > 0 ? MAD_TO_SIGMA * mad : MEAN_AD_TO_SIGMA * sum / n;
        return new BaselineStats(med, scale, n);
    }

    /**
     * This baseline for single samples of windows whose own samples vary by {@code withinVariance}
     * (the median of the windows' variances): the spread of window values alone would make every
     * sample look far out.
     */
    BaselineStats withinWindows(double withinVariance) {
        return withinVariance <= 0 ? this : new BaselineStats(median, Math.sqrt(scale * scale + withinVariance), points);
    }

    /** The median; sorts {@code v}. */
    static double median(double[] v) {
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** {@code value} against this baseline, in the measure of {@code c}. */
    double compare(BaselineSpec.Compare c, double value) {
        switch (c) {
            case RATIO:
                // a baseline of 0 (a source that is quiet at this hour): no ratio, only "more" or "the same"
                return median == 0 ? (value == 0 ? 1 : Math.signum(value) * CAP) : clamp(value / median);
            case ZSCORE:
                return scale == 0 ? (value == median ? 0 : Math.signum(value - median) * CAP) : clamp((value - median) / scale);
            default:
                return value - median;
        }
    }

    private static double clamp(double x) {
        return Math.max(-CAP, Math.min(CAP, x));
    }
}
