package io.vigil.cli;

import io.vigil.config.ConfigException;
import io.vigil.config.Durations;
import io.vigil.config.PropertyGroups;
import io.vigil.config.VigilConfig;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.VigilTables;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFilesActionResult;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.actions.Actions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil maintain}: compacts the small data files that frequent commits leave (Iceberg's
 * Flink rewrite action, a local batch job) and expires old snapshots, table by table, and says what
 * it changed. Safe beside a running job: a rewrite only replaces files it read, and commits
 * optimistically.
 */
@Command(name = "maintain", header = "compact small files and expire old snapshots of the curated Iceberg tables",
        mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        customSynopsis = "vigil maintain [--warehouse DIR | --config FILE] [options]",
        description = "Compacts small data files and expires old snapshots of Vigil's curated Iceberg tables.",
        footer = {"", "In Athena the same is OPTIMIZE vigil.TABLE REWRITE DATA USING BIN_PACK and VACUUM vigil.TABLE",
            "(see ddl/README.md).", "",
            "Exit codes: 0 done; 1 failed; 2 usage, an invalid config, or none of the tables exists."})
public final class MaintainCommand implements Callable<Integer> {
    @Option(names = "--warehouse", paramLabel = "DIR",
            description = "local warehouse (default " + IcebergCatalogConfig.DEFAULT_WAREHOUSE + ")")
    String warehouse = IcebergCatalogConfig.DEFAULT_WAREHOUSE;

    @Option(names = "--config", paramLabel = "FILE",
            description = "take the catalog from the 'iceberg' group of a config (glue, jdbc, ...)")
    Path configFile;

    @Option(names = "--table", paramLabel = "NAME",
            description = "only this table (repeatable; default every curated table)")
    List<String> tableNames = new ArrayList<>();

    @Option(names = "--target-file-size", paramLabel = "MB",
            description = "size data files are compacted towards (default 128)")
    long targetMb = 128;

    @Option(names = "--expire-older-than", paramLabel = "D", converter = DurationConverter.class,
            description = "expire snapshots older than this, e.g. 7d (default 7d)")
    Duration expireOlderThan = Duration.ofDays(7);

    @Option(names = "--retain-last", paramLabel = "N", description = "but always keep the newest N snapshots (default 10)")
    int retainLast = 10;

    @Option(names = "--no-rewrite", description = "only expire snapshots")
    boolean noRewrite;

    private final PrintStream out;

    public MaintainCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        IcebergCatalogConfig catalog = null;
        if (configFile != null) {
            VigilConfig config = VigilConfig.from(PropertyGroups.fromFile(configFile));
            if (config.tables == null) {
                throw new ConfigException("config: group 'iceberg', key 'enabled': the tables are switched off in " + configFile);
            }
            catalog = config.tables;
        }
        List<CuratedTable> tables = new ArrayList<>();
        for (String name : tableNames) {
            tables.add(table(name));
        }
        long targetBytes = positive("--target-file-size", targetMb) << 20;
        positive("--retain-last", retainLast);
        boolean rewrite = !noRewrite;
        if (catalog == null) {
            try {
                catalog = IcebergCatalogConfig.hadoop(warehouse);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--warehouse: " + e.getMessage());
            }
        }
        if (tables.isEmpty()) {
            tables.addAll(VigilTables.all());
        }
        Catalog c = catalog.catalogLoader().loadCatalog();
        StreamExecutionEnvironment env = null;
        if (rewrite) {
            env = StreamExecutionEnvironment.getExecutionEnvironment(); // local from the CLI
            env.setParallelism(2);
        }
        long expireBefore = System.currentTimeMillis() - expireOlderThan.toMillis();
        out.printf("%-20s %14s %14s %14s%n", "table", "data files", "rows", "snapshots");
        int missing = 0;
        for (CuratedTable t : tables) {
            if (!c.tableExists(catalog.identifier(t))) {
                out.printf("%-20s %s%n", t.name(), "(no such table in " + catalog + ")");
                missing++;
                continue;
            }
            Table table = c.loadTable(catalog.identifier(t));
            Counts before = Counts.of(table);
            if (rewrite && table.currentSnapshot() != null) {
                RewriteDataFilesActionResult r = Actions.forTable(env, table).rewriteDataFiles()
                        .targetSizeInBytes(targetBytes)
                        .execute();
                table.refresh();
                if (!r.deletedDataFiles().isEmpty()) {
                    // the rewrite is a snapshot of its own; it ages like the others
                    out.printf("%-20s compacted %d files into %d%n", "", r.deletedDataFiles().size(), r.addedDataFiles().size());
                }
            }
            if (table.currentSnapshot() != null) {
                table.expireSnapshots().expireOlderThan(expireBefore).retainLast(retainLast).commit();
                table.refresh();
            }
            Counts after = Counts.of(table);
            out.printf("%-20s %6d -> %-5d %14d %6d -> %-5d%n", t.name(), before.files, after.files, after.rows,
                    before.snapshots, after.snapshots);
            if (after.rows != before.rows) {
                throw new IllegalStateException("table " + t.name() + " held " + before.rows + " rows before and "
                        + after.rows + " after maintenance");
            }
        }
        catalog.close(c);
        return missing == tables.size() ? VigilCli.USAGE_ERROR : VigilCli.OK;
    }

    private static CuratedTable table(String name) throws UsageException {
        List<String> names = new ArrayList<>();
        for (CuratedTable t : VigilTables.all()) {
            if (t.name().equals(name)) {
                return t;
            }
            names.add(t.name());
        }
        throw new UsageException("--table: no curated table '" + name + "'; they are " + String.join(", ", names));
    }

    private static long positive(String option, long n) throws UsageException {
        if (n < 1) {
            throw new UsageException(option + " takes a whole number of at least 1, got " + n);
        }
        return n;
    }

    /** Data files, rows and snapshots of a table's current state. */
    private static final class Counts {
        long files;
        long rows;
        long snapshots;

        static Counts of(Table table) {
            Counts c = new Counts();
            Snapshot s = table.currentSnapshot();
            if (s != null) {
                c.files = Long.parseLong(s.summary().getOrDefault("total-data-files", "0"));
                c.rows = Long.parseLong(s.summary().getOrDefault("total-records", "0"));
            }
            for (Snapshot ignored : table.snapshots()) {
                c.snapshots++;
            }
            return c;
        }
    }
}
