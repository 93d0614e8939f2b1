package io.vigil.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vigil.model.ReasonCode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/** Reads typed fields out of a JSON object, turning every mismatch into a reason code. */
public final class JsonFields {
    /** Deep enough for any real facet, shallow enough that hostile nesting is cheap to refuse. */
    static final int MAX_NESTING = 200;

    private static final ObjectReader READER;

    static {
        ObjectMapper mapper =
                JsonMapper.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .build();
        mapper.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
        READER = mapper.reader();
    }

    private JsonFields() {}

    /** Parses a whole payload that must be one JSON object. */
    public static JsonNode parseObject(String text) throws InvalidRecordException {
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (StreamConstraintsException e) {
            throw new InvalidRecordException(ReasonCode.TOO_LARGE, firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(ReasonCode.MALFORMED_JSON, firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InvalidRecordException(ReasonCode.MALFORMED_JSON, firstLine(e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidRecordException(ReasonCode.MALFORMED_JSON, "no JSON value");
        }
        if (!node.isObject()) {
            throw new InvalidRecordException(
                    ReasonCode.MALFORMED_JSON, "expected a JSON object, got " + kind(node));
        }
        // Only an escape (backslash-u) can make half a surrogate pair: decoded UTF-8 never holds one.
        if (text.indexOf("\\u") >= 0) {
            checkText(node, "");
        }
        return node;
    }

    /** Refuses strings and keys holding an unpaired surrogate: text no UTF-8 output can carry. */
    private static void checkText(JsonNode node, String path) throws InvalidRecordException {
        if (node.isTextual()) {
            if (Snippets.firstUnpaired(node.textValue()) >= 0) {
                throw new InvalidRecordException(ReasonCode.BAD_ENCODING,
                        (path.isEmpty() ? "a string" : path) + ": escapes half a surrogate pair, which is no character");
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkText(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (Snippets.firstUnpaired(f.getKey()) >= 0) {
                    throw new InvalidRecordException(ReasonCode.BAD_ENCODING,
                            Snippets.wellFormed(p) + ": a key escapes half a surrogate pair, which is no character");
                }
                checkText(f.getValue(), p);
            }
        }
    }

    public static String requiredText(JsonNode obj, String field, String path)
            throws InvalidRecordException {
        JsonNode v = obj.get(field);
        if (absent(v)) {
            throw missing(path);
        }
        if (!v.isTextual()) {
            throw badType(path, "a string", v);
        }
        String s = v.textValue();
        if (s.isEmpty()) {
            throw missing(path);
        }
        return s;
    }

    /** A string, or null when absent, null or empty. */
    public static String optionalText(JsonNode obj, String field, String path)
            throws InvalidRecordException {
        JsonNode v = obj.get(field);
        if (absent(v)) {
            return null;
        }
        if (!v.isTextual()) {
            throw badType(path, "a string", v);
        }
        return v.textValue().isEmpty() ? null : v.textValue();
    }

    /** A whole number; digit strings are accepted since ids often travel as strings. */
    public static long requiredLong(JsonNode obj, String field, String path)
            throws InvalidRecordException {
        JsonNode v = obj.get(field);
        if (absent(v)) {
            throw missing(path);
        }
        return toLong(v, path);
    }

    public static Long optionalLong(JsonNode obj, String field, String path)
            throws InvalidRecordException {
        JsonNode v = obj.get(field);
        if (absent(v)) {
            return null;
        }
        return toLong(v, path);
    }

    static long toLong(JsonNode v, String path) throws InvalidRecordException {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isTextual()) {
            try {
                return Numbers.parseLong(v.textValue());
            } catch (NumberFormatException e) {
                throw badType(path, "a whole number", v);
            }
        }
        if (v.isFloatingPointNumber() && v.canConvertToExactIntegral() && v.canConvertToLong()) {
            return v.longValue();
        }
        throw badType(path, "a whole number", v);
    }

    /** A finite number; numeric strings accepted, NaN and infinities refused. */
    public static double requiredDouble(JsonNode obj, String field, String path)
            throws InvalidRecordException {
        JsonNode v = obj.get(field);
        if (absent(v)) {
            throw missing(path);
        }
        double d;
        if (v.isNumber()) {
            d = v.doubleValue();
        } else if (v.isTextual()) {
            try {
                d = Numbers.parseDouble(v.textValue());
            } catch (NumberFormatException e) {
                throw badType(path, "a number", v);
            }
        } else {
            throw badType(path, "a number", v);
        }
        if (!Double.isFinite(d)) {
            throw badType(path, "a finite number", v);
        }
        return d;
    }

    public static boolean requiredBoolean(JsonNode obj, String field, String path)
            throws InvalidRecordException {
        JsonNode v = obj.get(field);
        if (absent(v)) {
            throw missing(path);
        }
        if (!v.isBoolean()) {
            throw badType(path, "true or false", v);
        }
        return v.booleanValue();
    }

    /** An object, or null when absent or null. */
    public static JsonNode optionalObject(JsonNode obj, String field, String path)
            throws InvalidRecordException {
        JsonNode v = obj.get(field);
        if (absent(v)) {
            return null;
        }
        if (!v.isObject()) {
            throw badType(path, "an object", v);
        }
        return v;
    }

    public static JsonNode requiredObject(JsonNode obj, String field, String path)
            throws InvalidRecordException {
        JsonNode v = optionalObject(obj, field, path);
        if (v == null) {
            throw missing(path);
        }
        return v;
    }

    /** An array, or null when absent or null. */
    public static JsonNode optionalArray(JsonNode obj, String field, String path)
            throws InvalidRecordException {
        JsonNode v = obj.get(field);
        if (absent(v)) {
            return null;
        }
        if (!v.isArray()) {
            throw badType(path, "an array", v);
        }
        return v;
    }

    static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    static InvalidRecordException missing(String path) {
        return new InvalidRecordException(ReasonCode.MISSING_FIELD, path + " is required");
    }

    static InvalidRecordException badType(String path, String expected, JsonNode got) {
        String shown = got.isValueNode() ? Snippets.clip(got.asText()) : kind(got);
        return new InvalidRecordException(
                ReasonCode.BAD_TYPE, path + ": expected " + expected + ", got " + shown);
    }

    static String kind(JsonNode n) {
        switch (n.getNodeType()) {
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            default:
                return n.getNodeType().name().toLowerCase();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparseable JSON";
        }
        int nl = s.indexOf('\n');
        return Snippets.clip(nl < 0 ? s : s.substring(0, nl));
    }
}
