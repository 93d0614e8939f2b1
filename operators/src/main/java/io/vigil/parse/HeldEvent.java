package io.vigil.parse;

import io.vigil.model.Envelope;
import io.vigil.model.RawRecord;

/**
 * Replay: a valid event whose time ran more than max-ahead past its source's clock, held (and
 * checkpointed) until the records after it confirm the jump or refute it.
 */
public class HeldEvent {
    /** As received: the payload a FUTURE_TIME dead letter keeps. */
    public RawRecord raw;
    public Envelope event;
    /** Records accepted at the source's clock since this one came: each says the jump did not happen. */
    public int against;

    public HeldEvent() {}

    HeldEvent(RawRecord raw, Envelope event) {
        this.raw = raw;
        this.event = event;
    }
}
