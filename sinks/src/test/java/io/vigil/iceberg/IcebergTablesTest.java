package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IcebergTablesTest {
    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    @Test
    void missingTablesAreCreatedOnceWithTheirSchemaSpecAndProperties() {
        IcebergTables tables = IcebergTables.in(warehouse.config());
        List<TableIdentifier> created = tables.createMissingTables();
        assertThat(created).hasSize(VigilTables.all().size());
        for (CuratedTable t : VigilTables.all()) {
            Table table = warehouse.table(t);
            assertThat(table.schema().sameSchema(t.schema())).as(t.name()).isTrue();
            assertThat(table.spec().fields()).hasSize(1);
            assertThat(IcebergTables.describe(table.spec(), table.schema())).isEqualTo("[day(" + t.partitionColumn() + ")]");
            assertThat(table.properties()).containsEntry("write.parquet.compression-codec", "zstd")
                    .containsEntry("write.format.default", "parquet");
            assertThat(((org.apache.iceberg.BaseTable) table).operations().current().formatVersion()).isEqualTo(2);
        }
        assertThat(tables.createMissingTables()).as("all there now").isEmpty();
    }

    @Test
    void anExistingTableThatDiffersIsRefusedNamingTheColumn() {
        Catalog catalog = warehouse.config().catalogLoader().loadCatalog();
        Schema athenaMade = new Schema(
                Types.NestedField.optional(1, "alert_id", Types.StringType.get()),
                Types.NestedField.optional(2, "rule", Types.StringType.get()));
        catalog.createTable(warehouse.config().identifier(VigilTables.ALERTS), athenaMade, PartitionSpec.unpartitioned());
        assertThatThrownBy(() -> IcebergTables.in(warehouse.config()).createMissingTables())
                .hasMessageContaining("table vigil.alerts does not match what Vigil writes: column 2 is rule string, "
                        + "expected rule_id string");
    }

    @Test
    void anExistingTableWithOptionalColumnsAndOtherIdsIsAccepted() {
        // what Athena's CREATE TABLE makes: the same names and types, every column optional
        Catalog catalog = warehouse.config().catalogLoader().loadCatalog();
        List<Types.NestedField> columns = new java.util.ArrayList<>();
        int id = 100;
        for (Types.NestedField f : VigilTables.METRIC_SAMPLES.schema().columns()) {
            columns.add(Types.NestedField.optional(id++, f.name(), f.type()));
        }
        Schema schema = new Schema(columns);
        catalog.createTable(warehouse.config().identifier(VigilTables.METRIC_SAMPLES), schema,
                PartitionSpec.builderFor(schema).day("event_time").build());
        assertThat(IcebergTables.in(warehouse.config()).createMissingTables())
                .hasSize(VigilTables.all().size() - 1);
    }
}
