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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil query}: one read-only Flink SQL statement over the local Iceberg tables, printed as a table. */
@Command(name = "query", header = "run a read-only SQL query over the local Iceberg tables",
        mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        customSynopsis = {
            "vigil query [--warehouse DIR] \"SQL\"",
            "       vigil query [--warehouse DIR] --file FILE.sql"},
        description = {
            "Runs one read-only statement (SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN) over the",
            "curated Iceberg tables with Flink SQL in batch mode, and prints the result as a table.",
            "Tables are named as in Athena (vigil.pipeline_runs); times are UTC. The query pack runs",
            "unchanged: Trino's count_if, approx_percentile, max_by, date_diff and date_trunc are added.",
            "Iceberg metadata tables work too, e.g. vigil.pipeline_runs$snapshots (files per commit)."},
        footer = {"", "Exit codes: 0 answered; 2 refused (bad usage, not a query, invalid SQL, unknown table,",
            "no warehouse); 1 failed while running."})
public final class QueryCommand implements Callable<Integer> {
    @Option(names = "--warehouse", paramLabel = "DIR",
            description = "the warehouse of the hadoop catalog (default " + IcebergCatalogConfig.DEFAULT_WAREHOUSE + ")")
    String warehouse = IcebergCatalogConfig.DEFAULT_WAREHOUSE;

    @Option(names = "--file", paramLabel = "FILE", description = "read the statement from FILE, e.g. ddl/queries/failure_rate_24h.sql")
    Path file;

    @Parameters(paramLabel = "SQL", arity = "0..*", description = "the statement, as one argument (quote it)")
    List<String> statement = new ArrayList<>();

    private final PrintStream out;
    private final PrintStream err;

    public QueryCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, IOException {
        String sql = null;
        for (String a : statement) {
            if (a.matches("--?[A-Za-z][\\w-]*")) { // unmatched options reach here: "-- a comment" is SQL, "--typo" not
                throw new UsageException("unknown option '" + a + "'");
            }
            if (sql != null) {
                throw new UsageException("one statement, as one argument (quote it): got '" + sql + "' and '" + a + "'");
            }
            sql = a;
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
            return VigilCli.OK;
        } catch (QueryException e) {
            err.println("vigil query: " + e.getMessage());
            return e.whileRunning() ? VigilCli.FAILED : VigilCli.USAGE_ERROR;
        }
    }
}
