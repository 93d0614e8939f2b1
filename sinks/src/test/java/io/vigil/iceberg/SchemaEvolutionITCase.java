package io.vigil.iceberg;

import static io.vigil.iceberg.SampleEnvelopes.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.AlertEvent;
import io.vigil.model.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A warehouse whose pipeline_runs was made with the columns of an older release (up to
 * {@code source}): the job adds the new columns at start-up and writes rows with them.
 */
class SchemaEvolutionITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    /** pipeline_runs as the release before issue 14 made it: the first ten columns. */
    private static Schema oldPipelineRuns() {
        List<Types.NestedField> cols = VigilTables.PIPELINE_RUNS.schema().columns();
        int sourceAt = VigilTables.PIPELINE_RUNS.schema().columns().indexOf(VigilTables.PIPELINE_RUNS.schema().findField("source"));
        return new Schema(new ArrayList<>(cols.subList(0, sourceAt + 1)));
    }

    private Table createOld() {
        Catalog catalog = warehouse.config().catalogLoader().loadCatalog();
        Namespace ns = Namespace.of(warehouse.config().namespace());
        ((SupportsNamespaces) catalog).createNamespace(ns);
        Schema old = oldPipelineRuns();
        return catalog.createTable(warehouse.config().identifier(VigilTables.PIPELINE_RUNS), old,
                org.apache.iceberg.PartitionSpec.builderFor(old).day("ended_at").build(), VigilTables.tableProperties());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void startUpAddsTheNewColumnsAndRowsCarryThem() throws Exception {
        Table old = createOld();
        assertThat(old.schema().findField("parent_run_id")).isNull();

        StreamExecutionEnvironment env = IcebergTablesITCase.replayEnvironment();
        IcebergTables tables = IcebergTables.in(warehouse.config());
        List<Envelope> runs = new ArrayList<>();
        io.vigil.model.PipelineRunEvent run = new io.vigil.model.PipelineRunEvent();
        run.runId = "r-test";
        run.eventType = io.vigil.model.RunEventType.FAIL;
        run.eventTime = at("2024-12-17T10:03:22.793Z");
        run.jobNamespace = "dbt-test-namespace";
        run.jobName = "test.jaffle_shop.accepted_values_customers_first_name__Jane.21e890a312";
        Envelope fail = Envelope.of("dbt", run);
        fail.run.parentRunId = "r-invocation";
        fail.run.parentJobNamespace = "dbt-test-namespace";
        fail.run.parentJobName = "dbt-run-jaffle_shop";
        fail.run.jobType = "TEST";
        fail.run.integration = "DBT";
        fail.run.processingType = "BATCH";
        fail.run.nominalStartTime = at("2024-12-17T10:00:00Z");
        runs.add(fail);
        tables.write(env.fromData(runs, TypeInformation.of(Envelope.class)).assignTimestampsAndWatermarks(
                        org.apache.flink.api.common.eventtime.WatermarkStrategy.<Envelope>forMonotonousTimestamps()
                                .withTimestampAssigner((e, ts) -> e.eventTime)),
                env.fromData(IcebergTablesITCase.alerts(), TypeInformation.of(AlertEvent.class)));
        env.execute("schema-evolution-it");

        Table now = warehouse.table(VigilTables.PIPELINE_RUNS);
        assertThat(now.schema().columns()).extracting(Types.NestedField::name)
                .containsExactlyElementsOf(VigilTables.PIPELINE_RUNS.schema().columns().stream().map(Types.NestedField::name)
                        .collect(java.util.stream.Collectors.toList()));
        List<Record> rows = warehouse.rows(VigilTables.PIPELINE_RUNS);
        assertThat(rows).hasSize(1);
        Record r = rows.get(0);
        assertThat(r.getField("run_id")).isEqualTo("r-test");
        assertThat(r.getField("parent_run_id")).isEqualTo("r-invocation");
        assertThat(r.getField("parent_job_name")).isEqualTo("dbt-run-jaffle_shop");
        assertThat(r.getField("job_type")).isEqualTo("TEST");
        assertThat(r.getField("integration")).isEqualTo("DBT");
        assertThat(r.getField("nominal_start_time")).isNotNull();
        assertThat(r.getField("nominal_end_time")).isNull();
    }

    @Test
    void aTableThatDiffersOtherwiseIsStillRefused() {
        Catalog catalog = warehouse.config().catalogLoader().loadCatalog();
        ((SupportsNamespaces) catalog).createNamespace(Namespace.of(warehouse.config().namespace()));
        List<Types.NestedField> cols = new ArrayList<>(oldPipelineRuns().columns());
        cols.set(1, Types.NestedField.required(2, "job", Types.StringType.get()));
        Schema renamed = new Schema(cols);
        catalog.createTable(warehouse.config().identifier(VigilTables.PIPELINE_RUNS), renamed,
                org.apache.iceberg.PartitionSpec.builderFor(renamed).day("ended_at").build(), VigilTables.tableProperties());
        assertThatThrownBy(() -> IcebergTables.in(warehouse.config()).createMissingTables())
                .hasMessageContaining("column 2 is job string");
        assertThat(warehouse.table(VigilTables.PIPELINE_RUNS).schema().findField("parent_run_id")).isNull();
    }
}
