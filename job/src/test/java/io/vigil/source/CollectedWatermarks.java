package io.vigil.source;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/** A watermark output for generator tests: keeps each emitted watermark's timestamp. */
final class CollectedWatermarks implements WatermarkOutput {
    final List<Long> emitted = new ArrayList<>();

    @Override
    public void emitWatermark(Watermark w) {
        emitted.add(w.getTimestamp());
    }

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}
}
