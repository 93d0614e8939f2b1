package io.vigil.parse;

import io.vigil.model.DeadLetter;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns a raw record into an envelope: a typed, validated event, or a dead letter that keeps the
 * original payload and says why. Never throws for any input. Not thread-safe (one per operator).
 */
public class RecordDecoder {
    /** How far ahead of the wall clock an event time may be before it is refused. */
    public static final long MAX_FUTURE_MS = 24L * 3600 * 1000;

    private final Map<InputFormat, RecordParser> parsers = new EnumMap<>(InputFormat.class);
    private final LongSupplier clock;
    /** Checks github-actions records' X-Hub-Signature-256; null: they are not checked. */
    private WebhookSignature github;
    private final CharsetDecoder utf8 =
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);

    public RecordDecoder() {
        this(System::currentTimeMillis);
    }

    /** @param clock wall clock in epoch ms, for the "not more than a day in the future" check */
    public RecordDecoder(LongSupplier clock) {
        this.clock = clock;
        parsers.put(InputFormat.OPENLINEAGE, new OpenLineageParser());
        parsers.put(InputFormat.METRICS, new MetricSampleParser());
        parsers.put(InputFormat.LANL_AUTH, new LanlAuthParser());
        parsers.put(InputFormat.AUTH_JSON, new AuthJsonParser());
        parsers.put(InputFormat.REES46, new Rees46Parser());
        parsers.put(InputFormat.COMMERCE_JSON, new CommerceJsonParser());
        parsers.put(InputFormat.GITHUB_ACTIONS, new GitHubActionsParser());
        parsers.put(InputFormat.EVENTBRIDGE, new EventBridgeParser());
        parsers.put(InputFormat.DATABRICKS_CLUSTER_EVENTS, new DatabricksClusterEventParser());
        parsers.put(InputFormat.PIP_AUDIT, new PipAuditParser());
    }

    /**
     * From now on a github-actions record must be a signed request ({@code headers} with
     * X-Hub-Signature-256, {@code body} as sent): else it is a BAD_SIGNATURE dead letter.
     */
    public void verifyGitHubWith(WebhookSignature signature) {
        this.github = signature;
    }

    /**
     * Decodes one record. Returns null only for text that is not a record (a CSV header). A dead
     * letter's envelope carries its own event time when it had a usable one, else
     * {@link InvalidRecordException#NO_TIME}; the caller decides where it counts.
     */
    public Envelope decode(RawRecord raw) {
        if (raw.truncated()) {
            return deadLetter(raw, textOrBase64(raw.payload), ReasonCode.TOO_LARGE,
                    "record of " + raw.size + " bytes exceeds the " + RawRecord.MAX_PAYLOAD_BYTES
                            + "-byte limit; payload truncated", InvalidRecordException.NO_TIME);
        }
        String text;
        try {
            text = decodeUtf8(raw.payload);
        } catch (CharacterCodingException e) {
            return deadLetter(raw, null, ReasonCode.BAD_ENCODING, "payload is not valid UTF-8",
                    InvalidRecordException.NO_TIME);
        }
        String content = trim(text);
        if (content.isEmpty()) {
            return deadLetter(raw, text, ReasonCode.EMPTY, "empty record", InvalidRecordException.NO_TIME);
        }
        try {
            if (github != null && raw.format == InputFormat.GITHUB_ACTIONS) {
                content = verified(content);
            }
            Envelope env = parsers.get(raw.format).parse(raw.source, content, raw.receivedAt);
            if (env == null) {
                return null;
            }
            EventTimes.checkBounds("event time", env.eventTime, clock.getAsLong(), MAX_FUTURE_MS);
            return env;
        } catch (InvalidRecordException e) {
            long own = e.eventTime();
            if (own != InvalidRecordException.NO_TIME && !withinBounds(own)) {
                own = InvalidRecordException.NO_TIME;
            }
            return deadLetter(raw, text, e.reason(), e.detail(), own);
        } catch (RuntimeException e) {
            // A parser bug must not take the job down with it: the record is kept for a re-run.
            return deadLetter(raw, text, parseFailure(raw.format),
                    "parser error: " + e, InvalidRecordException.NO_TIME);
        }
    }

    /**
     * The request record if its signature signs its body, with a base64 body decoded; an unsigned
     * shape (a bare payload, a body already parsed into an object) cannot be checked: BAD_SIGNATURE.
     */
    private String verified(String content) throws InvalidRecordException {
        byte[] body;
        try {
            body = github.verifiedBody(content.getBytes(StandardCharsets.UTF_8));
        } catch (InvalidRecordException e) {
            if (e.reason() == ReasonCode.MISSING_FIELD) {
                throw new InvalidRecordException(ReasonCode.BAD_SIGNATURE, "unsigned: with github.secret set, a record "
                        + "must be the request, {\"headers\": {...}, \"body\": \"<the body as sent>\"}");
            }
            throw e;
        }
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) JsonFields.parseObject(content);
        if (!root.path("isBase64Encoded").asBoolean(false)) {
            return content;
        }
        root.put("body", new String(body, StandardCharsets.UTF_8));
        root.remove("isBase64Encoded");
        return root.toString();
    }

    private boolean withinBounds(long t) {
        return t >= 0 && t <= clock.getAsLong() + MAX_FUTURE_MS;
    }

    /**
     * A dead letter for a record that parsed but is refused later (its time runs ahead), payload
     * kept as received, counting at {@code countsAt}.
     */
    static Envelope refused(RawRecord raw, ReasonCode reason, String detail, long countsAt) {
        String text = raw.truncated() ? null : new String(raw.payload, StandardCharsets.UTF_8);
        return deadLetter(raw, text, reason, detail, countsAt);
    }

    private static ReasonCode parseFailure(InputFormat format) {
        return format == InputFormat.LANL_AUTH || format == InputFormat.REES46
                ? ReasonCode.MALFORMED_CSV
                : ReasonCode.MALFORMED_JSON;
    }

    /** Strips one leading byte-order mark and the line terminator; keeps inner whitespace. */
    private static String trim(String s) {
        int start = !s.isEmpty() && s.charAt(0) == '\uFEFF' ? 1 : 0;
        int end = s.length();
        while (end > start) {
            char c = s.charAt(end - 1);
            if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
                end--;
            } else {
                break;
            }
        }
        if (start == 0 && end == s.length()) {
            return s;
        }
        String t = s.substring(start, end);
        return t.isBlank() ? "" : t;
    }

    private String decodeUtf8(byte[] b) throws CharacterCodingException {
        boolean ascii = true;
        for (byte x : b) {
            if (x < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            // pure ASCII: skip the decoder, the common case by far
            return new String(b, StandardCharsets.ISO_8859_1);
        }
        CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(b));
        return chars.toString();
    }

    /** Truncated payloads may end inside a multi-byte character; keep them as text if they decode. */
    private String textOrBase64(byte[] b) {
        try {
            return decodeUtf8(b);
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Envelope deadLetter(
            RawRecord raw, String text, ReasonCode reason, String detail, long ownTime) {
        DeadLetter d = new DeadLetter();
        d.source = raw.source;
        d.format = raw.format;
        d.receivedAt = raw.receivedAt;
        d.reason = reason;
        d.detail = Snippets.wellFormed(detail); // the dead-letter outputs write UTF-8
        if (text != null) {
            d.payload = text;
            d.payloadEncoding = "utf8";
        } else {
            d.payload = Base64.getEncoder().encodeToString(raw.payload);
            d.payloadEncoding = "base64";
        }
        d.payloadTruncated = raw.truncated();
        d.payloadBytes = raw.size;
        d.origin = raw.origin;
        return Envelope.of(d, ownTime);
    }
}
