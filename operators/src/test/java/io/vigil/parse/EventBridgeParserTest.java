package io.vigil.parse;

import static io.vigil.parse.RealSamples.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.InputFormat;
import io.vigil.model.ReasonCode;
import io.vigil.model.RunEventType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** AWS's documented EventBridge examples (eventbridge/real/NOTES.md) and refusals. */
class EventBridgeParserTest {
    private static final InputFormat F = InputFormat.EVENTBRIDGE;

    private static String sample(Envelope e) {
        return e.metric.name + Arrays.toString(e.metric.labels) + " " + e.metric.value + " " + Instant.ofEpochMilli(e.metric.time);
    }

    @Test
    void cloudWatchAlarmStateChangesAreOneSeriesPerAlarm() {
        List<Envelope> all = RealSamples.valid(F, "/eventbridge/real/cloudwatch-alarm-state-change.jsonl");
        assertThat(all).allMatch(e -> e.family == Family.METRIC);
        assertThat(all.stream().map(EventBridgeParserTest::sample).collect(Collectors.toList())).containsExactly(
                "cloudwatch_alarm_state[account=123456789012, alarm_name=ServerCpuTooHigh, metric=AWS/EC2/CPUUtilization,"
                        + " region=us-east-1] 1.0 2019-10-02T17:04:40Z",
                // metric math and anomaly bands alarm on no single metric
                "cloudwatch_alarm_state[account=123456789012, alarm_name=TotalNetworkTrafficTooHigh, region=us-east-1] 1.0"
                        + " 2019-10-02T17:20:48Z",
                "cloudwatch_alarm_state[account=123456789012, alarm_name=EC2 CPU Utilization Anomaly, region=us-east-1] 1.0"
                        + " 2019-10-03T16:00:04Z");
    }

    @Test
    void aCodeArtifactPublicationIsACompletedRunOfThePackage() {
        List<Envelope> all = RealSamples.valid(F, "/eventbridge/real/codeartifact-package-version-state-change.jsonl");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).family).isEqualTo(Family.PIPELINE_RUN);
        assertThat(all.get(0).run.eventType).isEqualTo(RunEventType.COMPLETE);
        assertThat(all.get(0).run.jobKey()).isEqualTo("codeartifact:mydomain/myrepo/npm/mypackage");
        assertThat(all.get(0).run.runId).isEqualTo("1.0.0");
        assertThat(all.get(0).eventTime).isEqualTo(Instant.parse("2019-11-21T23:19:54Z").toEpochMilli());
    }

    @Test
    void packageVersionStatesMapToRunStates() {
        String ca = RealSamples.lines("/eventbridge/real/codeartifact-package-version-state-change.jsonl").get(0);
        assertThat(RealSamples.decode(F, ca.replace("\"Published\"", "\"Unfinished\"")).run.eventType).isEqualTo(RunEventType.START);
        assertThat(RealSamples.decode(F, ca.replace("\"Published\"", "\"Unlisted\"")).run.eventType).isEqualTo(RunEventType.OTHER);
        Envelope disposed = RealSamples.decode(F, ca.replace("\"Published\"", "\"Disposed\""));
        assertThat(disposed.run.eventType).isEqualTo(RunEventType.ABORT);
        assertThat(disposed.run.errorMessage).isEqualTo("package version disposed");
        assertThat(RealSamples.decode(F, ca.replace("\"Created\"", "\"Deleted\"")).run.eventType).isEqualTo(RunEventType.ABORT);
        Envelope scoped = RealSamples.decode(F, ca.replace("\"packageNamespace\":null", "\"packageNamespace\":\"acme\""));
        assertThat(scoped.run.jobName).isEqualTo("npm/acme/mypackage");
        assertDeadLetter(F, ca.replace("\"Published\"", "\"Exploded\""), ReasonCode.UNKNOWN_VALUE, "detail.packageVersionState");
        assertDeadLetter(F, ca.replace("\"Created\"", "\"Moved\""), ReasonCode.UNKNOWN_VALUE, "detail.operationType");
        assertDeadLetter(F, ca.replace("\"packageVersion\":\"1.0.0\",", ""), ReasonCode.MISSING_FIELD, "detail.packageVersion");
    }

    @Test
    void otherDetailTypesAreKeptGenerically() {
        String e = "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\","
                + "\"account\":\"111122223333\",\"time\":\"2026-11-02T10:00:00Z\",\"region\":\"eu-west-1\",\"resources\":[\"arn:x\"],"
                + "\"detail\":{\"instance-id\":\"i-1\",\"state\":\"stopped\"}}";
        assertThat(sample(RealSamples.decode(F, e))).isEqualTo("eventbridge_event[account=111122223333,"
                + " detail_type=EC2 Instance State-change Notification, region=eu-west-1, source=aws.ec2] 1.0 2026-11-02T10:00:00Z");
    }

    @Test
    void cloudTrailRecordsCarryTheApiCalledAndTheErrorOfAFailedCall() {
        List<Envelope> all = RealSamples.valid(F, "/eventbridge/real/codeartifact-cloudtrail.jsonl");
        assertThat(all.stream().map(EventBridgeParserTest::sample).collect(Collectors.toList())).containsExactly(
                "eventbridge_event[account=123456789012, detail_type=AWS API Call via CloudTrail,"
                        + " event_name=GetAuthorizationToken, region=us-west-2, source=aws.codeartifact] 1.0 2018-12-11T13:31:37Z",
                "eventbridge_event[account=123456789012, detail_type=AWS API Call via CloudTrail,"
                        + " event_name=ReadFromRepository, region=us-west-2, source=aws.codeartifact] 1.0 2018-12-17T02:05:46Z",
                // the refused call (CodeArtifact's 403): its own series, countable by error_code
                "eventbridge_event[account=123456789012, detail_type=AWS API Call via CloudTrail,"
                        + " error_code=AccessDeniedException, event_name=GetAuthorizationToken, region=us-west-2,"
                        + " source=aws.codeartifact] 1.0 2018-12-11T13:31:37Z");
        String record = RealSamples.lines("/eventbridge/real/codeartifact-cloudtrail.jsonl").get(2);
        assertDeadLetter(F, record.replace("\"eventName\":\"GetAuthorizationToken\",", ""), ReasonCode.MISSING_FIELD,
                "detail.eventName");
        assertDeadLetter(F, record.replace("\"errorCode\":\"AccessDeniedException\"", "\"errorCode\":403"),
                ReasonCode.BAD_TYPE, "detail.errorCode");
    }

    @Test
    void invalidEnvelopesAndDetailsAreDeadLettered() {
        String alarm = RealSamples.lines("/eventbridge/real/cloudwatch-alarm-state-change.jsonl").get(0);
        assertThat(RealSamples.decode(F, alarm.replace("\"value\":\"ALARM\"", "\"value\":\"OK\"")).metric.value).isZero();
        assertDeadLetter(F, alarm.replace("\"value\":\"ALARM\"", "\"value\":\"ON_FIRE\""), ReasonCode.UNKNOWN_VALUE, "detail.state.value");
        assertDeadLetter(F, alarm.replace("\"alarmName\":\"ServerCpuTooHigh\",", ""), ReasonCode.MISSING_FIELD, "detail.alarmName");
        assertDeadLetter(F, alarm.replace("\"region\":\"us-east-1\",", ""), ReasonCode.MISSING_FIELD, "region");
        assertDeadLetter(F, alarm.replace("\"account\":\"123456789012\"", "\"account\":123456789012"), ReasonCode.BAD_TYPE, "account");
        assertDeadLetter(F, alarm.replace("\"time\":\"2019-10-02T17:04:40Z\"", "\"time\":\"02/10/19\""), ReasonCode.BAD_TIMESTAMP, "time");
        assertDeadLetter(F, alarm.replace("\"resources\":[\"arn", "\"resources\":[7,\"arn"), ReasonCode.BAD_TYPE, "resources[0]");
        Envelope d = RealSamples.decode(F, alarm.replace("\"detail\":{", "\"detail\":7,\"x\":{"));
        assertThat(d.deadLetter.reason).isEqualTo(ReasonCode.BAD_TYPE);
        // a dead letter with a usable time of its own counts at it
        assertThat(d.eventTime).isEqualTo(Instant.parse("2019-10-02T17:04:40Z").toEpochMilli());
    }
}
