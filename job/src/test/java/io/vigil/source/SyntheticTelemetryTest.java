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
    @EnumSource(value = InputFormat.class, names = {"OPENLINEAGE", "METRICS", "LANL_AUTH", "AUTH_JSON", "REES46", "COMMERCE_JSON"})
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

    @org.junit.jupiter.api.Test
    void syntheticUsersReachAFewComputersSoFanoutStaysQuiet() throws Exception {
        RecordDecoder decoder = new RecordDecoder(CLOCK);
        SyntheticTelemetry auth = new SyntheticTelemetry("a", InputFormat.LANL_AUTH, 0, 1, CLOCK);
        java.util.Map<String, java.util.Set<String>> reach = new java.util.HashMap<>();
        for (long i = 0; i < 300_000; i++) { // 1000 s at 300/s: more than any 10-minute window
            Envelope e = decoder.decode(auth.map(i));
            reach.computeIfAbsent(e.auth.sourcePrincipal(), k -> new java.util.HashSet<>()).add(e.auth.destinationComputer);
        }
        assertThat(reach.values().stream().mapToInt(java.util.Set::size).max().getAsInt())
                .as("most distinct destinations of one user").isLessThanOrEqualTo(5); // the default fanout rule warns above 20
    }

    @org.junit.jupiter.api.Test
    void incidentsSpikeParAndBreakCommerceInTheirMinuteOfTheCycle() throws Exception {
        RecordDecoder decoder = new RecordDecoder(CLOCK);
        long minute2 = NOW - Math.floorMod(NOW, SyntheticTelemetry.INCIDENT_CYCLE_MS) + 60_000 + 30_000;
        LongSupplier inMinute2 = (LongSupplier & Serializable) () -> minute2;
        SyntheticTelemetry kpi = new SyntheticTelemetry("k", InputFormat.METRICS, 0, 1, inMinute2, true);
        boolean spike = false;
        for (long i = 0; i < 300; i++) {
            Envelope e = decoder.decode(kpi.map(i));
            if (e.metric.name.equals("par_90_pct") && "abaco".equals(e.metric.label("portfolio"))
                    && e.eventTime - Math.floorMod(e.eventTime, 60_000) == minute2 - 30_000) {
                assertThat(e.metric.value).isEqualTo(5.5);
                spike = true;
            }
        }
        assertThat(spike).isTrue();
        long minute4 = NOW - Math.floorMod(NOW, SyntheticTelemetry.BURST_CYCLE_MS) + 3 * 60_000 + 30_000;
        LongSupplier inMinute4 = (LongSupplier & Serializable) () -> minute4;
        SyntheticTelemetry shop = new SyntheticTelemetry("s", InputFormat.REES46, 0, 1, inMinute4, true);
        int bad = 0;
        for (long i = 0; i < 1000; i++) {
            if (!decoder.decode(shop.map(i)).isValid()) {
                bad++;
            }
        }
        assertThat(bad).isBetween(450, 800); // ~70 % (some breakages still parse)
        SyntheticTelemetry quiet = new SyntheticTelemetry("s", InputFormat.REES46, 0, 1, inMinute4, false);
        for (long i = 0; i < 200; i++) {
            assertThat(decoder.decode(quiet.map(i)).isValid()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = InputFormat.class, names = {"OPENLINEAGE", "METRICS", "LANL_AUTH", "AUTH_JSON", "REES46", "COMMERCE_JSON"})
    void anIndexAlwaysGivesTheSameRecord(InputFormat f) throws Exception {
        SyntheticTelemetry g = new SyntheticTelemetry("g", f, 0.01, 7, CLOCK);
        RawRecord a = g.map(123L);
        RawRecord b = g.map(123L);
        assertThat(a.payload).isEqualTo(b.payload);
        assertThat(g.map(124L).payload).isNotEqualTo(a.payload);
    }
}
