package io.vigil.source.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/** Writes one Vigil metric sample as the {@code metrics} format's JSON line: name, value, time (epoch ms), labels. */
public final class SampleLine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SampleLine() {}

    /** Null for a value JSON cannot carry (NaN, infinities): such a point gives no sample. */
    public static String of(String name, double value, long timeMs, Map<String, String> labels) {
        if (!Double.isFinite(value)) {
            return null;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("name", name);
        n.put("value", value);
        n.put("time", timeMs);
        if (labels != null && !labels.isEmpty()) {
            ObjectNode l = n.putObject("labels");
            new TreeMap<>(labels).forEach(l::put);
        }
        return n.toString();
    }
}
