package io.vigil.config;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Configuration as Managed Flink delivers it: named property groups of string keys and values.
 * Locally the same groups come from a file, either YAML ({@code group: {key: value}}) or the JSON
 * Managed Flink uses ({@code [{"PropertyGroupId": ..., "PropertyMap": {...}}]}).
 */
public final class PropertyGroups {
    private PropertyGroups() {}

    /** The groups of the running Managed Flink application. */
    public static Map<String, Properties> fromRuntime() throws IOException {
        return new TreeMap<>(KinesisAnalyticsRuntime.getApplicationProperties());
    }

    public static Map<String, Properties> fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config: no such file " + file);
        }
        String name = file.getFileName().toString();
        ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("config: " + file + " is not valid " + (name.endsWith(".json") ? "JSON" : "YAML")
                    + ": " + e.getMessage().split("\n")[0]);
        }
        Map<String, Properties> groups = new TreeMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return groups;
        }
        if (root.isArray()) {
            for (JsonNode g : root) {
                JsonNode id = g.get("PropertyGroupId");
                if (id == null || !id.isTextual()) {
                    throw new ConfigException("config: every entry needs a PropertyGroupId in " + file);
                }
                groups.put(id.textValue(), properties(id.textValue(), g.get("PropertyMap")));
            }
        } else if (root.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = root.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> g = it.next();
                groups.put(g.getKey(), properties(g.getKey(), g.getValue()));
            }
        } else {
            throw new ConfigException("config: " + file + " must hold property groups");
        }
        return groups;
    }

    private static Properties properties(String group, JsonNode map) {
        Properties p = new Properties();
        if (map == null || map.isNull()) {
            return p;
        }
        if (!map.isObject()) {
            throw new ConfigException("config: group '" + group + "' must be a map of keys to values");
        }
        Iterator<Map.Entry<String, JsonNode>> it = map.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> kv = it.next();
            if (!kv.getValue().isValueNode()) {
                throw ConfigException.at(group, kv.getKey(), "must be a single value");
            }
            p.setProperty(kv.getKey(), kv.getValue().asText());
        }
        return p;
    }
}
