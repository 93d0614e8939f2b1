package io.vigil.parse;

import static io.vigil.parse.RealSamples.assertDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.InputFormat;
import io.vigil.model.ReasonCode;
import io.vigil.model.RunEventType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented Clusters API events (databricks-cluster-events/real/NOTES.md) and refusals. */
class DatabricksClusterEventParserTest {
    private static final InputFormat F = InputFormat.DATABRICKS_CLUSTER_EVENTS;

    @Test
    void theDocumentedEventsAreAStartUpRunAndATermination() {
        List<Envelope> all = RealSamples.valid(F, "/databricks-cluster-events/real/cluster-events.jsonl");
        // newest first, as the API lists them
        Envelope terminating = all.get(0);
        assertThat(terminating.family).isEqualTo(Family.METRIC);
        assertThat(terminating.metric.name).isEqualTo("databricks_cluster_event");
        assertThat(Arrays.toString(terminating.metric.labels))
                .isEqualTo("[cluster_id=1202-211320-brick1, reason_code=INACTIVITY, type=TERMINATING]");
        assertThat(terminating.eventTime).isEqualTo(1534371918659L);
        Envelope running = all.get(1);
        Envelope restarting = all.get(2);
        assertThat(restarting.run.eventType).isEqualTo(RunEventType.START);
        assertThat(running.run.eventType).isEqualTo(RunEventType.COMPLETE);
        assertThat(running.run.jobKey()).isEqualTo("databricks/cluster/1202-211320-brick1").isEqualTo(restarting.run.jobKey());
        assertThat(running.run.runId).isEqualTo("1202-211320-brick1").isEqualTo(restarting.run.runId);
    }

    @Test
    void aResponsePageIsRefusedWithHowToSplitIt() {
        String page = RealSamples.lines("/databricks-cluster-events/real/clusters-events-page.json").get(0);
        assertDeadLetter(F, page, ReasonCode.UNKNOWN_VALUE, "one event per record");
    }

    @Test
    void initScriptsAndFailedTerminations() {
        // shape from the Databricks SDK's InitScriptEventDetails; no published example was found
        String init = "{\"cluster_id\":\"c1\",\"timestamp\":1793613600000,\"type\":\"INIT_SCRIPTS_FINISHED\",\"details\":{\"init_scripts\":"
                + "{\"cluster\":[{\"workspace\":{\"destination\":\"/install.sh\"},\"status\":\"FAILED_EXECUTION\",\"execution_duration_seconds\":3},"
                + "{\"status\":\"SUCCEEDED\"}],\"global\":[{\"status\":\"FAILED\"}],\"reported_for_node\":\"10.0.0.1\"}}}";
        Envelope e = RealSamples.decode(F, init);
        assertThat(e.metric.name).isEqualTo("databricks_init_scripts_failed");
        assertThat(e.metric.value).isEqualTo(2.0);
        assertThat(Arrays.toString(e.metric.labels)).isEqualTo("[cluster_id=c1]");
        assertDeadLetter(F, init.replace("{\"status\":\"SUCCEEDED\"}", "{\"state\":\"SUCCEEDED\"}"), ReasonCode.MISSING_FIELD,
                "details.init_scripts.cluster[1].status");
        String term = "{\"cluster_id\":\"c1\",\"timestamp\":1793613600000,\"type\":\"TERMINATING\",\"details\":{\"reason\":"
                + "{\"code\":\"INIT_SCRIPT_FAILURE\",\"type\":\"CLIENT_ERROR\",\"parameters\":{\"instance_id\":\"i-1\"}}}}";
        Envelope t = RealSamples.decode(F, term);
        assertThat(t.run.eventType).isEqualTo(RunEventType.FAIL);
        assertThat(t.run.errorMessage).isEqualTo("terminated: INIT_SCRIPT_FAILURE instance_id=i-1");
        assertThat(RealSamples.decode(F, term.replace("CLIENT_ERROR", "SUCCESS")).metric).isNotNull();
        assertThat(RealSamples.decode(F, term.replace(",\"type\":\"CLIENT_ERROR\"", "")).run.eventType).isEqualTo(RunEventType.FAIL);
    }

    @Test
    void invalidEventsAreDeadLettered() {
        String ok = "{\"cluster_id\":\"c1\",\"timestamp\":1793613600000,\"type\":\"DRIVER_HEALTHY\"}";
        assertThat(RealSamples.decode(F, ok).metric.labels[1].value).isEqualTo("DRIVER_HEALTHY");
        assertDeadLetter(F, ok.replace("DRIVER_HEALTHY", "driver healthy"), ReasonCode.UNKNOWN_VALUE, "type");
        assertDeadLetter(F, ok.replace("\"cluster_id\":\"c1\",", ""), ReasonCode.MISSING_FIELD, "cluster_id");
        assertDeadLetter(F, ok.replace("1793613600000", "\"2026-11-02T10:00:00Z\""), ReasonCode.BAD_TYPE, "timestamp");
        assertDeadLetter(F, ok.replace("1793613600000", "-5"), ReasonCode.BAD_TIMESTAMP, "timestamp");
        assertDeadLetter(F, ok.replace("}", ",\"details\":[]}"), ReasonCode.BAD_TYPE, "details");
    }
}
