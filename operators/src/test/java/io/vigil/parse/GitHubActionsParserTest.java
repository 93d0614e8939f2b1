package io.vigil.parse;

import static io.vigil.parse.RealSamples.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.InputFormat;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.ReasonCode;
import io.vigil.model.RunEventType;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** GitHub's published workflow_run / workflow_job examples (github-actions/real/NOTES.md) and refusals. */
class GitHubActionsParserTest {
    private static final InputFormat F = InputFormat.GITHUB_ACTIONS;

    private static String run(PipelineRunEvent r) {
        return r.eventType + " " + Instant.ofEpochMilli(r.eventTime) + " " + r.jobKey() + " " + r.runId
                + (r.errorMessage == null ? "" : " [" + r.errorMessage + "]");
    }

    @Test
    void everyPublishedWorkflowRunExampleIsAValidRun() {
        List<Envelope> all = RealSamples.valid(F, "/github-actions/real/workflow_run.jsonl");
        assertThat(all).allMatch(e -> e.family == Family.PIPELINE_RUN && e.run != null);
        assertThat(all.stream().map(e -> run(e.run)).collect(Collectors.toList())).containsExactly(
                "START 2020-10-05T16:33:24Z github:octo-org/octo-repo/test 289782451-1",
                // requested, awaiting approval: the action decides, not the conclusion
                "START 2020-10-05T16:33:24Z github:octo-org/octo-repo/test 289782451-1",
                "COMPLETE 2020-10-05T16:33:49Z github:octo-org/octo-repo/test 289782451-1",
                "COMPLETE 2020-10-05T16:33:49Z github:octo-org/octo-repo/test 289782451-1");
        PipelineRunEvent r = all.get(2).run;
        assertThat(r.jobType).isEqualTo("WORKFLOW");
        assertThat(r.integration).isEqualTo("GITHUB_ACTIONS");
        assertThat(r.producer).isEqualTo("https://github.com/octo-org/octo-repo");
    }

    @Test
    void everyPublishedWorkflowJobExampleIsAValidRunOfItsWorkflowsJob() {
        List<Envelope> all = RealSamples.valid(F, "/github-actions/real/workflow_job.jsonl");
        assertThat(all.stream().map(e -> run(e.run)).collect(Collectors.toList())).containsExactly(
                "START 2021-09-13T02:21:13Z github:Codertocat/Hello-World/CodeQL/update 289782451-1",
                "START 2023-04-19T21:12:12Z github:lineville/elastic-machines-testing/Env Test/test 12877621891-1",
                "START 2023-04-19T21:12:12Z github:lineville/elastic-machines-testing/Env Test/test 12877621891-1",
                "RUNNING 2021-09-13T02:21:13Z github:Codertocat/Hello-World/CodeQL/Analyze (javascript) 289782451-1",
                "RUNNING 2023-06-26T03:31:36Z github:wolfy1339/github-events-schemas/Test/Do examples need to be regenerated? 14541957942-1",
                "COMPLETE 2021-08-05T10:38:16Z github:Codertocat/Hello-World/CodeQL/linters 289782451-1",
                "FAIL 2021-08-05T10:38:16Z github:Codertocat/Hello-World/CodeQL/linters 289782451-1"
                        + " [job failure at step 'Run yarn run format-check': https://github.com/octo-org/octo-repo/runs/1291536064]");
        PipelineRunEvent failed = all.get(6).run;
        assertThat(failed.parentRunId).isEqualTo("2202229078-1");
        assertThat(failed.parentJobName).isEqualTo("CodeQL");
        assertThat(failed.jobType).isEqualTo("JOB");
    }

    @Test
    void theEnvelopeShapesCarryThePayload() {
        String payload = RealSamples.lines("/github-actions/real/workflow_run.jsonl").get(2);
        Envelope plain = RealSamples.decode(F, payload);
        Envelope event = RealSamples.decode(F, "{\"event\":\"workflow_run\",\"payload\":" + payload + "}");
        Envelope headers = RealSamples.decode(F, "{\"headers\":{\"x-github-event\":[\"workflow_run\"],\"X-Hub-Signature-256\":\"sha256=0\"},"
                + "\"body\":" + payload + "}");
        String escaped = payload.replace("\\", "\\\\").replace("\"", "\\\"");
        Envelope bodyText = RealSamples.decode(F, "{\"headers\":{\"X-GitHub-Event\":\"workflow_run\"},\"body\":\"" + escaped + "\"}");
        for (Envelope e : List.of(event, headers, bodyText)) {
            assertThat(e.deadLetter).as(e.deadLetter == null ? "" : e.deadLetter.detail).isNull();
            assertThat(run(e.run)).isEqualTo(run(plain.run));
        }
    }

    @Test
    void conclusionsMapToRunStates() throws Exception {
        assertThat(GitHubActionsParser.ended("success", "c")).isEqualTo(RunEventType.COMPLETE);
        assertThat(GitHubActionsParser.ended("neutral", "c")).isEqualTo(RunEventType.COMPLETE);
        for (String fail : new String[] {"failure", "timed_out", "startup_failure"}) {
            assertThat(GitHubActionsParser.ended(fail, "c")).isEqualTo(RunEventType.FAIL);
        }
        for (String abort : new String[] {"cancelled", "skipped", "stale"}) {
            assertThat(GitHubActionsParser.ended(abort, "c")).isEqualTo(RunEventType.ABORT);
        }
        assertThat(GitHubActionsParser.ended("action_required", "c")).isEqualTo(RunEventType.OTHER);
    }

    @Test
    void invalidPayloadsAreDeadLetteredWithTheirReason() {
        String ok = "{\"action\":\"completed\",\"workflow_run\":{\"id\":5,\"name\":\"release\",\"conclusion\":\"failure\","
                + "\"updated_at\":\"2026-11-02T10:00:00Z\"},\"repository\":{\"full_name\":\"o/r\"}}";
        assertThat(RealSamples.decode(F, ok).run.eventType).isEqualTo(RunEventType.FAIL);
        assertDeadLetter(F, ok.replace("completed", "deleted"), ReasonCode.UNKNOWN_VALUE, "action: expected requested");
        assertDeadLetter(F, ok.replace("\"failure\"", "\"exploded\""), ReasonCode.UNKNOWN_VALUE, "workflow_run.conclusion");
        assertDeadLetter(F, ok.replace("\"conclusion\":\"failure\",", ""), ReasonCode.MISSING_FIELD, "workflow_run.conclusion");
        assertDeadLetter(F, ok.replace("\"id\":5", "\"id\":\"five\""), ReasonCode.BAD_TYPE, "workflow_run.id");
        assertDeadLetter(F, ok.replace("\"full_name\":\"o/r\"", "\"name\":\"r\""), ReasonCode.MISSING_FIELD, "repository.full_name");
        assertDeadLetter(F, ok.replace("2026-11-02T10:00:00Z", "yesterday"), ReasonCode.BAD_TIMESTAMP, "updated_at");
        assertDeadLetter(F, "{\"action\":\"created\",\"repository\":{\"full_name\":\"o/r\"}}", ReasonCode.MISSING_FIELD,
                "workflow_run or workflow_job");
        assertDeadLetter(F, "{\"event\":\"push\",\"payload\":" + ok + "}", ReasonCode.UNKNOWN_VALUE, "event: expected workflow_run");
        assertDeadLetter(F, "{\"headers\":{},\"body\":" + ok + "}", ReasonCode.MISSING_FIELD, "headers.X-GitHub-Event");
        assertDeadLetter(F, "{\"headers\":{\"X-GitHub-Event\":\"workflow_run\"},\"body\":\"{not json\"}", ReasonCode.MALFORMED_JSON, "");
        String job = "{\"action\":\"queued\",\"workflow_job\":{\"id\":9,\"run_id\":5,\"name\":\"build\",\"created_at\":\"2026-11-02T10:00:00Z\"},"
                + "\"repository\":{\"full_name\":\"o/r\"}}";
        assertThat(run(RealSamples.decode(F, job).run)).isEqualTo("START 2026-11-02T10:00:00Z github:o/r/build 9-1");
        assertDeadLetter(F, job.replace("queued", "requested"), ReasonCode.UNKNOWN_VALUE, "action: expected queued");
        assertDeadLetter(F, job.replace("\"run_id\":5,", ""), ReasonCode.MISSING_FIELD, "workflow_job.run_id");
    }
}
