package io.vigil.iceberg;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * What one Flink job committed to each curated table, read from the tables' snapshots
 * ({@link TableCommitter} stamps each with {@code flink.job-id}): commits, rows and data files.
 * Replay prints it, and it is how files per commit are measured.
 */
public final class TableCommits {
    /** Commits that added data, of one job to one table. */
    public static final class Tally {
        public long commits;
        public long rows;
        public long dataFiles;
        public long bytes;

        /** Data files per commit; 0 without commits. */
        public double filesPerCommit() {
            return commits == 0 ? 0 : (double) dataFiles / commits;
        }
    }

    private TableCommits() {}

    /** Per table (in {@link VigilTables#all()} order), what job {@code jobId} committed. */
    public static Map<CuratedTable, Tally> byJob(IcebergCatalogConfig config, String jobId) {
        Catalog catalog = config.catalogLoader().loadCatalog();
        try {
            Map<CuratedTable, Tally> out = new LinkedHashMap<>();
            for (CuratedTable t : VigilTables.all()) {
                Tally tally = new Tally();
                if (catalog.tableExists(config.identifier(t))) {
                    Table table = catalog.loadTable(config.identifier(t));
                    for (Snapshot s : table.snapshots()) {
                        Map<String, String> sum = s.summary();
                        // snapshots without data (FlinkSink's idle commits, in tables it wrote) are not counted
                        if (jobId.equals(sum.get("flink.job-id")) && number(sum.get("added-data-files")) > 0) {
                            tally.commits++;
                            tally.rows += number(sum.get("added-records"));
                            tally.dataFiles += number(sum.get("added-data-files"));
                            tally.bytes += number(sum.get("added-files-size"));
                        }
                    }
                }
                out.put(t, tally);
            }
            return out;
        } finally {
            try {
                config.close(catalog);
            } catch (RuntimeException e) {
                // read-only use: nothing to lose
            }
        }
    }

    private static long number(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }
}
