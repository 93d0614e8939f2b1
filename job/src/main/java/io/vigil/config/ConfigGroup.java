package io.vigil.config;

import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** A property group being read: tracks the keys used so the rest can be refused as unknown. */
final class ConfigGroup {
    final String name;
    final Properties props;
    final Set<String> used = new TreeSet<>();
    /** A typed group's kind, e.g. "kinesis input", once read: its known keys are the ones that type reads. */
    String type;

    ConfigGroup(String name, Properties props) {
        this.name = name;
        this.props = props;
    }

    <T> T get(String key, String dflt, Function<String, T> parse) {
        used.add(key);
        String v = props.getProperty(key, dflt);
        if (v == null) {
            return null;
        }
        try {
            return parse.apply(v);
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            String why = e instanceof NumberFormatException ? "'" + v + "' is not a number" : e.getMessage();
            throw ConfigException.at(name, key, why);
        }
    }

    <T> T required(String key, Function<String, T> parse) {
        if (props.getProperty(key) == null || props.getProperty(key).isBlank()) {
            used.add(key);
            throw ConfigException.at(name, key, "is required");
        }
        return get(key, null, parse);
    }

    void rejectUnknown() {
        for (String k : props.stringPropertyNames()) {
            if (!used.contains(k)) {
                throw ConfigException.at(name, k, "unknown key" + (type == null ? "" : " for a " + type)
                        + "; known keys are " + String.join(", ", known()));
            }
        }
    }

    private Set<String> known() {
        if (type != null) {
            return used;
        }
        Set<String> keys = new TreeSet<>();
        // the documented pattern: input.auth is documented as input.NAME
        String pattern = name.contains(".") ? name.substring(0, name.indexOf('.') + 1) + "NAME" : name;
        for (String[] k : VigilConfig.KEYS) {
            if (k[0].equals(pattern)) {
                keys.add(k[1]);
            }
        }
        return keys;
    }
}
