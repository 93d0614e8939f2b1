package io.vigil.parse;

/** Checkpointed per-source progress of the parse operator: the greatest valid event time seen. */
public class SourceClock {
    public String source;
    public long maxValidTime;

    public SourceClock() {}

    public SourceClock(String source, long maxValidTime) {
        this.source = source;
        this.maxValidTime = maxValidTime;
    }
}
