package io.vigil.cli;

import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.query.QueryException;
import io.vigil.query.QuerySession;
import io.vigil.query.ResultTable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** {@code vigil query}: one read-only Flink SQL statement over the local Iceberg tables, printed as a table. */
public final class QueryCommand {
    static final String USAGE = String.join("\n",
            "usage: vigil query [--warehouse DIR] \"SQL\"",
            "       vigil query [--warehouse DIR] --file FILE.sql",
            "",
            "Runs one read-only statement (SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN) over the",
            "curated Iceberg tables with Flink SQL in batch mode, and prints the result as a table.",
            "Tables are named as in Athena (vigil.pipeline_runs); times are UTC. The query pack runs",
            "unchanged: Trino's count_if, approx_percentile, max_by, date_diff and date_trunc are added.",
            "Iceberg metadata tables work too, e.g. vigil.pipeline_runs$snapshots (files per commit).",
            "",
            "  --warehouse DIR  the warehouse of the hadoop catalog (default " + IcebergCatalogConfig.DEFAULT_WAREHOUSE + ")",
            "  --file FILE      read the statement from FILE, e.g. ddl/queries/failure_rate_24h.sql",
            "",
            "Exit codes: 0 answered; 2 refused (bad usage, not a query, invalid SQL, unknown table,",
            "no warehouse); 1 failed while running.");

    private final PrintStream out;
    private final PrintStream err;

    public QueryCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(String[] args) throws UsageException, IOException {
        String warehouse = IcebergCatalogConfig.DEFAULT_WAREHOUSE;
        String sql = null;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (a.equals("--warehouse") || a.equals("--file")) {
                if (i + 1 >= args.length) {
                    throw new UsageException(a + " needs a value");
                }
                String v = args[++i];
                if (a.equals("--warehouse")) {
                    warehouse = v;
                } else {
                    file = Paths.get(v);
                }
            } else if (a.matches("--?[A-Za-z][\\w-]*")) { // not "-- a comment" leading the SQL
                throw new UsageException("unknown option '" + a + "'");
            } else if (sql != null) {
                throw new UsageException("one statement, as one argument (quote it): got '" + sql + "' and '" + a + "'");
            } else {
                sql = a;
            }
        }
        if (file != null && sql != null) {
            throw new UsageException("give the statement or --file, not both");
        }
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new UsageException("--file: no such file " + file);
            }
            sql = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        }
        if (sql == null) {
            throw new UsageException("no statement: give the SQL as an argument or --file FILE");
        }
        try (QuerySession session = QuerySession.open(warehouse)) {
            ResultTable result = session.run(sql);
            result.print(out);
            return 0;
        } catch (QueryException e) {
            err.println("vigil query: " + e.getMessage());
            return e.whileRunning() ? 1 : 2;
        }
    }
}
