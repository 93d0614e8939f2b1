package io.vigil.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks GitHub's {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw body with the webhook secret,
 * as {@code sha256=<hex>}), compared in constant time. Used by the local receiver on the request,
 * and by the job on records that came through API Gateway and Kinesis, which carry the request as
 * {@code {"headers":{...},"body":"...","isBase64Encoded":false}} (the API Gateway proxy shape).
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final byte[] secret;

    public WebhookSignature(byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("empty webhook secret");
        }
        this.secret = secret.clone();
    }

    public WebhookSignature(String secret) {
        this(secret == null ? null : secret.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code sha256=<hex>} of {@code body}: what GitHub sends for it. */
    public String sign(byte[] body) {
        byte[] mac = mac(body);
        StringBuilder sb = new StringBuilder(PREFIX.length() + 64).append(PREFIX);
        for (byte b : mac) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** Whether {@code header} (the X-Hub-Signature-256 value; null when missing) signs {@code body}. */
    public boolean verify(byte[] body, String header) {
        if (header == null || !header.startsWith(PREFIX)) {
            return false;
        }
        // constant time over the expected length: no early exit on the first differing byte
        byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = header.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /**
     * The raw body of a record carrying a request ({@code headers}, {@code body},
     * {@code isBase64Encoded}) if its signature header (any case) signs it.
     *
     * @throws InvalidRecordException (MALFORMED_JSON, MISSING_FIELD, BAD_ENCODING, or BAD_SIGNATURE) so the caller can dead-letter the record
     */
    public byte[] verifiedBody(byte[] record) throws InvalidRecordException {
        JsonNode root;
        try {
            root = MAPPER.readTree(record);
        } catch (IOException e) {
            throw new InvalidRecordException(ReasonCode.MALFORMED_JSON, "request record is not JSON");
        }
        if (root == null || !root.isObject() || !root.path("body").isTextual() || !root.path("headers").isObject()) {
            throw new InvalidRecordException(ReasonCode.MISSING_FIELD,
                    "request record needs an object 'headers' and a string 'body'");
        }
        String text = root.get("body").asText();
        byte[] body;
        if (root.path("isBase64Encoded").asBoolean(false)) {
            try {
                body = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidRecordException(ReasonCode.BAD_ENCODING, "body is not base64");
            }
        } else {
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        if (!verify(body, header(root.get("headers"), HEADER))) {
            throw new InvalidRecordException(ReasonCode.BAD_SIGNATURE,
                    HEADER + " missing or does not match the body");
        }
        return body;
    }

    /** A header's value, its name matched in any case (API Gateway keeps the client's case). */
    public static String header(JsonNode headers, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (h.getKey().equalsIgnoreCase(name) && h.getValue().isTextual()) {
                return h.getValue().asText();
            }
        }
        return null;
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature(secret ****)";
    }
}
