package io.vigil.source;

import io.vigil.model.Envelope;
import io.vigil.model.RawRecord;
import io.vigil.parse.EventTimePolicy;
import io.vigil.parse.RecordDecoder;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Event-time watermarks made inside a FLIP-27 source, one generator per split (a Kinesis shard),
 * each with its own idleness: the source emits the least of its splits' watermarks.
 *
 * <p>Event time is in the payload, so the source's timestamp assigner decodes each record once
 * more with the parser's own decoder (a Kinesis shard delivers at most 1,000 records/s, so the
 * second decode costs a few ms per shard-second). As after parsing, only valid events move the
 * watermark. After the parse step {@link EventTimeStamp} sets each envelope's timestamp and lets
 * these watermarks through, where {@code assignTimestampsAndWatermarks} would replace them.
 *
 * <p>An event time more than the policy's max-ahead past the record's arrival (the shard's
 * approximate arrival time) counts as no time, as the parse step refuses it as FUTURE_TIME: one
 * record from a skewed clock cannot move its shard's watermark.
 */
public final class SplitWatermarks {
    /** The timestamp of a record with no valid event time: it does not move its split's watermark. */
    static final long NO_TIME = Long.MIN_VALUE;

    private SplitWatermarks() {}

    public static WatermarkStrategy<RawRecord> strategy(EventTimePolicy policy) {
        long bound = policy.outOfOrderness().toMillis();
        WatermarkStrategy<RawRecord> s = WatermarkStrategy
                .<RawRecord>forGenerator(ctx -> new PerSplit(bound))
                .withTimestampAssigner(ctx -> new PayloadTime(policy.maxAhead().toMillis()));
        return policy.idleness() == null ? s : s.withIdleness(policy.idleness());
    }

    /** A record's event time as the parse step will see it; one instance per source reader. */
    static final class PayloadTime implements TimestampAssigner<RawRecord> {
        private final RecordDecoder decoder = new RecordDecoder();
        private final long maxAheadMs;

        PayloadTime(long maxAheadMs) {
            this.maxAheadMs = maxAheadMs;
        }

        @Override
        public long extractTimestamp(RawRecord record, long arrival) {
            Envelope e = decoder.decode(record);
            if (e == null || !e.isValid()
                    || EventTimePolicy.aheadOfArrival(e.eventTime, record.receivedAt, maxAheadMs)) {
                return NO_TIME;
            }
            return e.eventTime;
        }
    }

    /** Bounded out-of-orderness over one split's valid events. */
    static final class PerSplit implements WatermarkGenerator<RawRecord> {
        private final long bound;
        private long max;

        PerSplit(long bound) {
            this.bound = bound;
            this.max = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(RawRecord event, long timestamp, WatermarkOutput output) {
            if (timestamp != NO_TIME) {
                max = Math.max(max, timestamp);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(max - bound - 1));
        }
    }

    /** Stamps each envelope with its event time and forwards the upstream watermarks unchanged. */
    public static final class EventTimeStamp extends AbstractStreamOperator<Envelope>
            implements OneInputStreamOperator<Envelope, Envelope> {
        private static final long serialVersionUID = 1L;

        public EventTimeStamp() {
            this.chainingStrategy = ChainingStrategy.ALWAYS;
        }

        @Override
        public void processElement(StreamRecord<Envelope> element) {
            output.collect(element.replace(element.getValue(), element.getValue().eventTime));
        }
    }
}
