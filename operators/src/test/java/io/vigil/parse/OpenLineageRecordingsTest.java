package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Dataset;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.LineageEventKind;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RunEventType;
import io.vigil.model.SourceTally;
import io.vigil.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parses events recorded from real OpenLineage producers (see openlineage/real/NOTES.md). */
class OpenLineageRecordingsTest {
    static final String[] RECORDINGS = {
        "dbt-run-results-failed-tests.jsonl",
        "dbt-ol-structured-logs-failed-test.jsonl",
        "dbt-ol-1.34-model-run.jsonl",
        "airflow-provider-2.2.0.jsonl",
        "spark-1.18.0.jsonl",
        "static-events.jsonl",
        "zoneless-time.jsonl",
    };

    private final RecordDecoder decoder = new RecordDecoder(() -> Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());

    static List<String> lines(String name) {
        try (InputStream in = OpenLineageRecordingsTest.class.getResourceAsStream("/openlineage/real/" + name)) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(all.split("\n")).filter(l -> !l.isBlank()).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Envelope> parse(String name) {
        List<Envelope> out = new ArrayList<>();
        for (String line : lines(name)) {
            Envelope e = decoder.decode(Samples.raw(InputFormat.OPENLINEAGE, line));
            assertThat(e.deadLetter).as("%s: %s", name, e.deadLetter == null ? "" : e.deadLetter.detail).isNull();
            out.add(e);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "dbt-run-results-failed-tests.jsonl",
        "dbt-ol-structured-logs-failed-test.jsonl",
        "dbt-ol-1.34-model-run.jsonl",
        "airflow-provider-2.2.0.jsonl",
        "spark-1.18.0.jsonl",
        "static-events.jsonl",
        "zoneless-time.jsonl",
    })
    void everyRecordingIsValidAndNothingIsLeftUnread(String name) {
        List<Envelope> events = parse(name);
        assertThat(events).isNotEmpty();
        for (Envelope e : events) {
            assertThat(e.notes == null ? 0 : e.notes.unreadableFacets).as(name).isZero();
            assertThat(e.run != null ^ e.lineage != null).as(name).isTrue();
        }
    }

    @Test
    void dbtOlFailedAcceptedValuesTestIsAFailedAssertionOnTheInputDataset() {
        List<Envelope> events = parse("dbt-ol-structured-logs-failed-test.jsonl");
        PipelineRunEvent fail = events.get(2).run;
        assertThat(fail.eventType).isEqualTo(RunEventType.FAIL);
        assertThat(fail.eventTime).isEqualTo(Instant.parse("2024-12-17T10:03:22.793Z").toEpochMilli());
        assertThat(fail.inputs).hasSize(1);
        Dataset customers = fail.inputs[0];
        assertThat(customers.qualifiedName()).isEqualTo("postgres://postgres:5432/postgres.public.customers");
        assertThat(customers.assertions).containsExactly(new DataQualityAssertion("accepted_values", false, "first_name"));
        assertThat(customers.datasource).isEqualTo("postgres://postgres:5432");
        // the audit table dbt writes is an output without assertions
        assertThat(fail.outputs[0].assertions).isEmpty();
        // tied to the invocation's job
        assertThat(fail.parentJobName).isEqualTo("dbt-run-jaffle_shop");
        assertThat(fail.parentRunId).isEqualTo(events.get(0).run.runId);
        assertThat(fail.jobType).isEqualTo("TEST");
        assertThat(fail.integration).isEqualTo("DBT");
        assertThat(fail.processingType).isEqualTo("BATCH");
        assertThat(fail.errorMessage).isEqualTo("Got 78 results, configured to fail if != 0");
        // the test's START carries no assertions yet
        assertThat(events.get(1).run.inputs[0].assertions).isEmpty();
    }

    @Test
    void assertionsRepeatedInFacetsAndInputFacetsAreKeptOnce() {
        List<Envelope> events = parse("dbt-run-results-failed-tests.jsonl");
        PipelineRunEvent fail = events.get(2).run;
        assertThat(fail.eventType).isEqualTo(RunEventType.FAIL);
        assertThat(fail.inputs[0].qualifiedName()).isEqualTo("snowflake://ASDF1234.eu-central-1.aws/DEMO_DB.public.customers");
        assertThat(fail.inputs[0].assertions).containsExactly(
                new DataQualityAssertion("unique", false, "customer_id"),
                new DataQualityAssertion("not_null", false, "customer_id"));
        assertThat(fail.parentJobNamespace).isEqualTo("dbt");
        assertThat(fail.parentJobName).isEqualTo("dbt-job-name");
        PipelineRunEvent passed = events.get(1).run;
        assertThat(passed.eventType).isEqualTo(RunEventType.COMPLETE);
        assertThat(passed.inputs[0].assertions).isNotEmpty().allMatch(a -> a.success);
    }

    @Test
    void airflowCarriesNominalTimeParentAndJobType() {
        List<Envelope> events = parse("airflow-provider-2.2.0.jsonl");
        PipelineRunEvent dag = events.get(0).run;
        PipelineRunEvent task = events.get(1).run;
        assertThat(dag.jobType).isEqualTo("DAG");
        assertThat(dag.integration).isEqualTo("AIRFLOW");
        assertThat(dag.parentRunId).isNull();
        assertThat(task.jobType).isEqualTo("TASK");
        assertThat(task.parentRunId).isEqualTo(dag.runId);
        assertThat(task.parentJobName).isEqualTo("mydag");
        assertThat(task.nominalStartTime).isEqualTo(Instant.parse("2024-07-05T09:04:12.162Z").toEpochMilli());
        assertThat(task.nominalEndTime).isEqualTo(task.nominalStartTime);
    }

    @Test
    void sparkJobIsTiedToItsApplication() {
        List<Envelope> events = parse("spark-1.18.0.jsonl");
        PipelineRunEvent app = events.get(0).run;
        PipelineRunEvent job = events.get(1).run;
        assertThat(app.jobType).isEqualTo("APPLICATION");
        assertThat(app.processingType).isEqualTo("NONE");
        assertThat(job.parentRunId).isEqualTo(app.runId);
        assertThat(job.jobType).isEqualTo("SQL_JOB");
        assertThat(job.inputs[0].qualifiedName()).isEqualTo("hdfs://test-hadoop:9820//user/hive/warehouse/mydatabase.db/source_table");
        assertThat(job.outputs[0].namespace).isEqualTo("clickhouse://localhost:8123");
    }

    @Test
    void runEventsCarryTheSchemaFacetOfTheirInputsAndOutputs() {
        // Airflow's postgres operator: types as the database names them, on inputs and outputs alike
        PipelineRunEvent task = parse("airflow-provider-2.2.0.jsonl").get(1).run;
        assertThat(task.inputs[0].schemaFields).extracting(f -> f.name + ":" + f.type).containsExactly(
                "order_id:integer", "order_placed_on:timestamp", "order_dispatched_on:timestamp",
                "order_delivery_time:double precision");
        assertThat(task.outputs[0].schemaFields).extracting(f -> f.name + ":" + f.type).containsExactly(
                "order_day_of_week:varchar", "order_placed_on:timestamp", "orders_placed:int4");
        // Spark: Spark SQL type names, on the RUNNING event of the SQL job
        PipelineRunEvent job = parse("spark-1.18.0.jsonl").get(1).run;
        assertThat(job.outputs[0].schemaFields).extracting(f -> f.name + ":" + f.type).containsExactly(
                "dt:timestamp", "customer_id:decimal(20,0)", "total_spent:float");
        // dbt-ol: column names from the model's yml, no types
        PipelineRunEvent test = parse("dbt-ol-structured-logs-failed-test.jsonl").get(1).run;
        assertThat(test.inputs[0].schemaFields).hasSize(7).allMatch(f -> f.type == null);
        assertThat(test.inputs[0].schemaFields[0].name).isEqualTo("customer_id");
        // a dataset whose event has no schema facet has no fields (not "every field removed")
        PipelineRunEvent dag = parse("airflow-provider-2.2.0.jsonl").get(0).run;
        assertThat(dag.inputs).allMatch(d -> d.schemaFields.length == 0);
    }

    @Test
    void datasetAndJobEventsAreValidLineageWithNoRun() {
        List<Envelope> events = parse("static-events.jsonl");
        assertThat(events).allMatch(e -> e.run == null && e.lineage != null && e.isValid());
        Envelope ds = events.get(0);
        assertThat(ds.lineage.kind).isEqualTo(LineageEventKind.DATASET);
        assertThat(ds.lineage.datasets[0].qualifiedName()).isEqualTo("openlineage/name");
        assertThat(ds.lineage.datasets[0].schemaFields).extracting(f -> f.name + ":" + f.type).containsExactly("a:string", "b:string");
        // the Python client writes this time without an offset: read as UTC, and noted
        assertThat(ds.eventTime).isEqualTo(Instant.parse("2021-11-03T10:53:52.427Z").toEpochMilli());
        assertThat(ds.notes.zonelessTime).isTrue();
        Envelope job = events.get(1);
        assertThat(job.lineage.kind).isEqualTo(LineageEventKind.JOB);
        assertThat(job.lineage.jobName).isEqualTo("name");
        assertThat(job.lineage.inputCount).isEqualTo(1);
        assertThat(job.lineage.datasets).extracting(Dataset::qualifiedName).containsExactly("openlineage/dataset_a", "openlineage/dataset_b");
        // Marquez's JobEvent fixture also carries an eventType: its schemaURL still says JobEvent
        assertThat(events.get(3).lineage.kind).isEqualTo(LineageEventKind.JOB);
        assertThat(events.get(2).eventTime).isEqualTo(Instant.parse("2020-12-28T09:52:00.001Z").toEpochMilli());
    }

    @Test
    void zonelessTimeIsReadAsUtcAndCountedPerSource() {
        Envelope e = parse("zoneless-time.jsonl").get(0);
        assertThat(e.eventTime).isEqualTo(Instant.parse("2020-12-28T19:51:01.641Z").toEpochMilli());
        assertThat(e.notes.zonelessTime).isTrue();
        SourceTally t = new SourceTally(e.source);
        t.add(e);
        for (Envelope s : parse("static-events.jsonl")) {
            t.add(s);
        }
        assertThat(t.zonelessTime).isEqualTo(3); // this one and the Python client's two
        assertThat(t.lineageEvents).isEqualTo(4);
        assertThat(t.valid).isEqualTo(5);
    }

    @Test
    void theProjectSampleStillParses() {
        for (String line : Samples.records(InputFormat.OPENLINEAGE)) {
            Envelope e = decoder.decode(Samples.raw(InputFormat.OPENLINEAGE, line));
            assertThat(e.deadLetter).as(line).isNull();
        }
    }
}
