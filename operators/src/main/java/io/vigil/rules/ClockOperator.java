package io.vigil.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Emits the greatest valid event time seen across all inputs as clock ticks for the broadcast
 * control stream (run with parallelism 1), from the {@link ClockMark}s of each input subtask's
 * {@link ClockDigest}. Ticks are thinned to one per second of event time, but
 * the exact maximum is always emitted before a watermark is forwarded, so an evaluator that has
 * seen watermark W has seen every event time up to the ticks before W: deadlines past the last
 * tick lie beyond the input, and are not fired when a bounded input ends.
 *
 * <p>In replay it also reports gaps: it notes which minutes of event time had valid, non-late data
 * in any input, and when the watermark has passed two consecutive such minutes with more than
 * {@link #GAP_MS} between them, it emits {@link Control#gap} for that span. So that a gap
 * always precedes the watermark that would fire timers inside it, the watermark is forwarded no
 * further than the end of the last data minute it has passed, until the next data minute is
 * passed too (or the input ends). Gaps then follow from the data alone, never from when watermarks
 * happened to come, and replays stay deterministic. Live, where the watermark must not wait for
 * data that may not come, there are no gaps and the watermark passes through.
 */
public class ClockOperator extends AbstractStreamOperator<Control> implements OneInputStreamOperator<ClockMark, Control> {
    private static final long serialVersionUID = 1L;
    private static final long GRANULARITY_MS = 1000;
    /** Data is noted per minute of event time (the start of each minute with data). */
    static final long BUCKET_MS = 60_000;
    /**
     * A span without data longer than this is a gap. An hour: far longer than the pauses between
     * the records of inputs that are running (even sparse ones, such as metrics every few minutes),
     * so those never make gaps; and no longer than any sensible repeat interval (the default is 4h),
     * so a quiet span that is not a gap holds at most one repeat. A repeat_interval under an hour
     * keeps repeating through quiet spans under an hour, as it does without gaps.
     */
    static final long GAP_MS = 3_600_000;
    private static final long NONE = Long.MIN_VALUE;

    private final boolean replay;

    private transient long max;
    private transient long emitted;
    private transient ListState<Long> state;

    /** Replay: data minutes (their starts) after {@link #passed} that the watermark has not reached. */
    private transient TreeSet<Long> ahead;
    /** Replay: the last data minute the watermark has passed, or {@link #NONE}. */
    private transient long passed;
    /** The minute last added to {@link #ahead}: records come mostly in order, most need no lookup. */
    private transient long recent;
    private transient long input;
    private transient long forwarded;
    private transient ListState<Long> aheadState;
    private transient ListState<Long> passedState;

    /** Live: ticks only. */
    public ClockOperator() {
        this(false);
    }

    /** {@code replay}: also gaps, with the watermark held back as described above. */
    public ClockOperator(boolean replay) {
        this.replay = replay;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("clock", Types.LONG));
        max = Long.MIN_VALUE;
        for (Long v : state.get()) {
            max = Math.max(max, v);
        }
        emitted = max;
        aheadState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("clock-ahead", Types.LONG));
        passedState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("clock-passed", Types.LONG));
        ahead = new TreeSet<>();
        for (Long b : aheadState.get()) {
            ahead.add(b);
        }
        passed = NONE;
        for (Long b : passedState.get()) {
            passed = Math.max(passed, b);
        }
        recent = NONE;
        input = Long.MIN_VALUE;
        forwarded = Long.MIN_VALUE;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        state.update(Collections.singletonList(max));
        aheadState.update(new ArrayList<>(ahead));
        passedState.update(passed == NONE ? List.of() : List.of(passed));
    }

    @Override
    public void processElement(StreamRecord<ClockMark> element) {
        ClockMark e = element.getValue();
        if (replay && e.data && e.time > input) {
            long minute = e.time - Math.floorMod(e.time, BUCKET_MS);
            if ((passed == NONE || minute > passed) && minute != recent) {
                ahead.add(minute);
                recent = minute;
            }
        }
        if (e.time <= max) {
            return;
        }
        max = e.time;
        if (emitted == Long.MIN_VALUE || max - emitted >= GRANULARITY_MS) {
            emit();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (max > emitted) {
            emit();
        }
        if (!replay) {
            super.processWatermark(mark);
            return;
        }
        input = mark.getTimestamp();
        // Every record at or before the watermark is in: the data minutes up to it are final.
        while (!ahead.isEmpty() && ahead.first() <= input) {
            long next = ahead.pollFirst();
            if (passed != NONE && next - (passed + BUCKET_MS) > GAP_MS) {
                output.collect(new StreamRecord<>(Control.gap(passed + BUCKET_MS, next)));
            }
            passed = next;
        }
        // Past the last data minute a gap may be starting whose end is not known yet.
        long release = input == Long.MAX_VALUE || passed == NONE ? input : Math.min(input, passed + BUCKET_MS - 1);
        if (release > forwarded) {
            forwarded = release;
            super.processWatermark(new Watermark(release));
        }
    }

    /** Replay: data minutes not yet passed by the watermark (for tests: it must not grow without bound). */
    int minutesAhead() {
        return ahead.size();
    }

    private void emit() {
        emitted = max;
        output.collect(new StreamRecord<>(Control.tick(max)));
    }
}
