package io.vigil.config;

/**
 * A configuration that cannot run; the message names the property group and key at fault, and
 * never a credential the value held ({@link Redaction}).
 */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(Redaction.of(message));
    }

    public static ConfigException at(String group, String key, String problem) {
        return new ConfigException("config: group '" + group + "', key '" + key + "': " + problem);
    }
}
