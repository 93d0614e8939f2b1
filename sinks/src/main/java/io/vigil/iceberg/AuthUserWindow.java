package io.vigil.iceberg;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What one user did in one auth_user_features window, as it accumulates. Distinct computers are
 * kept whole (exact counts): maps used as sets, since Flink 1.20 serializes maps itself but would
 * hand a set to Kryo.
 */
public class AuthUserWindow {
    public String user;
    public String domain;
    public long events;
    public long logons;
    public long failures;
    public Map<String, Boolean> destinationComputers = new HashMap<>();
    public Map<String, Boolean> sourceComputers = new HashMap<>();

    public AuthUserWindow() {}

    /** The window state's type, spelled out so the maps get Flink's map serializer. */
    public static TypeInformation<AuthUserWindow> typeInfo() {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        fields.put("user", Types.STRING);
        fields.put("domain", Types.STRING);
        fields.put("events", Types.LONG);
        fields.put("logons", Types.LONG);
        fields.put("failures", Types.LONG);
        fields.put("destinationComputers", Types.MAP(Types.STRING, Types.BOOLEAN));
        fields.put("sourceComputers", Types.MAP(Types.STRING, Types.BOOLEAN));
        return Types.POJO(AuthUserWindow.class, fields);
    }
}
