package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class VigilTablesTest {
    /** The Iceberg types Athena can both declare in CREATE TABLE and query. */
    private static final Set<String> ATHENA_DECLARABLE = Set.of("string", "long", "double", "boolean", "timestamp");

    @Test
    void everyTableIsPartitionedByTheDayOfAnInstantColumn() {
        for (CuratedTable t : VigilTables.all()) {
            List<PartitionField> fields = t.spec().fields();
            assertThat(fields).as(t.name()).hasSize(1);
            assertThat(fields.get(0).transform().toString()).as(t.name()).isEqualTo("day");
            Types.NestedField source = t.schema().findField(fields.get(0).sourceId());
            assertThat(source.name()).isEqualTo(t.partitionColumn());
            assertThat(source.type()).isEqualTo(CuratedTable.INSTANT);
            assertThat(source.isRequired()).as(t.name() + ": every row has a partition").isTrue();
        }
    }

    @Test
    void everyColumnHasATypeAthenaCanDeclare() {
        for (CuratedTable t : VigilTables.all()) {
            for (Types.NestedField c : t.schema().columns()) {
                Type type = c.type();
                if (type.isMapType()) {
                    assertThat(type.asMapType().keyType()).isEqualTo(Types.StringType.get());
                    assertThat(type.asMapType().valueType()).isEqualTo(Types.StringType.get());
                } else if (type.isListType()) {
                    assertThat(type.asListType().elementType()).isEqualTo(Types.StringType.get());
                } else {
                    assertThat(type.toString()).as(t.name() + "." + c.name()).isIn(ATHENA_DECLARABLE);
                }
                assertThat(c.name()).as("lower-case, unquoted in Athena").matches("[a-z][a-z0-9_]*");
            }
        }
    }

    @Test
    void tableNamesAreUniqueAndFieldIdsAreThoseACatalogAssigns() {
        Set<String> names = new HashSet<>();
        for (CuratedTable t : VigilTables.all()) {
            assertThat(names.add(t.name())).as(t.name()).isTrue();
            List<Types.NestedField> columns = t.schema().columns();
            for (int i = 0; i < columns.size(); i++) {
                assertThat(columns.get(i).fieldId()).isEqualTo(i + 1);
            }
            assertThat(t.rowType().getFieldCount()).isEqualTo(columns.size());
        }
        assertThat(names).containsExactlyInAnyOrder("pipeline_runs", "dataset_updates", "dq_results",
                "metric_samples", "auth_events", "auth_user_features", "commerce_events", "commerce_metrics",
                "alerts", "alert_deliveries", "alert_digests", "dead_letter");
        assertThat(VigilTables.named("alerts")).isSameAs(VigilTables.ALERTS);
    }

    @Test
    void tablesAreFormatTwoParquetWithZstd() {
        assertThat(VigilTables.tableProperties())
                .containsEntry("format-version", "2")
                .containsEntry("write.format.default", "parquet")
                .containsEntry("write.parquet.compression-codec", "zstd")
                .containsEntry("write.distribution-mode", "hash");
    }
}
