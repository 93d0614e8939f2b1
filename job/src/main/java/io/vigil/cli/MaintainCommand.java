package io.vigil.cli;

import io.vigil.config.ConfigException;
import io.vigil.config.Durations;
import io.vigil.config.PropertyGroups;
import io.vigil.config.VigilConfig;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.VigilTables;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFilesActionResult;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.actions.Actions;

/**
 * {@code vigil maintain}: compacts the small data files that frequent commits leave (Iceberg's
 * Flink rewrite action, a local batch job) and expires old snapshots, table by table, and says what
 * it changed. Safe beside a running job: a rewrite only replaces files it read, and commits
 * optimistically.
 */
public final class MaintainCommand {
    static final String USAGE = String.join("\n",
            "usage: vigil maintain [--warehouse DIR | --config FILE] [options]",
            "",
            "Compacts small data files and expires old snapshots of Vigil's curated Iceberg tables.",
            "",
            "  --warehouse DIR         local warehouse (default " + IcebergCatalogConfig.DEFAULT_WAREHOUSE + ")",
            "  --config FILE           take the catalog from the 'iceberg' group of a config (glue, jdbc, ...)",
            "  --table NAME            only this table (repeatable; default every curated table)",
            "  --target-file-size MB   size data files are compacted towards (default 128)",
            "  --expire-older-than D   expire snapshots older than this, e.g. 7d (default 7d)",
            "  --retain-last N         but always keep the newest N snapshots (default 10)",
            "  --no-rewrite            only expire snapshots",
            "",
            "In Athena the same is OPTIMIZE vigil.TABLE REWRITE DATA USING BIN_PACK and VACUUM vigil.TABLE",
            "(see ddl/README.md).");

    private final PrintStream out;

    public MaintainCommand(PrintStream out) {
        this.out = out;
    }

    public int run(String[] args) throws Exception {
        IcebergCatalogConfig catalog = null;
        String warehouse = IcebergCatalogConfig.DEFAULT_WAREHOUSE;
        List<CuratedTable> tables = new ArrayList<>();
        long targetBytes = 128L << 20;
        Duration expireOlderThan = Duration.ofDays(7);
        int retainLast = 10;
        boolean rewrite = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            }
            if (a.equals("--no-rewrite")) {
                rewrite = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(a.startsWith("--") ? a + " needs a value" : "unexpected argument '" + a + "'");
            }
            String v = args[++i];
            switch (a) {
                case "--warehouse":
                    warehouse = v;
                    break;
                case "--config":
                    VigilConfig config = VigilConfig.from(PropertyGroups.fromFile(Paths.get(v)));
                    if (config.tables == null) {
                        throw new ConfigException("config: group 'iceberg', key 'enabled': the tables are switched off in " + v);
                    }
                    catalog = config.tables;
                    break;
                case "--table":
                    tables.add(table(v));
                    break;
                case "--target-file-size":
                    targetBytes = positive(a, v) << 20;
                    break;
                case "--expire-older-than":
                    try {
                        expireOlderThan = Durations.parse(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(a + ": " + e.getMessage());
                    }
                    break;
                case "--retain-last":
                    retainLast = (int) positive(a, v);
                    break;
                default:
                    throw new UsageException("unknown option '" + a + "'");
            }
        }
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
        return missing == tables.size() ? 2 : 0;
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

    private static long positive(String option, String v) throws UsageException {
        try {
            long n = Long.parseLong(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " takes a whole number of at least 1, got '" + v + "'");
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
