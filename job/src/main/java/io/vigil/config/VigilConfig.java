package io.vigil.config;

import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.model.InputFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Vigil's validated configuration, read from property groups. Every key, its default and its
 * meaning is listed in {@link #KEYS}; an unknown group or key, or a bad value, is refused at
 * start-up with a message naming the group and key.
 */
public final class VigilConfig {
    public static final String JOB_GROUP = "vigil";
    public static final String INPUT_PREFIX = "input.";
    public static final String TABLES_GROUP = "iceberg";

    /** Documented keys: group pattern, key, default, meaning (rendered in the README). */
    public static final String[][] KEYS = {
        {"vigil", "parallelism", "2", "default operator parallelism"},
        {"vigil", "checkpoint.interval", "60s", "checkpoint interval (also the commit interval of file and table outputs)"},
        {"vigil", "output.dir", "vigil-out", "local directory for dead-letter and other file outputs"},
        {"vigil", "status.interval", "5s", "how often `bin/vigil run` prints its status line"},
        {"vigil", "web.port", "8081", "Flink web UI port of the local MiniCluster (`bin/vigil run`)"},
        {"vigil", "rules.file", "(the rules bundled in the jar)", "rules file to judge the inputs by; checked at start-up"},
        {"vigil", "control.path", "(none)", "directory watched every 10 s for control files (JSON lines: rule updates, silences), applied without restart"},
        {"iceberg", "enabled", "true", "write the curated Iceberg tables"},
        {"iceberg", "type", "hadoop", "catalog: hadoop (a filesystem), glue (with S3FileIO) or jdbc"},
        {"iceberg", "warehouse", "./warehouse (hadoop), required otherwise", "where data and metadata files go: a path, s3://bucket/prefix, ..."},
        {"iceberg", "namespace", "vigil", "the database (Glue/Athena) the tables are in"},
        {"iceberg", "uri", "(required for jdbc)", "JDBC URL of the catalog database"},
        {"iceberg", "io-impl, s3.*, client.*, glue.*, jdbc.*, ...", "(none)", "Iceberg catalog properties, passed through (e.g. s3.endpoint, client.region, jdbc.user)"},
        {"input.NAME", "type", "(required)", "generator or file"},
        {"input.NAME", "format", "(required)", "openlineage, metrics, lanl-auth, auth-json, rees46, commerce-json"},
        {"input.NAME", "path", "(required for file)", "file or directory of files read in name order"},
        {"input.NAME", "rate", "100", "generator: records per second"},
        {"input.NAME", "bad.ratio", "0.005", "generator: share of deliberately broken records"},
        {"input.NAME", "seed", "1", "generator: seed of the synthetic records"},
        {"input.NAME", "incidents", "false", "generator: inject incidents (metrics: a PAR_90 spike every 5 minutes; commerce: a bad-record burst every 10)"},
        {"input.NAME", "watermark.out-of-orderness", "30s", "bounded out-of-orderness of event time"},
        {"input.NAME", "watermark.idleness", "1m (generator), none (file)", "after this long without records the input stops holding back the watermark"},
    };

    public final int parallelism;
    public final Duration checkpointInterval;
    public final String outputDir;
    public final Duration statusInterval;
    public final int webPort;
    /** Null: the rules bundled in the jar. */
    public final String rulesFile;
    /** Null: no control input. */
    public final String controlPath;
    public final List<InputConfig> inputs;
    /** Where the curated tables go; null when they are switched off. */
    public final IcebergCatalogConfig tables;

    private VigilConfig(int parallelism, Duration checkpointInterval, String outputDir,
            Duration statusInterval, int webPort, String rulesFile, String controlPath, List<InputConfig> inputs,
            IcebergCatalogConfig tables) {
        this.parallelism = parallelism;
        this.checkpointInterval = checkpointInterval;
        this.outputDir = outputDir;
        this.statusInterval = statusInterval;
        this.webPort = webPort;
        this.rulesFile = rulesFile;
        this.controlPath = controlPath;
        this.inputs = Collections.unmodifiableList(inputs);
        this.tables = tables;
    }

    public static VigilConfig from(Map<String, Properties> groups) {
        for (String g : groups.keySet()) {
            if (!g.equals(JOB_GROUP) && !g.equals(TABLES_GROUP) && !(g.startsWith(INPUT_PREFIX) && g.length() > INPUT_PREFIX.length())) {
                throw new ConfigException("config: unknown property group '" + g
                        + "'; expected '" + JOB_GROUP + "', '" + TABLES_GROUP + "' or '" + INPUT_PREFIX + "<name>'");
            }
        }
        Group job = new Group(JOB_GROUP, groups.getOrDefault(JOB_GROUP, new Properties()));
        int parallelism = job.get("parallelism", "2", s -> positiveInt(s));
        Duration checkpoint = job.get("checkpoint.interval", "60s", VigilConfig::positiveDuration);
        String out = job.get("output.dir", "vigil-out", Function.identity());
        Duration status = job.get("status.interval", "5s", VigilConfig::positiveDuration);
        int webPort = job.get("web.port", "8081", s -> port(s));
        String rulesFile = job.get("rules.file", null, s -> {
            if (!java.nio.file.Files.isRegularFile(java.nio.file.Paths.get(s))) {
                throw new IllegalArgumentException("no such file " + s);
            }
            return s;
        });
        String controlPath = job.get("control.path", null, s -> {
            if (!java.nio.file.Files.isDirectory(java.nio.file.Paths.get(s))) {
                throw new IllegalArgumentException("no such directory " + s);
            }
            return s;
        });
        job.rejectUnknown();

        List<InputConfig> inputs = new ArrayList<>();
        Map<String, Properties> sorted = new LinkedHashMap<>();
        new TreeSet<>(groups.keySet()).forEach(k -> sorted.put(k, groups.get(k)));
        for (Map.Entry<String, Properties> e : sorted.entrySet()) {
            if (e.getKey().startsWith(INPUT_PREFIX)) {
                inputs.add(input(e.getKey().substring(INPUT_PREFIX.length()), new Group(e.getKey(), e.getValue())));
            }
        }
        if (inputs.isEmpty()) {
            throw new ConfigException("config: no input; add a property group '" + INPUT_PREFIX + "<name>'");
        }
        IcebergCatalogConfig tables = tables(groups.getOrDefault(TABLES_GROUP, new Properties()));
        return new VigilConfig(parallelism, checkpoint, out, status, webPort, rulesFile, controlPath, inputs, tables);
    }

    /** The {@code iceberg} group: {@code enabled}, then the catalog's own keys, checked by the catalog config. */
    private static IcebergCatalogConfig tables(Properties props) {
        Group g = new Group(TABLES_GROUP, props);
        if (!g.get("enabled", "true", VigilConfig::bool)) {
            return null;
        }
        Map<String, String> catalog = new TreeMap<>();
        for (String k : props.stringPropertyNames()) {
            if (!k.equals("enabled")) {
                catalog.put(k, props.getProperty(k));
            }
        }
        try {
            return IcebergCatalogConfig.fromProperties(catalog, "");
        } catch (IcebergCatalogConfig.InvalidProperty e) {
            throw ConfigException.at(TABLES_GROUP, e.key(), e.problem());
        }
    }

    private static InputConfig input(String name, Group g) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new ConfigException("config: group '" + g.name + "': input names use letters, digits, _ and -");
        }
        InputConfig.Type type = g.required("type", s -> {
            try {
                return InputConfig.Type.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("'" + s + "' is not an input type; expected generator or file"
                        + " (kinesis and pubsub inputs are not available yet)");
            }
        });
        InputFormat format = g.required("format", InputFormat::fromId);
        String path = type == InputConfig.Type.FILE ? g.required("path", Function.identity()) : null;
        double rate = type == InputConfig.Type.GENERATOR ? g.get("rate", "100", s -> positiveDouble(s)) : 0;
        double bad = type == InputConfig.Type.GENERATOR ? g.get("bad.ratio", "0.005", s -> ratio(s)) : 0;
        long seed = type == InputConfig.Type.GENERATOR ? g.get("seed", "1", Long::parseLong) : 0;
        boolean incidents = type == InputConfig.Type.GENERATOR && g.get("incidents", "false", VigilConfig::bool);
        Duration ooo = g.get("watermark.out-of-orderness", "30s", Durations::parse);
        Duration idle = g.get("watermark.idleness", type == InputConfig.Type.GENERATOR ? "1m" : null,
                VigilConfig::positiveDuration);
        g.rejectUnknown();
        return new InputConfig(name, type, format, path, rate, bad, seed, incidents, ooo, idle);
    }

    private static boolean bool(String s) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("'" + s + "' is not true or false");
    }

    private static int positiveInt(String s) {
        int n = Integer.parseInt(s.trim());
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1, got " + n);
        }
        return n;
    }

    private static int port(String s) {
        int n = Integer.parseInt(s.trim());
        if (n < 0 || n > 65535) {
            throw new IllegalArgumentException("not a port: " + n);
        }
        return n;
    }

    private static double positiveDouble(String s) {
        double d = Double.parseDouble(s.trim());
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("must be a positive number, got " + s);
        }
        return d;
    }

    private static double ratio(String s) {
        double d = Double.parseDouble(s.trim());
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("must be between 0 and 1, got " + s);
        }
        return d;
    }

    /** A duration longer than zero, as checkpoint intervals and the like must be. */
    public static Duration positiveDuration(String s) {
        Duration d = Durations.parse(s);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be longer than 0");
        }
        return d;
    }

    /** A group being read: tracks the keys used so the rest can be refused as unknown. */
    private static final class Group {
        final String name;
        final Properties props;
        final Set<String> used = new TreeSet<>();

        Group(String name, Properties props) {
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
                    throw ConfigException.at(name, k, "unknown key; known keys are " + String.join(", ", known()));
                }
            }
        }

        private Set<String> known() {
            Set<String> keys = new TreeSet<>();
            String pattern = name.equals(JOB_GROUP) ? JOB_GROUP : "input.NAME";
            for (String[] k : KEYS) {
                if (k[0].equals(pattern)) {
                    keys.add(k[1]);
                }
            }
            return keys;
        }
    }
}
