package io.vigil.source.poll;

import java.io.Serializable;
import java.util.List;

/**
 * One configured query of a metric service: asked for the samples of a time range, it answers
 * them as Vigil metric-sample JSON lines. Each poller is one split of a {@link PollingSource}.
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

    /** Makes this poller's clients; called on the task manager before the first poll. */
    void open() throws Exception;

    /**
     * The samples of the periods in {@code [startMs, endMs)}, each aligned to {@code stepMs},
     * as metric-sample JSON lines.
     *
     * @throws PollFailure when the service answered with an error or could not be reached
     */
    List<String> poll(long startMs, long endMs, long stepMs) throws PollFailure;

    void close();
}
