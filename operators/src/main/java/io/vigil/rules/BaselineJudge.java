package io.vigil.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.config.Durations;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.RunEventType;
import io.vigil.model.Severity;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * {@code baseline}: a value judged against the entity's own history (a metric series' samples, a
 * job's run durations, the rows a run wrote to a dataset, a source's events per window), as a
 * ratio, a difference or a robust z-score to the median of the trailing span's windows or of the
 * same hour of the week over N weeks.
 *
 * <p>State per entity, bounded: one entry per window of the history span (window start → count,
 * sum and sum of squares; at most {@link BaselineSpec#maxPoints} + 1, older ones dropped as new windows open), a
 * {@link BaselineTrack}, the start times of open runs (run_duration; dropped after the history
 * span) and samples waiting for the watermark. An entity silent for its retention (default twice
 * the history) is retired with all of it. Samples are judged in event-time order, as
 * metric_threshold's are; event counts at each window's end.
 */
final class BaselineJudge implements KindJudge {
    private static final Set<String> FIELDS = RuleReader.thresholdFieldsAnd("value", "history", "weeks", "window",
            "min_history", "above", "below", "zscore");
    /** Most windows one entity's trailing history may hold. */
    static final int MAX_WINDOWS = 2016;
    static final int MAX_WEEKS = 12;
    static final int DEFAULT_WEEKS = 4;
    /** The code of an event-count input, which is counted at once rather than held. */
    private static final int COUNT = -1;
    private static final Pattern WEEKS = Pattern.compile("(\\d+)\\s*w");
    private static final Pattern POINTS = Pattern.compile("(\\d+)\\s*points?");
    private static final Pattern NUMBER = Pattern.compile("[0-9]*\\.?[0-9]+");
    private static final Comparator<RuleInput> SAME_TIME =
            Comparator.<RuleInput>comparingInt(in -> in.code).thenComparingDouble(in -> in.value);

    private MapState<Long, double[]> history;
    private ValueState<BaselineTrack> track;
    private MapState<String, Long> runStarts;
    private HeldInputs held;

    @Override
    public KeyFamily keyFamily() {
        return KeyFamily.METRIC_SERIES; // by its value: a metric series, job, dataset or source (route)
    }

    @Override
    public Set<String> fields() {
        return FIELDS;
    }

    @Override
    public boolean readsSummaries(Rule rule) {
        return rule.baseline != null && rule.baseline.value == BaselineSpec.Value.EVENT_COUNT;
    }

    // ---- reading

    @Override
    public void read(RuleReader in, Rule r) {
        BaselineSpec b = new BaselineSpec();
        r.baseline = b;
        String v = in.text("value");
        b.value = v == null ? null : BaselineSpec.Value.of(v);
        if (v == null) {
            in.error("value", "is required for kind baseline: metric, run_duration, rows_written or event_count");
        } else if (b.value == null) {
            in.error("value", "unknown value '" + v + "'; expected metric, run_duration, rows_written or event_count");
        }
        r.selector = b.value == BaselineSpec.Value.METRIC ? in.selector(r.kind, "metric", "labels") : in.selector(r.kind);
        if (b.value == BaselineSpec.Value.METRIC && r.selector.metric == null) {
            in.error("select.metric", "is required for value metric");
        }
        // a selector key the value never reads would silently match nothing or everything
        if (b.value != null && b.value != BaselineSpec.Value.RUN_DURATION && b.value != BaselineSpec.Value.ROWS_WRITTEN
                && r.selector.jobs.length > 0) {
            in.error("select.job", "value " + b.value.id + " does not select by job");
        }
        if (b.value != null && b.value != BaselineSpec.Value.ROWS_WRITTEN && r.selector.datasets.length > 0) {
            in.error("select.dataset", "value " + b.value.id + " does not select by dataset (rows_written does)");
        }
        history(in, b);
        levels(in, r, b);
        minHistory(in, b);
        r.keepFiringForMs = in.duration("keep_firing_for", 0);
    }

    private static void history(RuleReader in, BaselineSpec b) {
        String h = in.text("history");
        h = h == null ? "trailing 7d" : h;
        if (h.equals("same_hour_of_week")) {
            b.history = BaselineSpec.History.SAME_HOUR_OF_WEEK;
            b.weeks = DEFAULT_WEEKS;
            if (in.has("weeks")) {
                JsonNode n = in.node().get("weeks");
                if (!n.isIntegralNumber() || n.intValue() < 1 || n.intValue() > MAX_WEEKS) {
                    in.error("weeks", "must be a whole number of weeks from 1 to " + MAX_WEEKS + ", got " + n.asText());
                } else {
                    b.weeks = n.intValue();
                }
            }
            if (in.has("window")) {
                in.error("window", "same_hour_of_week compares whole hours; it takes no window");
            }
            b.historyMs = b.weeks * BaselineSpec.WEEK_MS;
            b.windowMs = BaselineSpec.HOUR_MS;
        } else if (h.startsWith("trailing")) {
            b.history = BaselineSpec.History.TRAILING;
            Long span = span(in, "history", h.substring("trailing".length()).trim());
            if (in.has("weeks")) {
                in.error("weeks", "only history same_hour_of_week takes weeks (trailing gives its span: trailing 28d)");
            }
            Long window = in.has("window") ? span(in, "window", in.text("window")) : Long.valueOf(BaselineSpec.HOUR_MS);
            if (span == null || window == null) {
                return;
            }
            if (window <= 0 || span <= window) {
                in.error("history", "the trailing span (" + Durations.format(span) + ") must be longer than the window ("
                        + Durations.format(window) + ")");
            } else if (span % window != 0) {
                in.error("history", "the trailing span must be a whole number of windows (" + Durations.format(window) + ")");
            } else if (span / window > MAX_WINDOWS) {
                in.error("history", "the trailing span holds " + span / window + " windows of " + Durations.format(window)
                        + "; at most " + MAX_WINDOWS + " (a longer window, or a shorter span)");
            } else {
                b.historyMs = span;
                b.windowMs = window;
            }
        } else {
            in.error("history", "unknown history '" + h + "'; write 'trailing 7d' (median of the trailing span's windows)"
                    + " or 'same_hour_of_week' (median of that hour over the last weeks: N, default " + DEFAULT_WEEKS + ")");
        }
        if (b.value == BaselineSpec.Value.EVENT_COUNT) {
            in.wholeSeconds("window", (double) b.windowMs);
        }
    }

    /** {@code 7d}, {@code 3w}, {@code 12h}: a duration, or whole weeks. */
    private static Long span(RuleReader in, String field, String text) {
        Matcher w = WEEKS.matcher(text == null ? "" : text.trim());
        if (w.matches()) {
            return Long.parseLong(w.group(1)) * BaselineSpec.WEEK_MS;
        }
        try {
            return Durations.parse(text == null ? "" : text).toMillis();
        } catch (IllegalArgumentException e) {
            in.error(field, "'" + text + "' is not a span; write e.g. 12h, 7d or 4w");
            return null;
        }
    }

    /**
     * {@code above: 2x}, {@code below: 0.5x} or {@code zscore: 3} (one level, at {@code severity},
     * default warning), or {@code warning}/{@code critical} levels with a {@code direction}.
     */
    private static void levels(RuleReader in, Rule r, BaselineSpec b) {
        String above = in.text("above");
        String below = in.text("below");
        String z = in.text("zscore");
        int shorthand = (above != null ? 1 : 0) + (below != null ? 1 : 0) + (z != null ? 1 : 0);
        boolean leveled = in.has("warning") || in.has("critical");
        Severity sev = in.severity();
        String dir = in.text("direction");
        Direction given = null;
        if (dir != null) {
            try {
                given = Direction.valueOf(dir.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                in.error("direction", "'" + dir + "' is not above or below");
            }
        }
        if (shorthand > 1) {
            in.error(above != null ? "above" : "below", "give one of above, below or zscore");
            return;
        }
        if (shorthand == 1 && leveled) {
            in.error("warning", "give above, below or zscore (one level, at severity) or warning and critical levels, not both");
            return;
        }
        if (shorthand == 0 && !leveled) {
            in.error("above", "a baseline rule needs a comparison: above: 2x, below: 0.5x, zscore: 3, or warning/critical levels");
            return;
        }
        if (shorthand == 1) {
            String field = above != null ? "above" : below != null ? "below" : "zscore";
            if ((above != null || below != null) && given != null) {
                in.error("direction", "is said by " + field + " already");
            }
            r.direction = below != null ? Direction.BELOW : above != null ? Direction.ABOVE
                    : given == null ? Direction.ABOVE : given;
            if (z != null && !NUMBER.matcher(z).matches()) {
                in.error("zscore", "'" + z + "' is not a number of robust standard deviations (zscore: 3)");
                return;
            }
            Double level = level(in, field, z != null ? z + "z" : field.equals("above") ? above : below, r.direction, b, null);
            if (sev == Severity.INFO) {
                in.error("severity", "a baseline level is warning or critical");
            } else if (sev == Severity.CRITICAL) {
                r.critical = level;
            } else {
                r.warning = level;
            }
            return;
        }
        if (sev != null) {
            in.error("severity", "comes from the warning and critical levels");
        }
        r.direction = given == null ? Direction.ABOVE : given;
        BaselineSpec.Compare[] first = {null};
        r.warning = in.has("warning") ? level(in, "warning", in.text("warning"), r.direction, b, first) : null;
        r.critical = in.has("critical") ? level(in, "critical", in.text("critical"), r.direction, b, first) : null;
        if (r.warning != null && r.critical != null && !r.direction.breaches(r.critical, r.warning)) {
            in.error("critical", "levels in the wrong order: with direction " + r.direction.name().toLowerCase(Locale.ROOT)
                    + ", critical (" + in.text("critical") + ") must be " + (r.direction == Direction.ABOVE ? "greater" : "less")
                    + " than warning (" + in.text("warning") + ")");
        }
    }

    /**
     * One level: {@code 2x} (ratio), {@code +30s} / {@code -500} (difference, in the value's unit)
     * or {@code 3z} (robust z-score, signed by the direction). {@code first} holds the comparison
     * of an earlier level, which this one must share.
     */
    private static Double level(RuleReader in, String field, String text, Direction dir, BaselineSpec b,
            BaselineSpec.Compare[] first) {
        if (text == null) {
            in.error(field, "must be a single value");
            return null;
        }
        String t = text.trim();
        String side = dir.name().toLowerCase(Locale.ROOT);
        BaselineSpec.Compare c;
        double level;
        if ((t.endsWith("x") || t.endsWith("z")) && NUMBER.matcher(t.substring(0, t.length() - 1).trim()).matches()) {
            double n = Double.parseDouble(t.substring(0, t.length() - 1).trim());
            if (t.endsWith("x")) {
                c = BaselineSpec.Compare.RATIO;
                if (dir == Direction.ABOVE ? n <= 1 : n >= 1) {
                    in.error(field, side + " " + t + " would fire on normal values: a ratio " + side + " the baseline is "
                            + (dir == Direction.ABOVE ? "more" : "less") + " than 1x (e.g. " + (dir == Direction.ABOVE ? "2x" : "0.5x") + ")");
                    return null;
                }
                level = n;
            } else {
                c = BaselineSpec.Compare.ZSCORE;
                if (n <= 0) {
                    in.error(field, "a z-score level is more than 0 (3z: three robust standard deviations " + side + " the median)");
                    return null;
                }
                level = dir == Direction.ABOVE ? n : -n;
            }
        } else if (t.startsWith("+") || t.startsWith("-")) {
            c = BaselineSpec.Compare.DIFFERENCE;
            boolean plus = t.startsWith("+");
            if (plus != (dir == Direction.ABOVE)) {
                in.error(field, side + " the baseline takes a " + (plus ? "negative (-)" : "positive (+)") + " difference, got " + t);
                return null;
            }
            String magnitude = t.substring(1).trim();
            if (b.value == BaselineSpec.Value.RUN_DURATION) {
                try {
                    level = Durations.parse(magnitude).toMillis();
                } catch (IllegalArgumentException e) {
                    in.error(field, "a run_duration difference is a duration: +30s, -5m; got " + t);
                    return null;
                }
            } else if (NUMBER.matcher(magnitude).matches()) {
                level = Double.parseDouble(magnitude);
            } else {
                in.error(field, "a difference is a number: +500, -1000; got " + t);
                return null;
            }
            level = plus ? level : -level;
        } else {
            in.error(field, "'" + t + "' is not a baseline level; write 2x or 0.5x (ratio to the baseline), +30s or -500"
                    + " (difference from it) or 3z (robust z-score)");
            return null;
        }
        if (first != null) {
            if (first[0] != null && first[0] != c) {
                in.error(field, "compares differently from the other level: give both as ratios (2x), differences (+30s) or z-scores (3z)");
                return null;
            }
            first[0] = c;
        }
        b.compare = c;
        return level;
    }

    private static void minHistory(RuleReader in, BaselineSpec b) {
        if (!in.has("min_history")) {
            b.minHistoryMs = b.historyMs; // the whole history: no verdict on a baseline still filling
            return;
        }
        JsonNode n = in.node().get("min_history");
        Matcher points = POINTS.matcher(n.asText().trim());
        if (n.isIntegralNumber() || points.matches()) {
            long p = n.isIntegralNumber() ? n.longValue() : Long.parseLong(points.group(1));
            if (p < 1 || p > b.maxPoints()) {
                in.error("min_history", p + " values: the history holds 1 to " + b.maxPoints() + " ("
                        + (b.history == BaselineSpec.History.SAME_HOUR_OF_WEEK ? "one per week" : "one per window") + ")");
            } else {
                b.minHistoryPoints = (int) p;
            }
            return;
        }
        Long ms = span(in, "min_history", n.asText());
        if (ms == null) {
            return;
        }
        if (ms <= 0) {
            in.error("min_history", "must be longer than 0");
        } else if (b.historyMs > 0 && ms > b.historyMs) {
            in.error("min_history", "(" + n.asText() + ") is longer than the history (" + weeksOrDuration(b.historyMs)
                    + "): the rule could never fire");
        } else {
            b.minHistoryMs = ms;
        }
    }

    private static String weeksOrDuration(long ms) {
        long day = BaselineSpec.WEEK_MS / 7;
        return ms % BaselineSpec.WEEK_MS == 0 ? ms / BaselineSpec.WEEK_MS + "w" : ms % day == 0 ? ms / day + "d" : Durations.format(ms);
    }

    // ---- routing

    @Override
    public void route(Rule rule, Envelope e, List<RuleInput> out) {
        RuleSelector s = rule.selector;
        switch (rule.baseline.value) {
            case METRIC:
                if (e.isValid() && !e.late && e.metric != null && e.metric.name.equals(s.metric)
                        && ThresholdJudge.labelsMatch(s.labels, e.metric.labels)) {
                    out.add(RuleInput.of(rule.id, KeyFamily.METRIC_SERIES.entity(ThresholdJudge.series(e)), e.eventTime,
                            e.metric.value, 0, null));
                }
                return;
            case RUN_DURATION:
                if (e.isValid() && !e.late && e.run != null && RuleSelector.anyMatches(s.jobs, e.run.jobKey())) {
                    out.add(RuleInput.of(rule.id, KeyFamily.JOB.entity(e.run.jobKey()), e.eventTime, 0,
                            e.run.eventType.ordinal(), e.run.runId));
                }
                return;
            case ROWS_WRITTEN:
                if (e.isValid() && !e.late && e.run != null && e.run.eventType == RunEventType.COMPLETE
                        && RuleSelector.anyMatches(s.jobs, e.run.jobKey())) {
                    for (Dataset d : e.run.outputs) {
                        if (d.rowCount != null && RuleSelector.anyMatches(s.datasets, d.qualifiedName())) {
                            out.add(RuleInput.of(rule.id, KeyFamily.DATASET.entity(d.qualifiedName()), e.eventTime,
                                    d.rowCount, 0, null));
                        }
                    }
                }
                return;
            default:
                // a second's summary of the source: its valid records
                out.add(RuleInput.of(rule.id, KeyFamily.SOURCE.entity(e.source), e.counts.last,
                        e.counts.total - e.counts.bad, COUNT, null));
        }
    }

    // ---- state

    @Override
    public KindJudge open(KeyedStateStore ctx) {
        BaselineJudge j = new BaselineJudge();
        j.history = ctx.getMapState(RuleStates.BASELINE_HISTORY);
        j.track = ctx.getState(RuleStates.BASELINE_TRACK);
        j.runStarts = ctx.getMapState(RuleStates.RUN_STARTS);
        j.held = new HeldInputs(ctx, SAME_TIME);
        return j;
    }

    @Override
    public boolean hold(RuleInput in, TimerService timers) throws Exception {
        if (in.code == COUNT) {
            return false; // counts go to their window at once
        }
        return held.hold(in, timers);
    }

    @Override
    public List<RuleInput> release(long ts) throws Exception {
        return held.release(ts);
    }

    @Override
    public void onElement(Evaluation ev, RuleInput in) throws Exception {
        BaselineSpec b = ev.rule.baseline;
        if (b.value == BaselineSpec.Value.EVENT_COUNT) {
            count(ev, in);
            return;
        }
        double v = in.value;
        if (b.value == BaselineSpec.Value.RUN_DURATION) {
            switch (RunEventType.values()[in.code]) {
                case START:
                case RUNNING:
                    if (!runStarts.contains(in.text)) {
                        runStarts.put(in.text, in.eventTime);
                    }
                    return;
                case COMPLETE:
                    Long start = runStarts.get(in.text);
                    runStarts.remove(in.text);
                    if (start == null) {
                        return;
                    }
                    v = in.eventTime - start;
                    break;
                case FAIL:
                case ABORT:
                    runStarts.remove(in.text); // a failed run's duration says nothing of the normal one
                    return;
                default:
                    return;
            }
        }
        BaselineTrack tr = loadTrack();
        long w = b.windowOf(in.eventTime);
        judge(ev, tr, baseline(b, tr, w), in.eventTime, v, w);
        add(b, tr, w, 1, v);
        track.update(tr);
    }

    /** event_count: a second's valid records go to their window, judged at its end. */
    private void count(Evaluation ev, RuleInput in) throws Exception {
        BaselineSpec b = ev.rule.baseline;
        BaselineTrack tr = loadTrack();
        long w = b.windowOf(in.eventTime);
        if (w + b.windowMs <= tr.judgedTo) {
            return; // its window was judged already
        }
        add(b, tr, w, in.value, 0);
        track.update(tr);
        ev.timers().registerEventTimeTimer(w + b.windowMs);
    }

    @Override
    public void onTimer(Evaluation ev, long ts) throws Exception {
        BaselineSpec b = ev.rule.baseline;
        if (b.value != BaselineSpec.Value.EVENT_COUNT || Math.floorMod(ts, b.windowMs) != 0) {
            return;
        }
        BaselineTrack tr = track.value();
        if (tr == null || ts <= tr.judgedTo) {
            return;
        }
        long w = ts - b.windowMs;
        double[] x = history.get(w);
        if (x == null && !(ts == tr.judgedTo + b.windowMs && chained(b, tr))) {
            return; // a lifecycle deadline, not a window end of this source
        }
        if (x == null) {
            add(b, tr, w, 0, 0); // a window without records counts 0 in the history
            x = history.get(w);
        }
        judge(ev, tr, baseline(b, tr, w), ts, x[0], w);
        tr.judgedTo = ts;
        track.update(tr);
        if (chained(b, tr)) {
            ev.timers().registerEventTimeTimer(ts + b.windowMs);
        }
    }

    /** Empty windows are judged (as 0) while the source had records within the history span. */
    private static boolean chained(BaselineSpec b, BaselineTrack tr) {
        return tr.lastData != Long.MIN_VALUE && tr.lastData + b.historyMs >= tr.judgedTo;
    }

    private BaselineTrack loadTrack() throws Exception {
        BaselineTrack tr = track.value();
        return tr == null ? new BaselineTrack() : tr;
    }

    /** Adds {@code n} values summing to {@code sum} to window {@code w}; a new window drops the ones out of the history. */
    private void add(BaselineSpec b, BaselineTrack tr, long w, double n, double sum) throws Exception {
        double[] x = history.get(w);
        boolean fresh = x == null;
        x = fresh ? new double[3] : x;
        x[0] += n;
        x[1] += sum;
        x[2] += n == 1 ? sum * sum : 0; // a sample's square; counts have no spread within a window
        history.put(w, x);
        if (n > 0) {
            tr.firstSeen = tr.firstSeen == Long.MIN_VALUE ? w : Math.min(tr.firstSeen, w);
            tr.lastData = Math.max(tr.lastData, w);
        }
        if (w < tr.cachedWindow) {
            tr.cachedWindow = Long.MIN_VALUE; // a late value in the cached baseline's history
        }
        if (fresh) {
            long cut = w - b.historyMs;
            for (Iterator<Map.Entry<Long, double[]>> it = history.iterator(); it.hasNext(); ) {
                if (it.next().getKey() < cut) {
                    it.remove();
                }
            }
            for (Iterator<Map.Entry<String, Long>> it = runStarts.iterator(); it.hasNext(); ) {
                if (it.next().getValue() < cut) {
                    it.remove(); // a run open for the whole history never ends
                }
            }
        }
    }

    /** The baseline of window {@code w}: from the windows before it, cached until the window changes. */
    private BaselineStats baseline(BaselineSpec b, BaselineTrack tr, long w) throws Exception {
        if (tr.cachedWindow != w) {
            double[] values = new double[b.maxPoints()];
            double[] variances = new double[b.maxPoints()];
            int n = 0;
            int nv = 0;
            if (b.history == BaselineSpec.History.SAME_HOUR_OF_WEEK) {
                for (int k = 1; k <= b.weeks; k++) {
                    double[] x = history.get(w - k * BaselineSpec.WEEK_MS);
                    if (x != null) {
                        values[n++] = valueOf(b, x);
                        nv = variance(b, x, variances, nv);
                    }
                }
            } else {
                for (Map.Entry<Long, double[]> e : history.entries()) {
                    if (e.getKey() >= w - b.historyMs && e.getKey() < w && n < values.length) {
                        values[n++] = valueOf(b, e.getValue());
                        nv = variance(b, e.getValue(), variances, nv);
                    }
                }
            }
            BaselineStats s = BaselineStats.of(values, n);
            if (s != null && nv > 0) {
                s = s.withinWindows(BaselineStats.median(Arrays.copyOf(variances, nv)));
            }
            tr.cachedWindow = w;
            tr.cachedPoints = n;
            tr.cachedMedian = s == null ? 0 : s.median;
            tr.cachedScale = s == null ? 0 : s.scale;
        }
        return tr.cachedPoints == 0 ? null : new BaselineStats(tr.cachedMedian, tr.cachedScale, tr.cachedPoints);
    }

    /** Adds the variance of a window's samples (two or more) to {@code into}; the new count. */
    private static int variance(BaselineSpec b, double[] x, double[] into, int n) {
        if (b.value == BaselineSpec.Value.EVENT_COUNT || x[0] < 2) {
            return n;
        }
        into[n] = Math.max(0, (x[2] - x[1] * x[1] / x[0]) / (x[0] - 1));
        return n + 1;
    }

    /** A window's value: its count of events, or the mean of its samples. */
    private static double valueOf(BaselineSpec b, double[] x) {
        return b.value == BaselineSpec.Value.EVENT_COUNT ? x[0] : x[1] / x[0];
    }

    /** Judges {@code v} of window {@code w} at {@code at} against {@code base}; no verdict before min_history. */
    private static void judge(Evaluation ev, BaselineTrack tr, BaselineStats base, long at, double v, long w)
            throws Exception {
        Rule rule = ev.rule;
        BaselineSpec b = rule.baseline;
        String what = ev.entity + ": " + name(b) + " " + show(b, v);
        boolean enough = base != null && (b.minHistoryPoints > 0 ? base.points >= b.minHistoryPoints
                : tr.firstSeen != Long.MIN_VALUE && w - tr.firstSeen >= b.minHistoryMs);
        if (!enough) {
            ev.observe(0, null, at, what + ": baseline still filling (" + (base == null ? 0 : base.points) + " values; min_history "
                    + (b.minHistoryPoints > 0 ? b.minHistoryPoints + " values" : weeksOrDuration(b.minHistoryMs)) + ")");
            return;
        }
        double stat = base.compare(b.compare, v);
        Severity s = rule.severityOf(stat);
        ev.observe(stat, s, at, what + " vs baseline " + show(b, base.median) + " (" + measure(b, stat) + ", "
                + source(b) + ")" + (s == null ? "" : " (" + s.wire() + ": " + rule.direction.name().toLowerCase(Locale.ROOT)
                + " " + measure(b, rule.threshold(s)) + ")"));
    }

    private static String name(BaselineSpec b) {
        switch (b.value) {
            case RUN_DURATION:
                return "run duration";
            case ROWS_WRITTEN:
                return "rows written";
            case EVENT_COUNT:
                return "events in " + Durations.format(b.windowMs);
            default:
                return "value";
        }
    }

    private static String source(BaselineSpec b) {
        return b.history == BaselineSpec.History.SAME_HOUR_OF_WEEK ? "same hour of week, " + b.weeks + "w"
                : "trailing " + weeksOrDuration(b.historyMs) + " median";
    }

    /** A comparison as the rule writes it: 2.1x, +1,640 s, 4.2z. */
    static String measure(BaselineSpec b, double stat) {
        switch (b.compare) {
            case RATIO:
                return RuleText.fmt(Math.round(stat * 100) / 100.0) + "x";
            case ZSCORE:
                return RuleText.fmt(Math.round(Math.abs(stat) * 10) / 10.0) + "z";
            default:
                return (stat >= 0 ? "+" : "-") + show(b, Math.abs(stat));
        }
    }

    /** A value in its unit, with thousands separators: 3,120 s, 1,480,000. */
    static String show(BaselineSpec b, double v) {
        if (b.value == BaselineSpec.Value.RUN_DURATION) {
            return String.format(Locale.ROOT, "%,d s", Math.round(v / 1000));
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return RuleText.fmt(v);
    }

    @Override
    public boolean needsTimerAt(Rule rule, long ts) throws Exception {
        if (held.contains(ts)) {
            return true;
        }
        BaselineSpec b = rule.baseline;
        if (b == null || b.value != BaselineSpec.Value.EVENT_COUNT || Math.floorMod(ts, b.windowMs) != 0) {
            return false;
        }
        BaselineTrack tr = track.value();
        return tr != null && ts > tr.judgedTo
                && (history.contains(ts - b.windowMs) || (ts == tr.judgedTo + b.windowMs && chained(b, tr)));
    }

    @Override
    public boolean holdsState() throws Exception {
        return track.value() != null || !history.isEmpty() || !runStarts.isEmpty() || !held.isEmpty();
    }

    @Override
    public void clear(Rule rule, TimerService timers) throws Exception {
        BaselineTrack tr = track.value();
        if (rule != null && rule.baseline != null && rule.baseline.value == BaselineSpec.Value.EVENT_COUNT && tr != null) {
            long w = rule.baseline.windowMs;
            for (long k : history.keys()) {
                if (k + w > tr.judgedTo) {
                    timers.deleteEventTimeTimer(k + w);
                }
            }
            timers.deleteEventTimeTimer(tr.judgedTo + w);
        }
        if (rule == null) {
            held.clear(timers); // retired with a rule kept: samples held are later, and judged as a new entity's
        }
        history.clear();
        runStarts.clear();
        track.clear();
    }
}
