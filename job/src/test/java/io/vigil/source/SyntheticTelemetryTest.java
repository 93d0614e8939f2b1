package io.vigil.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.model.RunEventType;
import io.vigil.parse.RecordDecoder;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticTelemetryTest {
    private static final long NOW = 1_795_000_000_000L;
    private static final LongSupplier CLOCK = (LongSupplier & Serializable) () -> NOW;

    @ParameterizedTest
    @EnumSource(InputFormat.class)
    void generatedRecordsParseAndOnlyTheDeliberatelyBrokenOnesAreDeadLettered(InputFormat f) throws Exception {
        RecordDecoder decoder = new RecordDecoder(CLOCK);
        SyntheticTelemetry clean = new SyntheticTelemetry("g", f, 0.0, 42, CLOCK);
        SyntheticTelemetry dirty = new SyntheticTelemetry("g", f, 0.05, 42, CLOCK);
        int n = 4000;
        int dead = 0;
        Map<RunEventType, Integer> runTypes = new EnumMap<>(RunEventType.class);
        for (long i = 0; i < n; i++) {
            Envelope e = decoder.decode(clean.map(i));
            assertThat(e.isValid()).as("%s #%d: %s", f, i, e.deadLetter == null ? "" : e.deadLetter.detail).isTrue();
            assertThat(e.eventTime).isBetween(NOW - 180_000, NOW);
            if (e.run != null) {
                runTypes.merge(e.run.eventType, 1, Integer::sum);
            }
            if (!decoder.decode(dirty.map(i)).isValid()) {
                dead++;
            }
        }
        assertThat(dead).as("broken share of %d", n).isBetween(n / 50, n / 10);
        if (f == InputFormat.OPENLINEAGE) {
            assertThat(runTypes.get(RunEventType.START)).isEqualTo(n / 2);
            assertThat(runTypes.get(RunEventType.FAIL)).isPositive();
            assertThat(runTypes.get(RunEventType.COMPLETE)).isGreaterThan(runTypes.get(RunEventType.FAIL));
        }
    }

    @ParameterizedTest
    @EnumSource(InputFormat.class)
    void anIndexAlwaysGivesTheSameRecord(InputFormat f) throws Exception {
        SyntheticTelemetry g = new SyntheticTelemetry("g", f, 0.01, 7, CLOCK);
        RawRecord a = g.map(123L);
        RawRecord b = g.map(123L);
        assertThat(a.payload).isEqualTo(b.payload);
        assertThat(g.map(124L).payload).isNotEqualTo(a.payload);
    }
}
