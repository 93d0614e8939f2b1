package io.vigil.parse;

import io.vigil.model.Envelope;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks driven by valid events only: a dead letter may carry any
 * time its producer wrote, and must not be able to push the watermark ahead of real data.
 */
public class ValidEventWatermarks implements WatermarkGenerator<Envelope> {
    private final long boundMs;
    private long maxTimestamp;

    public ValidEventWatermarks(long boundMs) {
        this.boundMs = boundMs;
        this.maxTimestamp = Long.MIN_VALUE + boundMs + 1;
    }

    @Override
    public void onEvent(Envelope event, long eventTimestamp, WatermarkOutput output) {
        if (event.isValid()) {
            maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(maxTimestamp - boundMs - 1));
    }
}
