package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import io.vigil.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per way a record can be refused; together the rows trigger every reason code. */
class ReasonCodeTableTest {
    private static final long NOW = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();
    private static final Set<ReasonCode> SEEN = EnumSet.noneOf(ReasonCode.class);

    private static final String LANL_OK = "1,U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn,Success";
    private static final String REES_OK =
            "2019-10-01 00:00:00 UTC,view,1,2,electronics.phone,apple,10.5,3,sess";
    private static final String OL_OK =
            "{\"eventType\":\"COMPLETE\",\"eventTime\":\"2026-11-02T10:00:00Z\",\"run\":{\"runId\":\"r1\"},\"job\":{\"namespace\":\"ns\",\"name\":\"j\"}}";

    static Stream<Arguments> rows() {
        return Stream.of(
                // MALFORMED_JSON
                row(InputFormat.OPENLINEAGE, "{\"eventType\":", ReasonCode.MALFORMED_JSON),
                row(InputFormat.METRICS, "[1,2,3]", ReasonCode.MALFORMED_JSON),
                row(InputFormat.AUTH_JSON, "not json at all", ReasonCode.MALFORMED_JSON),
                row(InputFormat.COMMERCE_JSON, "{\"a\":1} {\"b\":2}", ReasonCode.MALFORMED_JSON),
                row(InputFormat.METRICS, "{\"name\":\"x\",\"value\":NaN,\"time\":1}", ReasonCode.MALFORMED_JSON),
                row(InputFormat.METRICS, "{\"name\":\"x\",\"name\":\"y\",\"value\":1,\"time\":1}", ReasonCode.MALFORMED_JSON),
                // MALFORMED_CSV
                row(InputFormat.LANL_AUTH, "1,U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn", ReasonCode.MALFORMED_CSV),
                row(InputFormat.LANL_AUTH, LANL_OK + ",extra", ReasonCode.MALFORMED_CSV),
                row(InputFormat.REES46, "2019-10-01 00:00:00 UTC,view,1,2,\"unterminated,b,1,3,s", ReasonCode.MALFORMED_CSV),
                row(InputFormat.REES46, REES_OK + ",", ReasonCode.MALFORMED_CSV),
                // MISSING_FIELD
                row(InputFormat.OPENLINEAGE, "{\"eventType\":\"START\",\"eventTime\":\"2026-11-02T10:00:00Z\",\"job\":{\"namespace\":\"ns\",\"name\":\"j\"}}", ReasonCode.MISSING_FIELD),
                row(InputFormat.OPENLINEAGE, OL_OK.replace("\"name\":\"j\"", "\"name\":\"\""), ReasonCode.MISSING_FIELD),
                row(InputFormat.METRICS, "{\"value\":1,\"time\":1}", ReasonCode.MISSING_FIELD),
                row(InputFormat.LANL_AUTH, ",U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn,Success", ReasonCode.MISSING_FIELD),
                row(InputFormat.LANL_AUTH, "1,U1@DOM1,,C1,C2,NTLM,Network,LogOn,Success", ReasonCode.MISSING_FIELD),
                row(InputFormat.REES46, "2019-10-01 00:00:00 UTC,view,1,2,,,10.5,,sess", ReasonCode.MISSING_FIELD),
                row(InputFormat.COMMERCE_JSON, "{\"event_time\":\"2019-10-01 00:00:00 UTC\",\"event_type\":\"view\",\"product_id\":1,\"category_id\":2,\"price\":1}", ReasonCode.MISSING_FIELD),
                row(InputFormat.AUTH_JSON, "{\"time\":1,\"source_user\":\"U1@D\"}", ReasonCode.MISSING_FIELD),
                // BAD_TYPE
                row(InputFormat.METRICS, "{\"name\":\"x\",\"value\":\"high\",\"time\":1}", ReasonCode.BAD_TYPE),
                row(InputFormat.METRICS, "{\"name\":\"x\",\"value\":\"NaN\",\"time\":1}", ReasonCode.BAD_TYPE),
                row(InputFormat.METRICS, "{\"name\":\"x\",\"value\":1,\"time\":1,\"labels\":{\"a\":[1]}}", ReasonCode.BAD_TYPE),
                row(InputFormat.REES46, REES_OK.replace(",10.5,", ",Infinity,"), ReasonCode.BAD_TYPE),
                row(InputFormat.REES46, REES_OK.replace(",3,sess", ",3.5,sess"), ReasonCode.BAD_TYPE),
                row(InputFormat.COMMERCE_JSON, "{\"event_time\":\"2019-10-01 00:00:00 UTC\",\"event_type\":\"view\",\"product_id\":1.5,\"category_id\":2,\"price\":1,\"user_id\":3}", ReasonCode.BAD_TYPE),
                row(InputFormat.OPENLINEAGE, OL_OK.replace("\"runId\":\"r1\"", "\"runId\":42"), ReasonCode.BAD_TYPE),
                row(InputFormat.AUTH_JSON, "{\"time\":1,\"source_user\":7,\"destination_user\":\"U1@D\",\"source_computer\":\"C1\",\"destination_computer\":\"C2\",\"auth_type\":\"?\",\"logon_type\":\"?\",\"auth_orientation\":\"LogOn\",\"success\":\"Fail\"}", ReasonCode.BAD_TYPE),
                // OUT_OF_RANGE
                row(InputFormat.REES46, REES_OK.replace(",10.5,", ",-0.01,"), ReasonCode.OUT_OF_RANGE),
                row(InputFormat.COMMERCE_JSON, "{\"event_time\":\"2019-10-01 00:00:00 UTC\",\"event_type\":\"cart\",\"product_id\":1,\"category_id\":2,\"price\":-3,\"user_id\":3}", ReasonCode.OUT_OF_RANGE),
                // UNKNOWN_VALUE
                row(InputFormat.REES46, REES_OK.replace(",view,", ",refund,"), ReasonCode.UNKNOWN_VALUE),
                row(InputFormat.LANL_AUTH, LANL_OK.replace("Success", "Maybe"), ReasonCode.UNKNOWN_VALUE),
                row(InputFormat.LANL_AUTH, LANL_OK.replace("LogOn", "LogIn"), ReasonCode.UNKNOWN_VALUE),
                row(InputFormat.OPENLINEAGE, OL_OK.replace("COMPLETE", "DONE"), ReasonCode.UNKNOWN_VALUE),
                // BAD_TIMESTAMP
                row(InputFormat.REES46, REES_OK.replace("2019-10-01 00:00:00 UTC", "2019-13-01 00:00:00 UTC"), ReasonCode.BAD_TIMESTAMP),
                row(InputFormat.REES46, REES_OK.replace("2019-10-01 00:00:00 UTC", "yesterday"), ReasonCode.BAD_TIMESTAMP),
                row(InputFormat.REES46, REES_OK.replace("2019-10-01 00:00:00 UTC", "9999-12-31 23:59:59 UTC"), ReasonCode.BAD_TIMESTAMP),
                row(InputFormat.LANL_AUTH, LANL_OK.replaceFirst("^1,", "-5,"), ReasonCode.BAD_TIMESTAMP),
                row(InputFormat.LANL_AUTH, LANL_OK.replaceFirst("^1,", "1.5,"), ReasonCode.BAD_TIMESTAMP),
                row(InputFormat.OPENLINEAGE, OL_OK.replace("2026-11-02T10:00:00Z", "2026-11-02 10:00"), ReasonCode.BAD_TIMESTAMP),
                row(InputFormat.OPENLINEAGE, OL_OK.replace("2026-11-02T10:00:00Z", "2026-11-23T00:00:01Z"), ReasonCode.BAD_TIMESTAMP),
                row(InputFormat.OPENLINEAGE, OL_OK.replace("2026-11-02T10:00:00Z", "1969-12-31T23:59:59Z"), ReasonCode.BAD_TIMESTAMP),
                row(InputFormat.METRICS, "{\"name\":\"x\",\"value\":1,\"time\":true}", ReasonCode.BAD_TIMESTAMP),
                // TOO_LARGE: hostile nesting (truncation is its own test below)
                row(InputFormat.METRICS, "{\"labels\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}", ReasonCode.TOO_LARGE),
                // EMPTY
                row(InputFormat.LANL_AUTH, "", ReasonCode.EMPTY),
                row(InputFormat.OPENLINEAGE, "  \r\n", ReasonCode.EMPTY));
    }

    private static Arguments row(InputFormat f, String payload, ReasonCode expected) {
        return Arguments.of(f, payload, expected);
    }

    private final RecordDecoder decoder = new RecordDecoder(() -> NOW);

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("rows")
    void refusesWithTheRightReasonAndKeepsThePayload(InputFormat f, String payload, ReasonCode expected) {
        Envelope e = decoder.decode(Samples.raw(f, payload));
        assertThat(e).isNotNull();
        assertThat(e.deadLetter).as("expected %s for %s", expected, payload).isNotNull();
        assertThat(e.deadLetter.reason).as(e.deadLetter.detail).isEqualTo(expected);
        assertThat(e.deadLetter.detail).isNotBlank();
        assertThat(e.deadLetter.payload).isEqualTo(payload);
        assertThat(e.deadLetter.payloadEncoding).isEqualTo("utf8");
        assertThat(e.deadLetter.source).isEqualTo("test-" + f.id());
        assertThat(e.family).isEqualTo(f.family());
        SEEN.add(expected);
    }

    @Test
    void invalidUtf8IsKeptAsBase64() {
        byte[] bytes = {'1', ',', (byte) 0xC3, (byte) 0x28, ',', 'x'};
        RawRecord raw = RawRecord.of("s", InputFormat.LANL_AUTH, bytes, 5L, "f:1");
        Envelope e = decoder.decode(raw);
        assertThat(e.deadLetter.reason).isEqualTo(ReasonCode.BAD_ENCODING);
        assertThat(e.deadLetter.payloadEncoding).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(e.deadLetter.payload)).isEqualTo(bytes);
        assertThat(e.deadLetter.origin).isEqualTo("f:1");
        assertThat(e.deadLetter.receivedAt).isEqualTo(5L);
        SEEN.add(ReasonCode.BAD_ENCODING);
    }

    @Test
    void truncatedRecordsAreTooLargeAndFlagged() {
        byte[] head = new byte[RawRecord.MAX_PAYLOAD_BYTES];
        Arrays.fill(head, (byte) 'a');
        RawRecord raw = new RawRecord("s", InputFormat.OPENLINEAGE, head, 10L << 20, 0L, "big.jsonl:1");
        Envelope e = decoder.decode(raw);
        assertThat(e.deadLetter.reason).isEqualTo(ReasonCode.TOO_LARGE);
        assertThat(e.deadLetter.payloadTruncated).isTrue();
        assertThat(e.deadLetter.payloadBytes).isEqualTo(10L << 20);
        assertThat(e.deadLetter.payload).hasSize(RawRecord.MAX_PAYLOAD_BYTES);
        SEEN.add(ReasonCode.TOO_LARGE);
    }

    @Test
    void aDeadLetterWithAUsableTimeKeepsIt() {
        Envelope e = decoder.decode(Samples.raw(InputFormat.REES46, REES_OK.replace(",10.5,", ",-1,")));
        assertThat(e.eventTime).isEqualTo(Instant.parse("2019-10-01T00:00:00Z").toEpochMilli());
        Envelope noTime = decoder.decode(Samples.raw(InputFormat.REES46, "garbage"));
        assertThat(noTime.eventTime).isEqualTo(InvalidRecordException.NO_TIME);
        String bytesOk = new String(REES_OK.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(decoder.decode(Samples.raw(InputFormat.REES46, bytesOk)).isValid()).isTrue();
    }

    /** FUTURE_TIME is decided after decoding, against arrival or the source's clock: by the parse operator. */
    @Test
    void anEventTimeFarAheadOfItsArrivalIsFutureTime() throws Exception {
        long arrival = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
        String ahead = OL_OK.replace("2026-11-02T10:00:00Z", "2026-11-02T22:00:00Z");
        try (org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness<RawRecord, Envelope> h =
                new org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness<>(
                        new ParseOperator(30_000, 300_000, 5, (java.util.function.LongSupplier & java.io.Serializable) () -> NOW))) {
            h.open();
            h.processElement(new org.apache.flink.streaming.runtime.streamrecord.StreamRecord<>(RawRecord.of(
                    "lineage", InputFormat.OPENLINEAGE, ahead.getBytes(StandardCharsets.UTF_8), arrival, "m1")));
            Envelope e = h.extractOutputValues().get(0);
            assertThat(e.deadLetter.reason).isEqualTo(ReasonCode.FUTURE_TIME);
            assertThat(e.deadLetter.payload).isEqualTo(ahead);
            assertThat(e.deadLetter.payloadEncoding).isEqualTo("utf8");
            assertThat(e.deadLetter.detail).contains("12h ahead of its arrival");
        }
        SEEN.add(ReasonCode.FUTURE_TIME);
    }

    @Test
    void aWebhookRequestRecordWithAWrongSignatureIsBadSignature() {
        String record = "{\"headers\":{\"X-Hub-Signature-256\":\"sha256=00\"},\"body\":\"{}\"}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebhookSignature("s").verifiedBody(
                        record.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(ReasonCode.BAD_SIGNATURE));
        SEEN.add(ReasonCode.BAD_SIGNATURE);
    }

    @AfterAll
    static void everyReasonCodeIsTriggered() {
        assertThat(SEEN).containsExactlyInAnyOrder(ReasonCode.values());
    }
}
