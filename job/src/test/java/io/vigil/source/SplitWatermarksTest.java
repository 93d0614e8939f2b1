package io.vigil.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.EventTimePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.junit.jupiter.api.Test;

/**
 * One shard's watermark as the Kinesis source makes it (the input's strategy: payload time, then
 * the per-split generator): a record whose event time runs ahead of its arrival does not move it.
 */
class SplitWatermarksTest {
    private static final long T = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final long BOUND = 30_000;

    private static RawRecord shardRecord(long eventMs, long arrivalMs, int seq) {
        String text = "{\"time\":" + eventMs / 1000 + ",\"source_user\":\"U1@D\",\"destination_user\":\"U1@D\","
                + "\"source_computer\":\"C1\",\"destination_computer\":\"C2\",\"auth_type\":\"NTLM\","
                + "\"logon_type\":\"Network\",\"auth_orientation\":\"LogOn\",\"success\":\"Success\"}";
        return RawRecord.received("auth", InputFormat.AUTH_JSON, text.getBytes(StandardCharsets.UTF_8), arrivalMs,
                "shardId-000000000000:" + seq);
    }

    /** Runs records through one split's assigner and generator; returns each periodic watermark. */
    private static List<Long> watermarks(EventTimePolicy policy, List<RawRecord> records) {
        WatermarkStrategy<RawRecord> s = SplitWatermarks.strategy(policy);
        TimestampAssigner<RawRecord> assigner = s.createTimestampAssigner(null);
        WatermarkGenerator<RawRecord> split = s.createWatermarkGenerator(null);
        CollectedWatermarks out = new CollectedWatermarks();
        List<Long> emitted = out.emitted;
        for (RawRecord r : records) {
            split.onEvent(r, assigner.extractTimestamp(r, r.receivedAt), out);
            split.onPeriodicEmit(out);
        }
        return emitted;
    }

    @Test
    void oneRecordTwelveHoursAheadOfItsArrivalDoesNotMoveTheShardsWatermark() {
        List<RawRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long event = T + i * 1000L;
            boolean skewed = i == 10;
            records.add(shardRecord(skewed ? event + 12 * 3_600_000L : event, event + 200, i));
        }
        List<Long> wm = watermarks(EventTimePolicy.replay(Duration.ofMillis(BOUND)), records);
        assertThat(wm).hasSize(20).isSorted();
        assertThat(wm.get(10)).as("the skewed record's turn").isEqualTo(wm.get(9));
        assertThat(wm.get(19)).isEqualTo(T + 19_000L - BOUND - 1);
    }

    @Test
    void withinTheBoundAProducerAheadOfArrivalStillCounts() {
        List<RawRecord> records = List.of(shardRecord(T, T, 0), shardRecord(T + 240_000, T + 1000, 1));
        assertThat(watermarks(EventTimePolicy.replay(Duration.ofMillis(BOUND)), records))
                .containsExactly(T - BOUND - 1, T + 240_000 - BOUND - 1);
        // a tighter bound refuses it
        assertThat(watermarks(EventTimePolicy.replay(Duration.ofMillis(BOUND)).withFutureBound(Duration.ofMinutes(1), 5),
                records)).containsExactly(T - BOUND - 1, T - BOUND - 1);
    }
}
