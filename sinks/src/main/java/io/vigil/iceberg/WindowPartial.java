package io.vigil.iceberg;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One subtask's accumulator of one key's tumbling window ({@link LocalWindowAggregate}): what
 * crosses the network to the window that merges them, instead of every event.
 */
public class WindowPartial<ACC> {
    public String key;
    public long windowStart;
    public ACC acc;

    public WindowPartial() {}

    WindowPartial(String key, long windowStart, ACC acc) {
        this.key = key;
        this.windowStart = windowStart;
        this.acc = acc;
    }

    /** The type, spelled out so the accumulator keeps its own serializer (never Kryo). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <ACC> TypeInformation<WindowPartial<ACC>> typeInfo(TypeInformation<ACC> acc) {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        fields.put("key", Types.STRING);
        fields.put("windowStart", Types.LONG);
        fields.put("acc", acc);
        return (TypeInformation) Types.POJO(WindowPartial.class, fields);
    }
}
