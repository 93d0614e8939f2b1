package io.vigil.model;

/** A record that could not be parsed or validated, kept whole with the reason it was refused. */
public class DeadLetter {
    public String source;
    public InputFormat format;
    /** Epoch ms of arrival; in replay, the event-time position the record counts at. */
    public long receivedAt;
    public ReasonCode reason;
    public String detail;
    /** The original record: UTF-8 text, or base64 when the bytes were not valid UTF-8. */
    public String payload;
    /** {@code utf8} or {@code base64}. */
    public String payloadEncoding;
    /** True when the record exceeded {@link RawRecord#MAX_PAYLOAD_BYTES} and was cut. */
    public boolean payloadTruncated;
    /** The record's original size in bytes. */
    public long payloadBytes;
    public String origin;

    public DeadLetter() {}
}
