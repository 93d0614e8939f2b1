package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobEdge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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

    @Test
    void eachInputsEventRowsAreWrittenInItsOwnChainWithoutAShuffle() {
        StreamExecutionEnvironment env = IcebergTablesITCase.replayEnvironment();
        IcebergTables.in(warehouse.config()).write(IcebergTablesITCase.everyFormat().inputs(env), null);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        List<String> vertices = new ArrayList<>();
        Map<String, List<String>> writerInputs = new LinkedHashMap<>();
        for (JobVertex v : graph.getVertices()) {
            vertices.add(v.getName());
            for (String table : List.of("dataset_updates", "metric_samples", "auth_events", "commerce_events",
                    "dead_letter")) {
                if (v.getName().contains("iceberg-" + table + "-IcebergStreamWriter")) {
                    List<String> strategies = new ArrayList<>();
                    for (JobEdge e : v.getInputs()) {
                        strategies.add(e.getShipStrategyName());
                    }
                    writerInputs.put(table, strategies);
                }
            }
        }
        // the only input of its family: rows made and written in the input's chain
        assertThat(vertices).anyMatch(v -> v.contains("parse auth") && v.contains("iceberg-auth_events-IcebergStreamWriter"));
        assertThat(vertices).anyMatch(v -> v.contains("parse kpi") && v.contains("iceberg-metric_samples-IcebergStreamWriter"));
        assertThat(vertices).anyMatch(v -> v.contains("parse lineage")
                && v.contains("iceberg-dataset_updates-IcebergStreamWriter"));
        // several inputs (two commerce formats; every input's dead letters): forwarded, never keyed
        assertThat(writerInputs.get("commerce_events")).containsExactly("FORWARD", "FORWARD");
        assertThat(writerInputs.get("dead_letter")).hasSize(5).containsOnly("FORWARD");
        for (CuratedTable t : VigilTables.all()) {
            if (t != VigilTables.ALERTS && t != VigilTables.ALERT_DELIVERIES) {
                assertThat(vertices).as("one committer for " + t)
                        .filteredOn(v -> v.contains("iceberg-" + t.name() + "-IcebergFilesCommitter")).hasSize(1);
            }
        }
    }
}
