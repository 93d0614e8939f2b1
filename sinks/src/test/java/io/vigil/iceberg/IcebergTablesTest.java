package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.InputFormat;
import io.vigil.testing.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobEdge;
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
    void oneInputsEventRowsAreMadeAndWrittenInItsChain() {
        StreamExecutionEnvironment env = IcebergTablesITCase.replayEnvironment();
        IcebergTables.in(warehouse.config()).write(new ReplayedInputs()
                .add("auth", InputFormat.LANL_AUTH, Samples.records(InputFormat.LANL_AUTH)).inputs(env), null);
        List<String> vertices = new ArrayList<>();
        for (JobVertex v : env.getStreamGraph().getJobGraph().getVertices()) {
            vertices.add(v.getName());
        }
        assertThat(vertices).anyMatch(v -> v.contains("parse auth") && v.contains("table rows auth")
                && v.contains("write auth_events") && v.contains("write dead_letter"));
    }

    @Test
    void severalInputsEventRowsAreForwardedNeverKeyedWithOneCommitterPerTable() {
        StreamExecutionEnvironment env = IcebergTablesITCase.replayEnvironment();
        IcebergTables.in(warehouse.config()).write(IcebergTablesITCase.everyFormat().inputs(env), null);
        List<String> vertices = new ArrayList<>();
        Map<String, List<String>> writerInputs = new LinkedHashMap<>();
        for (JobVertex v : env.getStreamGraph().getJobGraph().getVertices()) {
            vertices.add(v.getName());
            for (String table : List.of("dataset_updates", "metric_samples", "auth_events", "commerce_events",
                    "dead_letter")) {
                if (v.getName().contains("write " + table)) {
                    List<String> strategies = new ArrayList<>();
                    for (JobEdge e : v.getInputs()) {
                        strategies.add(e.getShipStrategyName());
                    }
                    writerInputs.put(table, strategies);
                }
            }
        }
        // rows made in each input's chain; every input feeds every writer, so no writer ends before the job
        assertThat(vertices).anyMatch(v -> v.contains("parse auth") && v.contains("table rows auth"));
        assertThat(writerInputs).hasSize(5);
        for (List<String> edges : writerInputs.values()) {
            assertThat(edges).hasSize(5).containsOnly("FORWARD");
        }
        for (CuratedTable t : VigilTables.all()) {
            if (t != VigilTables.ALERTS && t != VigilTables.ALERT_DELIVERIES && t != VigilTables.ALERT_DIGESTS) {
                assertThat(vertices).as("one committer for " + t)
                        .filteredOn(v -> v.contains("commit " + t.name())).hasSize(1);
            }
        }
    }
}
