package io.vigil.query;

import io.vigil.iceberg.IcebergCatalogConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.flink.FlinkCatalog;

/**
 * Flink SQL in batch mode over the curated tables of a local warehouse (a hadoop catalog): the
 * catalog is the current one and its namespace the current database, so {@code vigil.alerts}
 * names a table as in Athena; the session zone is UTC; Trino's functions of {@link TrinoFunctions}
 * are registered; only statements that read are run ({@link SqlStatement}).
 */
public final class QuerySession implements AutoCloseable {
    static final String CATALOG = "iceberg";

    private final TableEnvironment env;
    private final FlinkCatalog catalog;
    private final String namespace;

    private QuerySession(TableEnvironment env, FlinkCatalog catalog, String namespace) {
        this.env = env;
        this.catalog = catalog;
        this.namespace = namespace;
    }

    /** Opens the hadoop catalog in {@code warehouse}; fails unless it holds the tables' namespace. */
    public static QuerySession open(String warehouse) throws QueryException {
        Path dir = Paths.get(warehouse);
        if (!Files.isDirectory(dir)) {
            throw new QueryException("no warehouse at " + dir.toAbsolutePath().normalize()
                    + ": give the directory the job writes its Iceberg tables to with --warehouse");
        }
        IcebergCatalogConfig config = IcebergCatalogConfig.hadoop(warehouse);
        String ns = config.namespace();
        FlinkCatalog catalog = new FlinkCatalog(CATALOG, ns, Namespace.empty(), config.catalogLoader(),
                Collections.emptyMap(), false, -1);
        catalog.open();
        if (!catalog.databaseExists(ns)) {
            catalog.close();
            throw new QueryException("no namespace '" + ns + "' in the warehouse at " + dir.toAbsolutePath().normalize()
                    + " (expected its tables under " + ns + "/): no table has been written there yet");
        }
        Configuration conf = new Configuration();
        conf.set(TableConfigOptions.LOCAL_TIME_ZONE, "UTC"); // Athena's default session zone; the tables hold UTC
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failed query is reported, not retried
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(RestOptions.BIND_PORT, "0"); // next to a running 'vigil run', which has 8081
        TableEnvironment env = TableEnvironment.create(
                EnvironmentSettings.newInstance().inBatchMode().withConfiguration(conf).build());
        env.registerCatalog(CATALOG, catalog);
        env.useCatalog(CATALOG);
        env.useDatabase(ns);
        TrinoFunctions.register(env);
        return new QuerySession(env, catalog, ns);
    }

    /** Runs one read-only statement and returns all its rows. */
    public ResultTable run(String sql) throws QueryException {
        SqlStatement statement = SqlStatement.of(sql);
        TableResult result;
        try {
            result = statement.isQuery()
                    ? env.sqlQuery(statement.flinkText()).execute()
                    : env.executeSql(statement.flinkText());
        } catch (RuntimeException e) {
            if (isRunFailure(e)) {
                throw new QueryException("failed while running: " + rootMessage(e), true);
            }
            throw new QueryException(explain(e));
        }
        List<Column> columns = result.getResolvedSchema().getColumns();
        List<String> names = new ArrayList<>();
        boolean[] numeric = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            names.add(columns.get(i).getName());
            numeric[i] = columns.get(i).getDataType().getLogicalType().is(LogicalTypeFamily.NUMERIC);
        }
        ResultTable table = new ResultTable(names, numeric);
        try (CloseableIterator<Row> rows = result.collect()) {
            while (rows.hasNext()) {
                Row r = rows.next();
                Object[] values = new Object[r.getArity()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = r.getField(i);
                }
                table.add(values);
            }
        } catch (QueryException e) {
            throw e;
        } catch (Exception e) {
            throw new QueryException("failed while running: " + rootMessage(e), true);
        }
        return table;
    }

    /** The message of a refused statement, made to name what is wrong and, for a table, what exists. */
    private String explain(RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        // the parser's list of every token it would have taken helps nobody
        int expecting = message.indexOf("\nWas expecting");
        if (expecting > 0) {
            message = message.substring(0, expecting);
        }
        if (message.contains("Object '") && message.contains("not found")) {
            message += "\ntables in " + namespace + ": " + String.join(", ", tables())
                    + " (and their metadata tables, e.g. " + namespace + ".alerts$snapshots)";
        }
        return message.trim();
    }

    private List<String> tables() {
        try {
            List<String> names = new ArrayList<>(catalog.listTables(namespace));
            Collections.sort(names);
            return names;
        } catch (Exception e) {
            return Collections.singletonList("(cannot list: " + rootMessage(e) + ")");
        }
    }

    /** True when the statement was planned and submitted, and the job failed. */
    private static boolean isRunFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JobExecutionException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's message: what actually went wrong, without Flink's wrappers. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    public void close() {
        catalog.close();
    }
}
