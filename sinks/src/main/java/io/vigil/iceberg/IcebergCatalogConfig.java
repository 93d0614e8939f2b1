package io.vigil.iceberg;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;

/**
 * Where the curated tables live: the catalog type ({@code hadoop} on a local or Hadoop filesystem,
 * {@code glue} with S3FileIO, {@code jdbc}), the warehouse, the namespace, and Iceberg catalog
 * properties passed through (S3 endpoint, region, credentials, JDBC user). Validated when made;
 * every error names the key at fault.
 */
public final class IcebergCatalogConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The local default: a hadoop catalog in {@code ./warehouse}. */
    public static final String DEFAULT_WAREHOUSE = "./warehouse";

    static final String TYPE = "type";
    static final String WAREHOUSE = "warehouse";
    static final String NAMESPACE = "namespace";
    static final String URI_KEY = CatalogProperties.URI;

    private static final String CATALOG_NAME = "vigil";
    private static final List<String> TYPES = Arrays.asList("hadoop", "glue", "jdbc");
    /** Iceberg catalog properties passed through as they are. */
    private static final List<String> PASSED_KEYS = Arrays.asList(
            CatalogProperties.FILE_IO_IMPL, CatalogProperties.LOCK_IMPL, CatalogProperties.CLIENT_POOL_SIZE,
            CatalogProperties.CACHE_ENABLED, CatalogProperties.CACHE_EXPIRATION_INTERVAL_MS);
    private static final List<String> PASSED_PREFIXES =
            Arrays.asList("s3.", "client.", "glue.", "jdbc.", "http-client.", "lock.");
    private static final List<String> BOOLEAN_KEYS = Arrays.asList(
            "s3.path-style-access", "s3.checksum-enabled", "s3.chunked-encoding-enabled",
            CatalogProperties.CACHE_ENABLED);
    /** A Glue database name, which Athena also accepts unquoted. */
    private static final Pattern NAMESPACE_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final String type;
    private final String warehouse;
    private final String namespace;
    private final TreeMap<String, String> properties;

    private IcebergCatalogConfig(String type, String warehouse, String namespace, Map<String, String> properties) {
        this.type = type;
        this.warehouse = warehouse;
        this.namespace = namespace;
        this.properties = new TreeMap<>(properties);
    }

    /** A hadoop catalog in {@code ./warehouse}, namespace {@code vigil}. */
    public static IcebergCatalogConfig localDefault() {
        return hadoop(DEFAULT_WAREHOUSE);
    }

    /** A hadoop catalog: tables and their metadata under {@code warehouse} (a path or a URI). */
    public static IcebergCatalogConfig hadoop(String warehouse) {
        return of("hadoop", warehouse, null);
    }

    /** AWS Glue as the catalog, data and metadata in S3 under {@code warehouse} ({@code s3://...}). */
    public static IcebergCatalogConfig glue(String warehouse) {
        return of("glue", warehouse, null);
    }

    /** A catalog in a JDBC database ({@code jdbc:sqlite:FILE}, {@code jdbc:postgresql://...}). */
    public static IcebergCatalogConfig jdbc(String uri, String warehouse) {
        return of("jdbc", warehouse, uri);
    }

    private static IcebergCatalogConfig of(String type, String warehouse, String uri) {
        Map<String, String> p = new TreeMap<>();
        p.put(TYPE, type);
        p.put(WAREHOUSE, warehouse);
        if (uri != null) {
            p.put(URI_KEY, uri);
        }
        return fromProperties(p, "");
    }

    /**
     * Reads the keys that start with {@code prefix} (e.g. {@code iceberg.}): {@code type} (default
     * hadoop), {@code warehouse} (default {@value #DEFAULT_WAREHOUSE} for hadoop, required
     * otherwise), {@code namespace} (default {@value VigilTables#DEFAULT_NAMESPACE}), {@code uri} (jdbc
     * only, required there), and Iceberg catalog properties: {@code io-impl}, {@code lock-impl},
     * {@code clients}, {@code cache-enabled}, {@code cache.expiration-interval-ms} and keys starting
     * with {@code s3.}, {@code client.}, {@code glue.}, {@code jdbc.}, {@code http-client.},
     * {@code lock.}. Other keys with the prefix are errors.
     */
    public static IcebergCatalogConfig fromProperties(Map<String, String> all, String prefix) {
        Map<String, String> own = new TreeMap<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                own.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        String type = own.getOrDefault(TYPE, "hadoop").trim().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw error(prefix, TYPE, "'" + own.get(TYPE) + "' is not one of " + String.join(", ", TYPES));
        }
        String warehouse = own.get(WAREHOUSE);
        if (warehouse == null && type.equals("hadoop")) {
            warehouse = DEFAULT_WAREHOUSE;
        }
        if (warehouse == null || warehouse.trim().isEmpty()) {
            throw error(prefix, WAREHOUSE, "required for a " + type + " catalog");
        }
        warehouse = warehouse.trim();
        if (type.equals("glue") && !warehouse.startsWith("s3://")) {
            throw error(prefix, WAREHOUSE, "'" + warehouse + "' is not an s3:// location, as Glue tables need");
        }
        String namespace = own.getOrDefault(NAMESPACE, VigilTables.DEFAULT_NAMESPACE);
        if (!NAMESPACE_NAME.matcher(namespace).matches()) {
            throw error(prefix, NAMESPACE, "'" + namespace
                    + "' is not a Glue database name (lower-case letters, digits, underscores; not a digit first)");
        }
        Map<String, String> passed = new TreeMap<>();
        for (Map.Entry<String, String> e : own.entrySet()) {
            String key = e.getKey();
            if (key.equals(TYPE) || key.equals(WAREHOUSE) || key.equals(NAMESPACE)) {
                continue;
            }
            if (key.equals(URI_KEY)) {
                if (!type.equals("jdbc")) {
                    throw error(prefix, key, "is for a jdbc catalog only, not " + type);
                }
            } else if (!PASSED_KEYS.contains(key) && PASSED_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw error(prefix, key, "unknown catalog property; expected " + TYPE + ", " + WAREHOUSE + ", "
                        + NAMESPACE + ", " + URI_KEY + ", " + String.join(", ", PASSED_KEYS)
                        + " or a key starting with " + String.join(", ", PASSED_PREFIXES));
            }
            check(prefix, key, e.getValue());
            passed.put(key, e.getValue().trim());
        }
        if (type.equals("jdbc") && !passed.containsKey(URI_KEY)) {
            throw error(prefix, URI_KEY, "required for a jdbc catalog (jdbc:sqlite:FILE, jdbc:postgresql://...)");
        }
        return new IcebergCatalogConfig(type, warehouse, namespace, passed);
    }

    private static void check(String prefix, String key, String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            throw error(prefix, key, "is empty");
        }
        if (BOOLEAN_KEYS.contains(key) && !v.equals("true") && !v.equals("false")) {
            throw error(prefix, key, "'" + value + "' is not true or false");
        }
        if (key.equals(URI_KEY) && !v.startsWith("jdbc:")) {
            throw error(prefix, key, "'" + value + "' is not a JDBC URL (jdbc:...)");
        }
        if (key.equals("s3.endpoint")) {
            URI uri;
            try {
                uri = URI.create(v);
            } catch (IllegalArgumentException x) {
                throw error(prefix, key, "'" + value + "' is not a URL: " + x.getMessage());
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw error(prefix, key, "'" + value + "' is not an http(s)://host[:port] URL");
            }
        }
    }

    private static InvalidProperty error(String prefix, String key, String what) {
        return new InvalidProperty(prefix + key, what);
    }

    /** A catalog property that cannot be used: which key (with its prefix), and why. */
    public static final class InvalidProperty extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final String problem;

        InvalidProperty(String key, String problem) {
            super(key + ": " + io.vigil.config.Redaction.of(problem));
            this.key = key;
            this.problem = io.vigil.config.Redaction.of(problem);
        }

        public String key() {
            return key;
        }

        public String problem() {
            return problem;
        }
    }

    /** The same catalog, tables in another namespace. */
    public IcebergCatalogConfig withNamespace(String ns) {
        Map<String, String> p = asProperties();
        p.put(NAMESPACE, ns);
        return fromProperties(p, "");
    }

    /** The same catalog with one more catalog property (validated like the others). */
    public IcebergCatalogConfig with(String key, String value) {
        Map<String, String> p = asProperties();
        p.put(key, value);
        return fromProperties(p, "");
    }

    private Map<String, String> asProperties() {
        Map<String, String> p = new TreeMap<>(properties);
        p.put(TYPE, type);
        p.put(WAREHOUSE, warehouse);
        p.put(NAMESPACE, namespace);
        return p;
    }

    public String type() {
        return type;
    }

    public String warehouse() {
        return warehouse;
    }

    public String namespace() {
        return namespace;
    }

    /** The catalog properties passed through to Iceberg. */
    public Map<String, String> properties() {
        return Collections.unmodifiableMap(properties);
    }

    public TableIdentifier identifier(CuratedTable table) {
        return TableIdentifier.of(Namespace.of(namespace), table.name());
    }

    /** Loads the catalog to read and write tables: in the writers' tasks, and to read back. */
    public CatalogLoader catalogLoader() {
        return loader(false);
    }

    /**
     * Loads the catalog and lets it create its own bookkeeping first where it has any (the jdbc
     * catalog's tables in a new database): for the client that creates the curated tables.
     */
    CatalogLoader catalogLoaderCreatingCatalogTables() {
        return loader(true);
    }

    /** The properties the catalog is made with. */
    Map<String, String> loaderProperties() {
        Map<String, String> p = new TreeMap<>(properties);
        p.put(CatalogProperties.WAREHOUSE_LOCATION, warehouseLocation());
        if (type.equals("hadoop")) {
            p.putIfAbsent(CatalogProperties.LOCK_IMPL, JvmTableLocks.class.getName());
        }
        return p;
    }

    private CatalogLoader loader(boolean createCatalogTables) {
        Map<String, String> p = loaderProperties();
        Configuration hadoop = new Configuration();
        switch (type) {
            case "hadoop":
                return CatalogLoader.hadoop(CATALOG_NAME, hadoop, p);
            case "glue":
                p.putIfAbsent(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
                return CatalogLoader.custom(CATALOG_NAME, p, hadoop, "org.apache.iceberg.aws.glue.GlueCatalog");
            case "jdbc":
                // V1 also keeps views; a catalog made without it logs a warning on every start
                p.putIfAbsent("jdbc.schema-version", "V1");
                if (p.get(URI_KEY).startsWith("jdbc:sqlite:")) {
                    sqlite(p, createCatalogTables);
                }
                return CatalogLoader.custom(CATALOG_NAME, p, hadoop, "org.apache.iceberg.jdbc.JdbcCatalog");
            default:
                throw new IllegalStateException(type);
        }
    }

    /**
     * SQLite takes one writer at a time, and every table's committer commits at each checkpoint.
     * The catalog's check of its own tables at start leaves a read transaction open on its
     * connection, and in SQLite an open reader makes every other writer fail at once
     * (SQLITE_BUSY): so only the creating client checks, the tasks trust it. Writers then queue
     * (busy timeout), and with WAL readers never block them.
     */
    private static void sqlite(Map<String, String> p, boolean createCatalogTables) {
        if (!createCatalogTables) {
            p.putIfAbsent("jdbc.init-catalog-tables", "false");
        }
        p.putIfAbsent("jdbc.journal_mode", "WAL");
        p.putIfAbsent("jdbc.busy_timeout", "30000");
    }

    /**
     * Releases what a catalog loaded from this config holds (JDBC connections, AWS clients); the
     * hadoop catalog holds nothing.
     */
    public void close(Catalog catalog) {
        if (!(catalog instanceof AutoCloseable)) {
            return;
        }
        try {
            ((AutoCloseable) catalog).close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot close catalog " + this, e);
        }
    }

    public TableLoader tableLoader(CuratedTable table) {
        return TableLoader.fromCatalog(catalogLoader(), identifier(table));
    }

    /** A local path becomes an absolute file URI, so the client and the tasks agree where it is. */
    String warehouseLocation() {
        boolean hasScheme = warehouse.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !warehouse.matches("[a-zA-Z]:\\\\.*");
        if (hasScheme) {
            return warehouse;
        }
        return Paths.get(warehouse).toAbsolutePath().normalize().toUri().toString();
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            boolean secret = e.getKey().contains("secret") || e.getKey().contains("password")
                    || e.getKey().contains("session-token");
            shown.put(e.getKey(), secret ? "***" : e.getValue());
        }
        // a jdbc uri may hold a user and password (user:pass@, ?password=): never shown
        return io.vigil.config.Redaction.of(type + " catalog, warehouse " + warehouse + ", namespace " + namespace
                + (shown.isEmpty() ? "" : ", " + shown));
    }
}
