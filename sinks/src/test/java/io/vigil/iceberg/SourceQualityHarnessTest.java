package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.InputFormat;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class SourceQualityHarnessTest {
    private static final long MIN = 60_000;

    @Test
    void invalidRatePerSourceAndWindowIsJudgedByFamily() throws Exception {
        PartialsHarness<?> h = PartialsHarness.of(
                in -> SourceQuality.of(in, Map.of(Family.AUTH, 0.001)));
        for (int i = 0; i < 9; i++) {
            Envelope ok = SampleEnvelopes.decode(InputFormat.LANL_AUTH, (i + 1) + ",U1@D,U1@D,C1,C2,?,?,LogOn,Success");
            h.processElement(ok, ok.eventTime);
        }
        Envelope bad = SampleEnvelopes.decode(InputFormat.LANL_AUTH, "1,U1@D,U1@D,C1,C2,?,?,LogOn");
        assertThat(bad.isValid()).isFalse();
        bad.eventTime = 30_000;
        h.processElement(bad, bad.eventTime);
        Envelope metric = SampleEnvelopes.of(InputFormat.METRICS).get(2);
        metric.eventTime = 6 * MIN;
        h.processElement(metric, metric.eventTime);

        h.processWatermark(Long.MAX_VALUE);
        List<RowValues> rows = RowValues.of(VigilTables.DQ_RESULTS, h.extractOutputValues());
        rows.sort(Comparator.comparing(r -> (String) r.get("subject")));
        assertThat(rows).hasSize(2);
        RowValues auth = rows.get(0);
        assertThat(auth.get("subject")).isEqualTo("test-lanl-auth");
        assertThat(auth.get("observed_value")).isEqualTo(0.1);
        assertThat(auth.get("threshold")).isEqualTo(0.001);
        assertThat(auth.get("passed")).isEqualTo(false);
        assertThat(auth.get("window_start")).isEqualTo(0L);
        assertThat(auth.get("window_end")).isEqualTo(5 * MIN);
        RowValues metrics = rows.get(1);
        assertThat(metrics.get("subject")).isEqualTo("test-metrics");
        assertThat(metrics.get("observed_value")).isEqualTo(0.0);
        assertThat(metrics.get("passed")).as("no threshold for metrics").isNull();
        assertThat(metrics.get("window_start")).isEqualTo(5 * MIN);
        assertThat(h.numKeyedStateEntries()).isZero();
        h.close();
    }
}
