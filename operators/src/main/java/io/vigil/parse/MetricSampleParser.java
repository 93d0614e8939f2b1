package io.vigil.parse;

import static io.vigil.parse.JsonFields.optionalObject;
import static io.vigil.parse.JsonFields.requiredDouble;
import static io.vigil.parse.JsonFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.Envelope;
import io.vigil.model.Label;
import io.vigil.model.MetricSample;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/** Metric samples: {@code {"name", "value", "time" (ISO-8601 or epoch ms), "labels"?}}. */
public class MetricSampleParser implements RecordParser {
    @Override
    public Envelope parse(String source, String text) throws InvalidRecordException {
        JsonNode root = JsonFields.parseObject(text);
        MetricSample m = new MetricSample();
        m.time = EventTimes.isoOrEpochMillis(root, "time");
        try {
            m.name = requiredText(root, "name", "name");
            m.value = requiredDouble(root, "value", "value");
            JsonNode labels = optionalObject(root, "labels", "labels");
            if (labels != null && labels.size() > 0) {
                Label[] out = new Label[labels.size()];
                int i = 0;
                Iterator<Map.Entry<String, JsonNode>> it = labels.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> l = it.next();
                    JsonNode v = l.getValue();
                    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
                        throw JsonFields.badType("labels." + l.getKey(), "a string", v);
                    }
                    if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())) {
                        // 1e999 reads as Infinity: no label value anyone wrote
                        throw JsonFields.badType("labels." + l.getKey(), "a finite number", v);
                    }
                    out[i++] = new Label(l.getKey(), v.asText());
                }
                // sorted, so equal label sets compare and key equally whatever the producer's order
                Arrays.sort(out, Comparator.comparing(l -> l.key));
                m.labels = out;
            }
        } catch (InvalidRecordException x) {
            throw x.withTime(m.time);
        }
        return Envelope.of(source, m);
    }

}
