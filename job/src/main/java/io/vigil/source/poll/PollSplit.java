package io.vigil.source.poll;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One poller's position: the end of the last period emitted, so a restored job polls on from
 * there, neither skipping nor repeating a period. {@link #NOT_STARTED} before the first poll.
 */
public final class PollSplit implements SourceSplit {
    public static final long NOT_STARTED = Long.MIN_VALUE;

    final String id;
    /** The index of its poller in the source's list when created: spreads splits over readers. */
    final int index;
    long nextStart;

    PollSplit(String id, int index, long nextStart) {
        this.id = id;
        this.index = index;
        this.nextStart = nextStart;
    }

    @Override
    public String splitId() {
        return id;
    }

    PollSplit copy() {
        return new PollSplit(id, index, nextStart);
    }

    @Override
    public String toString() {
        return "PollSplit{" + id + ", nextStart=" + nextStart + "}";
    }
}
