package io.vigil.source.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The GetMetricData request form and the reading of its XML answers. */
class CloudWatchGetMetricDataTest {
    private static final String NS = "<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">";

    @Test
    void theFormCarriesTheMetricItsDimensionsThePeriodAndTheToken() {
        CloudWatchQuery q = CloudWatchQuery.parse("age", "AWS/Kinesis GetRecords.IteratorAgeMilliseconds p99 StreamName=auth-stream,Shard=1");
        CloudWatchGetMetricData p = new CloudWatchGetMetricData(q, "eu-west-1", null, Duration.ofSeconds(5));
        assertThat(p.uri().toString()).isEqualTo("https://monitoring.eu-west-1.amazonaws.com/");
        long start = Instant.parse("2026-12-02T10:00:00Z").toEpochMilli();
        String form = p.form(start, start + 300_000, 60_000, "tok/1+");
        assertThat(form).startsWith("Action=GetMetricData&Version=2010-08-01&StartTime=2026-12-02T10%3A00%3A00Z"
                        + "&EndTime=2026-12-02T10%3A05%3A00Z&ScanBy=TimestampAscending")
                .contains("&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FKinesis")
                .contains("&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.2.Name=Shard")
                .contains("&MetricDataQueries.member.1.MetricStat.Period=60&MetricDataQueries.member.1.MetricStat.Stat=p99")
                .endsWith("&NextToken=tok%2F1%2B");
    }

    @Test
    void pagesTheirTokenAndResultStatuses() throws Exception {
        CloudWatchGetMetricData.Page page = CloudWatchGetMetricData.parse(NS + "<GetMetricDataResult><MetricDataResults><member>"
                + "<Timestamps><member>2026-12-02T10:00:00Z</member><member>2026-12-02T10:01:00Z</member></Timestamps>"
                + "<StatusCode>PartialData</StatusCode><Values><member>12.5</member><member>0.0</member></Values><Id>q0</Id>"
                + "</member></MetricDataResults><NextToken>abc</NextToken><Messages/></GetMetricDataResult></GetMetricDataResponse>", "t");
        assertThat(page.times).containsExactly(Instant.parse("2026-12-02T10:00:00Z").toEpochMilli(),
                Instant.parse("2026-12-02T10:01:00Z").toEpochMilli());
        assertThat(page.values).containsExactly(12.5, 0.0);
        assertThat(page.nextToken).isEqualTo("abc");

        String internal = NS + "<GetMetricDataResult><MetricDataResults><member><StatusCode>InternalError</StatusCode>"
                + "<Timestamps/><Values/></member></MetricDataResults></GetMetricDataResult></GetMetricDataResponse>";
        assertThatThrownBy(() -> CloudWatchGetMetricData.parse(internal, "t"))
                .isInstanceOfSatisfying(PollFailure.class, f -> assertThat(f.retryable()).isTrue());
        assertThatThrownBy(() -> CloudWatchGetMetricData.parse(internal.replace("InternalError", "Forbidden"), "t"))
                .isInstanceOfSatisfying(PollFailure.class, f -> assertThat(f.retryable()).isFalse());
        assertThat(CloudWatchGetMetricData.errorCode("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                + "<Message>Rate exceeded</Message></Error></ErrorResponse>")).isEqualTo("Throttling");
        assertThat(CloudWatchGetMetricData.errorCode("<html>bad gateway")).isNull();
    }
}
