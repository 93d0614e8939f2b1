package io.vigil.iceberg;

import static io.vigil.iceberg.SampleEnvelopes.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class CommerceMetricsHarnessTest {
    private static final long MINUTE_0 = at("2019-10-01T00:00:00Z");
    private static final long MIN = 60_000;

    private static Envelope line(String time, String rest) {
        return SampleEnvelopes.decode(InputFormat.REES46, "2019-10-01 " + time + " UTC," + rest);
    }

    private static Envelope invalidAt(long countsAt) {
        Envelope e = SampleEnvelopes.decode(InputFormat.REES46, "2019-10-01 00:00:30 UTC,buy,1,2,,,1.00,3,s");
        assertThat(e.isValid()).isFalse();
        e.eventTime = countsAt;
        return e;
    }

    @Test
    void countsValidAndInvalidRecordsPerMinuteAndLeavesNoStateBehind() throws Exception {
        PartialsHarness<?> h = PartialsHarness.of(CommerceMetrics::of);
        for (Envelope e : SampleEnvelopes.of(InputFormat.REES46)) {
            // the sample: 5 views, a cart, a removal and a 130.76 purchase, all in the first minute
            h.processElement(e, e.eventTime);
        }
        Envelope second = line("00:00:40", "purchase,1,2,,,10.24,3,s2");
        h.processElement(second, second.eventTime);
        Envelope bad = invalidAt(MINUTE_0 + 50_000);
        h.processElement(bad, bad.eventTime);
        Envelope nextMinute = line("00:01:05", "view,1,2,,,10.00,3,s3");
        h.processElement(nextMinute, nextMinute.eventTime);

        h.processWatermark(MINUTE_0 + MIN - 1);
        List<RowValues> rows = RowValues.of(VigilTables.COMMERCE_METRICS, h.extractOutputValues());
        assertThat(rows).hasSize(1);
        RowValues m = rows.get(0);
        assertThat(m.get("source")).isEqualTo("test-rees46");
        assertThat(m.get("window_start")).isEqualTo(MINUTE_0);
        assertThat(m.get("window_end")).isEqualTo(MINUTE_0 + MIN);
        assertThat(m.get("views")).isEqualTo(5L);
        assertThat(m.get("carts")).isEqualTo(1L);
        assertThat(m.get("removals")).isEqualTo(1L);
        assertThat(m.get("purchases")).isEqualTo(2L);
        assertThat((Double) m.get("revenue")).isCloseTo(141.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.get("valid_events")).isEqualTo(9L);
        assertThat(m.get("invalid_events")).isEqualTo(1L);
        assertThat(m.get("invalid_rate")).isEqualTo(0.1);
        assertThat(m.get("view_to_purchase")).isEqualTo(0.4);
        // the next minute is still being counted where its events are: nothing shipped yet
        assertThat(h.localOpenWindows()).isEqualTo(1);
        assertThat(h.numKeyedStateEntries()).isZero();

        h.processWatermark(MINUTE_0 + 2 * MIN);
        rows = RowValues.of(VigilTables.COMMERCE_METRICS, h.extractOutputValues());
        rows.sort(Comparator.comparing(r -> (Long) r.get("window_start")));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("views")).isEqualTo(1L);
        assertThat(rows.get(1).get("purchases")).isEqualTo(0L);
        assertThat(rows.get(1).get("revenue")).isEqualTo(0.0);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.localOpenWindows()).isZero();
        assertThat(h.shipped).as("one partial per window, not one record per event").hasSize(2);
        h.close();
    }

    @Test
    void aWindowOfOnlyInvalidRecordsHasNoConversion() throws Exception {
        PartialsHarness<?> h = PartialsHarness.of(CommerceMetrics::of);
        Envelope bad = invalidAt(MINUTE_0 + 1);
        h.processElement(bad, bad.eventTime);
        h.processWatermark(Long.MAX_VALUE);
        RowValues m = RowValues.of(VigilTables.COMMERCE_METRICS, h.extractOutputValues()).get(0);
        assertThat(m.get("invalid_rate")).isEqualTo(1.0);
        assertThat(m.get("valid_events")).isEqualTo(0L);
        assertThat(m.get("view_to_purchase")).isNull();
        h.close();
    }

    @Test
    void windowStateIsAFlinkPojo() {
        assertThat(TypeInformation.of(CommerceWindow.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(SourceWindow.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
