package io.vigil.receiver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request body into spool lines. A JSON object becomes one line, whitespace outside
 * strings removed (values kept byte for byte); a JSON array one line per element. A body that is
 * not JSON is kept as one line too, its CR and LF made spaces, so the job dead-letters it with its
 * payload rather than the receiver refusing it.
 */
final class RequestLines {
    private static final JsonFactory JSON = new JsonFactory();

    private RequestLines() {}

    static List<byte[]> of(byte[] body) {
        List<int[]> values = values(body);
        List<byte[]> out = new ArrayList<>();
        if (values == null) {
            out.add(oneLine(body));
            return out;
        }
        for (int[] v : values) {
            out.add(compact(body, v[0], v[1]));
        }
        return out;
    }

    /**
     * A GitHub delivery as one line: {@code {"event":..,"delivery":..,"payload":{..}}}, the payload
     * compacted; a payload that is not a JSON object is kept as a JSON string.
     */
    static byte[] github(String event, String delivery, byte[] body) {
        List<int[]> values = values(body);
        boolean object = values != null && values.size() == 1 && body[values.get(0)[0]] == '{';
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event", event);
            g.writeStringField("delivery", delivery);
            g.writeFieldName("payload");
            if (object) {
                g.writeRawValue(new String(compact(body, values.get(0)[0], values.get(0)[1]), StandardCharsets.UTF_8));
            } else {
                g.writeString(new String(body, StandardCharsets.UTF_8));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        return out.toByteArray();
    }

    /**
     * Byte ranges of the values to spool: the body's one object, or each element of its array;
     * null when the body is not one well-formed JSON object or array.
     */
    private static List<int[]> values(byte[] body) {
        List<int[]> ranges = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                int start = (int) p.getTokenLocation().getByteOffset();
                p.skipChildren();
                ranges.add(new int[] {start, (int) p.getCurrentLocation().getByteOffset()});
            } else if (t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    int start = (int) p.getTokenLocation().getByteOffset();
                    if (t == JsonToken.VALUE_STRING) {
                        p.getText(); // strings are read lazily: read it so the location is past it
                    }
                    p.skipChildren();
                    ranges.add(new int[] {start, (int) p.getCurrentLocation().getByteOffset()});
                }
            } else {
                return null;
            }
            return p.nextToken() == null ? ranges : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code body[from, to)} without whitespace outside strings: valid JSON has no raw control bytes inside them. */
    private static byte[] compact(byte[] body, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        boolean inString = false;
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
                out.write(b);
            } else if (b == '"') {
                inString = true;
                out.write(b);
            } else if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static byte[] oneLine(byte[] body) {
        byte[] line = body.clone();
        for (int i = 0; i < line.length; i++) {
            if (line[i] == '\n' || line[i] == '\r') {
                line[i] = ' ';
            }
        }
        return line;
    }
}
