package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.AuthEvent;
import io.vigil.model.CommerceEvent;
import io.vigil.model.CommerceEventType;
import io.vigil.model.Dataset;
import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.InputFormat;
import io.vigil.model.Label;
import io.vigil.model.MetricSample;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RunEventType;
import io.vigil.testing.Samples;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParsersTest {
    private final RecordDecoder decoder = new RecordDecoder(() -> Instant.parse("2026-11-21T00:00:00Z").toEpochMilli());

    private Envelope decode(InputFormat f, String line) {
        return decoder.decode(Samples.raw(f, line));
    }

    @ParameterizedTest
    @EnumSource(InputFormat.class)
    void everySampleLineIsValid(InputFormat f) {
        for (String line : Samples.records(f)) {
            Envelope e = decode(f, line);
            assertThat(e).as(line).isNotNull();
            assertThat(e.deadLetter).as(line).isNull();
            if (f == InputFormat.EVENTBRIDGE || f == InputFormat.DATABRICKS_CLUSTER_EVENTS) {
                // runs of a publication or a cluster start-up, samples for the rest (docs/inputs-events.md)
                assertThat(e.family).isIn(io.vigil.model.Family.PIPELINE_RUN, io.vigil.model.Family.METRIC);
            } else {
                assertThat(e.family).isEqualTo(f.family());
            }
            assertThat(e.source).isEqualTo("test-" + f.id());
        }
    }

    @Test
    void lanlLinesSplitPrincipalsAndMapQuestionMarksToNull() {
        List<String> lines = Samples.records(InputFormat.LANL_AUTH);
        AuthEvent a = decode(InputFormat.LANL_AUTH, lines.get(3)).auth;
        // 1,C1020$@DOM1,SYSTEM@C1020,C1020,C1020,Negotiate,Service,LogOn,Success
        assertThat(a.time).isEqualTo(1000L);
        assertThat(a.sourceUser).isEqualTo("C1020$");
        assertThat(a.sourceDomain).isEqualTo("DOM1");
        assertThat(a.destinationUser).isEqualTo("SYSTEM");
        assertThat(a.destinationDomain).isEqualTo("C1020");
        assertThat(a.destinationPrincipal()).isEqualTo("SYSTEM@C1020");
        assertThat(a.authType).isEqualTo("Negotiate");
        assertThat(a.logonType).isEqualTo("Service");
        assertThat(a.orientation).isEqualTo("LogOn");
        assertThat(a.success).isTrue();

        AuthEvent tgs = decode(InputFormat.LANL_AUTH, lines.get(8)).auth;
        assertThat(tgs.authType).isNull();
        assertThat(tgs.logonType).isNull();
        assertThat(tgs.orientation).isEqualTo("TGS");

        AuthEvent fail = decode(InputFormat.LANL_AUTH, lines.get(9)).auth;
        assertThat(fail.success).isFalse();
        assertThat(fail.time).isEqualTo(2000L);
        AuthEvent anon = decode(InputFormat.LANL_AUTH, lines.get(0)).auth;
        assertThat(anon.sourceUser).isEqualTo("ANONYMOUS LOGON");
    }

    @Test
    void authJsonMatchesTheLanlLineOfTheSameEvent() {
        AuthEvent fromLine = decode(InputFormat.LANL_AUTH, Samples.records(InputFormat.LANL_AUTH).get(9)).auth;
        AuthEvent fromJson = decode(InputFormat.AUTH_JSON, Samples.records(InputFormat.AUTH_JSON).get(0)).auth;
        assertThat(fromJson).usingRecursiveComparison().isEqualTo(fromLine);
        AuthEvent boolSuccess = decode(InputFormat.AUTH_JSON, Samples.records(InputFormat.AUTH_JSON).get(1)).auth;
        assertThat(boolSuccess.success).isTrue();
        assertThat(boolSuccess.time).isEqualTo(1_793_613_600_000L);
    }

    @Test
    void rees46HeaderIsNotARecordAndEmptyColumnsAreNull() {
        assertThat(decode(InputFormat.REES46, Rees46Parser.HEADER)).isNull();
        List<String> lines = Samples.records(InputFormat.REES46);
        CommerceEvent c = decode(InputFormat.REES46, lines.get(0)).commerce;
        assertThat(c.eventTime).isEqualTo(Instant.parse("2019-10-01T00:00:00Z").toEpochMilli());
        assertThat(c.eventType).isEqualTo(CommerceEventType.VIEW);
        assertThat(c.productId).isEqualTo(44600062L);
        assertThat(c.categoryId).isEqualTo(2103807459595387724L);
        assertThat(c.categoryCode).isNull();
        assertThat(c.brand).isEqualTo("shiseido");
        assertThat(c.price).isEqualTo(35.79);
        assertThat(c.userId).isEqualTo(541312140L);
        assertThat(c.userSession).isEqualTo("72d76fde-8bb3-4e00-8c23-a032dfed738c");
        CommerceEvent noBrand = decode(InputFormat.REES46, lines.get(2)).commerce;
        assertThat(noBrand.brand).isNull();
        assertThat(noBrand.categoryCode).isEqualTo("furniture.living_room.sofa");
        assertThat(decode(InputFormat.REES46, lines.get(7)).commerce.eventType).isEqualTo(CommerceEventType.PURCHASE);
    }

    @Test
    void rees46QuotedColumnsMayHoldCommas() {
        Envelope e = decode(InputFormat.REES46,
                "2019-10-01 00:00:01 UTC,view,1,2,\"a,b\",\"say \"\"hi\"\"\",1.5,3,s");
        assertThat(e.commerce.categoryCode).isEqualTo("a,b");
        assertThat(e.commerce.brand).isEqualTo("say \"hi\"");
    }

    @Test
    void commerceJsonAcceptsIsoTimesAndDigitStrings() {
        List<String> lines = Samples.records(InputFormat.COMMERCE_JSON);
        CommerceEvent fromJson = decode(InputFormat.COMMERCE_JSON, lines.get(0)).commerce;
        CommerceEvent fromCsv = decode(InputFormat.REES46, Samples.records(InputFormat.REES46).get(7)).commerce;
        assertThat(fromJson).usingRecursiveComparison().isEqualTo(fromCsv);
        CommerceEvent second = decode(InputFormat.COMMERCE_JSON, lines.get(1)).commerce;
        assertThat(second.productId).isEqualTo(3900821L);
        assertThat(second.price).isEqualTo(33.20);
        assertThat(second.categoryCode).isNull();
        assertThat(second.brand).isNull();
    }

    @Test
    void openLineageStartCompleteFailCarryTheFacetsVigilJudges() {
        List<String> lines = Samples.records(InputFormat.OPENLINEAGE);
        PipelineRunEvent start = decode(InputFormat.OPENLINEAGE, lines.get(0)).run;
        assertThat(start.eventType).isEqualTo(RunEventType.START);
        assertThat(start.eventTime).isEqualTo(Instant.parse("2026-11-02T10:00:00.123Z").toEpochMilli());
        assertThat(start.runId).isEqualTo("01932d4e-7a3b-7c1e-9a55-3f1c2b8e4d01");
        assertThat(start.jobKey()).isEqualTo("airflow-prod/loans_daily.transform");
        assertThat(start.inputs).hasSize(1);
        assertThat(start.inputs[0].qualifiedName()).isEqualTo("postgres://loans-db:5432/public.loans");
        assertThat(start.outputs).isEmpty();

        PipelineRunEvent complete = decode(InputFormat.OPENLINEAGE, lines.get(1)).run;
        assertThat(complete.eventType).isEqualTo(RunEventType.COMPLETE);
        Dataset in = complete.inputs[0];
        assertThat(in.rowCount).isEqualTo(120450L);
        assertThat(in.assertions).containsExactly(
                new DataQualityAssertion("not_null", true, "loan_id"),
                new DataQualityAssertion("unique", true, "loan_id"),
                new DataQualityAssertion("row_count_between", true, null));
        assertThat(in.columnMetrics).extracting(m -> m.column + ":" + m.nullCount + ":" + m.distinctCount)
                .containsExactly("loan_id:0:120450", "borrower_id:12:98211");
        assertThat(complete.outputs[0].qualifiedName()).isEqualTo("s3://abaco-lake/curated/loans_daily");
        assertThat(complete.outputs[0].rowCount).isEqualTo(120438L);

        PipelineRunEvent fail = decode(InputFormat.OPENLINEAGE, lines.get(2)).run;
        assertThat(fail.eventType).isEqualTo(RunEventType.FAIL);
        assertThat(fail.errorMessage).startsWith("Database Error in model stg_payments");
        assertThat(fail.inputs[0].assertions).containsExactly(new DataQualityAssertion("not_null", false, "amount"));
        assertThat(fail.producer).contains("dbt-core");

        PipelineRunEvent running = decode(InputFormat.OPENLINEAGE, lines.get(3)).run;
        assertThat(running.eventType).isEqualTo(RunEventType.RUNNING);
        assertThat(running.eventTime).isEqualTo(Instant.parse("2026-11-02T09:05:00Z").toEpochMilli());
    }

    @Test
    void openLineageWithoutEventTypeIsOther() {
        Envelope e = decode(InputFormat.OPENLINEAGE,
                "{\"eventTime\":\"2026-11-02T10:00:00Z\",\"run\":{\"runId\":\"r\"},\"job\":{\"namespace\":\"n\",\"name\":\"j\"}}");
        assertThat(e.run.eventType).isEqualTo(RunEventType.OTHER);
        assertThat(e.run.inputs).isEmpty();
    }

    @Test
    void metricSamplesTakeIsoOrEpochMillisAndSortLabels() {
        List<String> lines = Samples.records(InputFormat.METRICS);
        MetricSample par = decode(InputFormat.METRICS, lines.get(0)).metric;
        assertThat(par.name).isEqualTo("par_90_pct");
        assertThat(par.value).isEqualTo(4.2);
        assertThat(par.time).isEqualTo(Instant.parse("2026-11-02T10:00:00Z").toEpochMilli());
        assertThat(par.label("portfolio")).isEqualTo("abaco");
        MetricSample rate = decode(InputFormat.METRICS, lines.get(1)).metric;
        assertThat(rate.time).isEqualTo(1_793_613_600_000L);
        assertThat(rate.labels).containsExactly(new Label("portfolio", "abaco"), new Label("segment", "sme"));
        MetricSample lag = decode(InputFormat.METRICS, lines.get(2)).metric;
        assertThat(lag.labels).isEmpty();
        assertThat(lag.value).isEqualTo(12.0);
    }

    @Test
    void aLeadingBomAndCrlfAreNotPartOfTheRecord() {
        String line = Samples.records(InputFormat.LANL_AUTH).get(0);
        Envelope e = decode(InputFormat.LANL_AUTH, "\uFEFF" + line + "\r\n");
        assertThat(e.isValid()).isTrue();
        assertThat(e.auth.success).isTrue();
        assertThat(e.family).isEqualTo(Family.AUTH);
    }
}
