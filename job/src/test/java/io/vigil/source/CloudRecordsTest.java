package io.vigil.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.PubsubMessage;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.EventTimePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The cloud sources' record conversion and the per-split watermark pieces, without a cluster. */
class CloudRecordsTest {
    /** Not UTF-8: whatever the bytes, they reach the parse step as they came. */
    private static final byte[] ODD_BYTES = {'{', (byte) 0xC3, (byte) 0x28, 0, '\n', (byte) 0xFF};

    private static List<RawRecord> kinesis(Record r) {
        List<RawRecord> out = new ArrayList<>();
        new KinesisInputs.Records("clicks", InputFormat.COMMERCE_JSON).deserialize(r, "arn", "shardId-000000000001",
                new Collector<RawRecord>() {
                    @Override
                    public void collect(RawRecord record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    @Test
    void aKinesisRecordPassesThroughWithArrivalTimeAndShardAndSequenceAsOrigin() {
        Instant arrival = Instant.parse("2026-11-02T10:00:00.250Z");
        List<RawRecord> out = kinesis(Record.builder().data(SdkBytes.fromByteArray(ODD_BYTES)).partitionKey("k")
                .sequenceNumber("49590338271490256608559692538361571095921575989136588898")
                .approximateArrivalTimestamp(arrival).build());
        assertThat(out).hasSize(1);
        RawRecord r = out.get(0);
        assertThat(r.payload).isEqualTo(ODD_BYTES);
        assertThat(r.size).isEqualTo(ODD_BYTES.length);
        assertThat(r.truncated()).isFalse();
        assertThat(r.receivedAt).isEqualTo(arrival.toEpochMilli());
        assertThat(r.origin).isEqualTo("shardId-000000000001:49590338271490256608559692538361571095921575989136588898");
        assertThat(r.source).isEqualTo("clicks");
        assertThat(r.format).isEqualTo(InputFormat.COMMERCE_JSON);
    }

    @Test
    void anOversizedPayloadIsCutWithItsSizeKept() {
        byte[] big = new byte[RawRecord.MAX_PAYLOAD_BYTES + 10];
        RawRecord r = kinesis(Record.builder().data(SdkBytes.fromByteArray(big)).partitionKey("k").sequenceNumber("1")
                .approximateArrivalTimestamp(Instant.EPOCH).build()).get(0);
        assertThat(r.payload).hasSize(RawRecord.MAX_PAYLOAD_BYTES);
        assertThat(r.size).isEqualTo(big.length);
        assertThat(r.truncated()).isTrue();
    }

    @Test
    void aPubSubMessagePassesThroughWithPublishTimeAndMessageIdAsOrigin() {
        PubsubMessage m = PubsubMessage.newBuilder().setData(ByteString.copyFrom(ODD_BYTES)).setMessageId("1234567")
                .setPublishTime(Timestamp.newBuilder().setSeconds(1793613600).setNanos(125_000_000)).build();
        RawRecord r = new PubSubInputs.Messages("lineage", InputFormat.OPENLINEAGE).deserialize(m);
        assertThat(r.payload).isEqualTo(ODD_BYTES);
        assertThat(r.receivedAt).isEqualTo(1793613600125L);
        assertThat(r.origin).isEqualTo("1234567");
        assertThat(r.source).isEqualTo("lineage");
    }

    @Test
    void credentialErrorsNameTheReferenceNotTheSecret() {
        String secret = "{\"type\":\"service_account\",\"private_key\":\"SECRET-KEY-MATERIAL\"}";
        java.nio.file.Path f;
        try {
            f = java.nio.file.Files.createTempFile("sa", ".json");
            java.nio.file.Files.writeString(f, secret);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            SecretCredentials c = SecretCredentials.of(f.toString(), "https://www.googleapis.com/auth/pubsub", null);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.getRequestMetadata(java.net.URI.create("https://pubsub.googleapis.com/")))
                    .hasMessage("credentials from " + f + " are not a service-account JSON key");
            assertThat(c.toString()).isEqualTo("service-account key from " + f);
        } finally {
            f.toFile().delete();
        }
    }

    @Test
    void theSourcesTimestampIsTheParsedEventTimeAndOnlyValidEventsMoveASplitsWatermark() {
        SplitWatermarks.PayloadTime time = new SplitWatermarks.PayloadTime(300_000);
        long t = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
        RawRecord valid = RawRecord.of("kpi", InputFormat.METRICS,
                "{\"name\":\"m\",\"value\":1,\"time\":\"2026-11-02T10:00:00Z\"}".getBytes(StandardCharsets.UTF_8), t + 5L, "s:1");
        RawRecord broken = RawRecord.of("kpi", InputFormat.METRICS,
                "{\"name\":\"m\",\"time\":\"2030-01-01T00:00:00Z\"".getBytes(StandardCharsets.UTF_8), t + 5L, "s:2");
        assertThat(time.extractTimestamp(valid, 5L)).isEqualTo(t);
        assertThat(time.extractTimestamp(broken, 5L)).isEqualTo(SplitWatermarks.NO_TIME);

        SplitWatermarks.PerSplit split = new SplitWatermarks.PerSplit(30_000);
        CollectedWatermarks out = new CollectedWatermarks();
        List<Long> emitted = out.emitted;
        split.onEvent(valid, t, out);
        split.onEvent(broken, SplitWatermarks.NO_TIME, out);
        split.onPeriodicEmit(out);
        assertThat(emitted).containsExactly(t - 30_000 - 1);
        // and the strategy builds, with idleness, from the input's policy
        assertThat(SplitWatermarks.strategy(new EventTimePolicy(Duration.ofSeconds(30), Duration.ofMinutes(1)))).isNotNull();
    }
}
