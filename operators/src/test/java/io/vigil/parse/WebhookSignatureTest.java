package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    /** GitHub's published example ("Validating webhook deliveries"): secret, payload and signature. */
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNED = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    private final WebhookSignature sig = new WebhookSignature(SECRET);

    @Test
    void githubsPublishedExampleVerifies() {
        assertThat(sig.sign(BODY)).isEqualTo(SIGNED);
        assertThat(sig.verify(BODY, SIGNED)).isTrue();
        assertThat(sig.verify(BODY, SIGNED.toUpperCase().replace("SHA256=", "sha256="))).as("hex in any case").isTrue();
    }

    @Test
    void aWrongMissingOrOtherAlgorithmSignatureFails() {
        assertThat(sig.verify("Hello, World?".getBytes(StandardCharsets.UTF_8), SIGNED)).isFalse();
        assertThat(new WebhookSignature("another").verify(BODY, SIGNED)).isFalse();
        assertThat(sig.verify(BODY, null)).isFalse();
        assertThat(sig.verify(BODY, SIGNED.replace("sha256=", "sha1="))).isFalse();
        assertThat(sig.verify(BODY, SIGNED.substring(0, SIGNED.length() - 2))).isFalse();
    }

    @Test
    void aRequestRecordFromApiGatewayIsVerifiedPlainOrBase64() throws Exception {
        String plain = "{\"headers\":{\"x-hub-signature-256\":\"" + SIGNED + "\",\"X-GitHub-Event\":\"ping\"},"
                + "\"body\":\"Hello, World!\",\"isBase64Encoded\":false}";
        assertThat(sig.verifiedBody(plain.getBytes(StandardCharsets.UTF_8))).isEqualTo(BODY);
        String b64 = "{\"headers\":{\"X-Hub-Signature-256\":\"" + SIGNED + "\"},\"body\":\""
                + Base64.getEncoder().encodeToString(BODY) + "\",\"isBase64Encoded\":true}";
        assertThat(sig.verifiedBody(b64.getBytes(StandardCharsets.UTF_8))).isEqualTo(BODY);
    }

    @Test
    void aBadRequestRecordIsRefusedWithAReason() {
        assertReason("not json", ReasonCode.MALFORMED_JSON);
        assertReason("{\"body\":\"Hello, World!\"}", ReasonCode.MISSING_FIELD);
        assertReason("{\"headers\":{},\"body\":\"Hello, World!\"}", ReasonCode.BAD_SIGNATURE);
        assertReason("{\"headers\":{\"X-Hub-Signature-256\":\"" + SIGNED + "\"},\"body\":\"Hello, World?\"}",
                ReasonCode.BAD_SIGNATURE);
        assertReason("{\"headers\":{},\"body\":\"%%%\",\"isBase64Encoded\":true}", ReasonCode.BAD_ENCODING);
    }

    private void assertReason(String record, ReasonCode reason) {
        assertThatThrownBy(() -> sig.verifiedBody(record.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
