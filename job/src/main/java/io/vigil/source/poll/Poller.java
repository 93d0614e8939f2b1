package io.vigil.source.poll;

import io.vigil.model.InputFormat;
import java.io.Serializable;
import java.util.List;

/**
 * One configured query of a metric service: asked for the samples of a time range, it answers
 * them as lines of its {@link #format()} (Vigil metric-sample JSON lines unless it says otherwise). Each poller is one split of a {@link PollingSource}.
 * Serializable with its configuration only: clients are made in {@link #open()} on the task manager.
 */
public interface Poller extends Serializable {
    /** Stable across restarts and unique within its source: the split id its position is kept under. */
    String id();

    /**
     * True when the service can answer a past period (a range query); false when a poll only sees
     * the present (a scrape), so periods missed while the job was down cannot be fetched later.
     */
    boolean replays();

    /** The format of the lines {@link #poll} answers; they are parsed as records of it. */
    default InputFormat format() {
        return InputFormat.METRICS;
    }

    /** Makes this poller's clients; called on the task manager before the first poll. */
    void open() throws Exception;

    /**
     * The samples of the periods in {@code [startMs, endMs)}, each aligned to {@code stepMs},
     * as lines of {@link #format()}.
     *
     * @throws PollFailure when the service answered with an error or could not be reached
     */
    List<String> poll(long startMs, long endMs, long stepMs) throws PollFailure;

    void close();
}
