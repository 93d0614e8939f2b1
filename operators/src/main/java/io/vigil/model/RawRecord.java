package io.vigil.model;

/**
 * One record as a source delivered it, before parsing: bytes plus where and when they came from.
 * Sources cap {@code payload} at {@link #MAX_PAYLOAD_BYTES}; {@code size} keeps the original length.
 */
public class RawRecord {
    /** Payloads larger than this are truncated by the source and dead-lettered as TOO_LARGE. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;

    /** receivedAt of a replayed record: a recording has no arrival clock. */
    public static final long NO_RECEIVE_TIME = Long.MIN_VALUE;

    public String source;
    public InputFormat format;
    public byte[] payload;
    /** Length of the record as received, in bytes; larger than payload.length when truncated. */
    public long size;
    /** Wall-clock arrival in epoch ms, or {@link #NO_RECEIVE_TIME} in replay. */
    public long receivedAt;
    /** Where the record came from, e.g. {@code auth.txt:12} or a shard and sequence number. */
    public String origin;

    public RawRecord() {}

    public RawRecord(
            String source,
            InputFormat format,
            byte[] payload,
            long size,
            long receivedAt,
            String origin) {
        this.source = source;
        this.format = format;
        this.payload = payload;
        this.size = size;
        this.receivedAt = receivedAt;
        this.origin = origin;
    }

    public static RawRecord of(
            String source, InputFormat format, byte[] payload, long receivedAt, String origin) {
        return new RawRecord(source, format, payload, payload.length, receivedAt, origin);
    }

    /**
     * A record as a message broker delivered it: {@code data} kept as is (not copied) up to
     * {@link #MAX_PAYLOAD_BYTES}, cut beyond that with its full size kept.
     */
    public static RawRecord received(String source, InputFormat format, byte[] data, long receivedAt, String origin) {
        byte[] payload = data.length > MAX_PAYLOAD_BYTES ? java.util.Arrays.copyOf(data, MAX_PAYLOAD_BYTES) : data;
        return new RawRecord(source, format, payload, data.length, receivedAt, origin);
    }

    public boolean truncated() {
        return size > payload.length;
    }
}
