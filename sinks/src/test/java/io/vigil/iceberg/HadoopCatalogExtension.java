package io.vigil.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A hadoop catalog in a fresh temporary warehouse for each test, removed afterwards, with the
 * catalog config the job gets and a reader of what the tables hold.
 */
public class HadoopCatalogExtension implements BeforeEachCallback, AfterEachCallback {
    private Path warehouse;
    private IcebergCatalogConfig config;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        warehouse = Files.createTempDirectory("vigil-warehouse");
        config = IcebergCatalogConfig.hadoop(warehouse.toString());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (warehouse == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(warehouse)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    public Path warehouse() {
        return warehouse;
    }

    public IcebergCatalogConfig config() {
        return config;
    }

    public Table table(CuratedTable table) {
        Catalog catalog = config.catalogLoader().loadCatalog();
        return catalog.loadTable(config.identifier(table));
    }

    /** Every row of the table's current snapshot. */
    public List<Record> rows(CuratedTable table) {
        return read(table(table));
    }

    public static List<Record> read(Table table) {
        table.refresh();
        List<Record> out = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record r : records) {
                out.add(r.copy());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
