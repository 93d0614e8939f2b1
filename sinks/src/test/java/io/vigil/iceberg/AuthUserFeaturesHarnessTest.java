package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class AuthUserFeaturesHarnessTest {
    private static final long MIN = 60_000;

    /** A LANL line at a time in seconds, decoded as the parser does it. */
    private static Envelope auth(long seconds, String line) {
        Envelope e = SampleEnvelopes.decode(InputFormat.LANL_AUTH, seconds + "," + line);
        assertThat(e.isValid()).as(line).isTrue();
        return e;
    }

    /** Feeds what passes the wiring's filter in front of the window (the harness holds the window only). */
    private static void add(PartialsHarness<?> h, Envelope e)
            throws Exception {
        if (AuthUserFeatures.counted(e)) {
            h.processElement(e, e.eventTime);
        }
    }

    private static List<RowValues> rows(PartialsHarness<?> h) {
        List<RowValues> rows = RowValues.of(VigilTables.AUTH_USER_FEATURES, h.extractOutputValues());
        rows.sort(Comparator.comparing((RowValues r) -> (Long) r.get("window_start"))
                .thenComparing(r -> (String) r.get("source_user")));
        return rows;
    }

    @Test
    void countsPerUserAndFiveMinuteWindowAndLeavesNoStateBehind() throws Exception {
        PartialsHarness<?> h = PartialsHarness.of(AuthUserFeatures::of);
        // U22 fails twice against C586, then logs on to C586 and C612 from two computers
        add(h, auth(10, "U22@DOM1,U22@DOM1,C1065,C586,NTLM,Network,LogOn,Fail"));
        add(h, auth(20, "U22@DOM1,U22@DOM1,C1065,C586,NTLM,Network,LogOn,Fail"));
        add(h, auth(30, "U22@DOM1,U22@DOM1,C1065,C586,Kerberos,Network,LogOn,Success"));
        add(h, auth(40, "U22@DOM1,U22@DOM1,C2106,C612,Kerberos,Network,TGS,Success"));
        // another user in the same window, one whose user is unknown (not counted), and U22 again
        // in the next window
        add(h, auth(50, "C101$@DOM1,C101$@DOM1,C988,C988,?,Network,LogOff,Success"));
        add(h, auth(60, "?,?,C1,C2,?,?,LogOn,Fail"));
        add(h, auth(5 * 60 + 1, "U22@DOM1,U22@DOM1,C1065,C586,NTLM,Network,LogOn,Fail"));

        h.processWatermark(5 * MIN - 2);
        assertThat(h.extractOutputValues()).as("first window still open").isEmpty();

        // state survives a restore mid-window
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();
        h = PartialsHarness.restored(AuthUserFeatures::of, snapshot);

        h.processWatermark(5 * MIN - 1);
        List<RowValues> first = rows(h);
        assertThat(first).hasSize(2);
        RowValues machine = first.get(0);
        assertThat(machine.get("source_user")).isEqualTo("C101$");
        assertThat(machine.get("auth_events")).isEqualTo(1L);
        assertThat(machine.get("logons")).isEqualTo(0L);
        RowValues u22 = first.get(1);
        assertThat(u22.get("source_user")).isEqualTo("U22");
        assertThat(u22.get("source_domain")).isEqualTo("DOM1");
        assertThat(u22.get("window_start")).isEqualTo(0L);
        assertThat(u22.get("window_end")).isEqualTo(5 * MIN);
        assertThat(u22.get("auth_events")).isEqualTo(4L);
        assertThat(u22.get("logons")).isEqualTo(3L);
        assertThat(u22.get("failures")).isEqualTo(2L);
        assertThat(u22.get("failure_rate")).isEqualTo(0.5);
        assertThat(u22.get("distinct_destination_computers")).isEqualTo(2L);
        assertThat(u22.get("distinct_source_computers")).isEqualTo(2L);
        assertThat(h.numKeyedStateEntries()).as("only U22's second window is left").isEqualTo(1);

        h.processWatermark(10 * MIN);
        List<RowValues> all = rows(h);
        assertThat(all).hasSize(3);
        RowValues next = all.get(2);
        assertThat(next.get("window_start")).isEqualTo(5 * MIN);
        assertThat(next.get("auth_events")).isEqualTo(1L);
        assertThat(next.get("failure_rate")).isEqualTo(1.0);
        assertThat(h.numKeyedStateEntries()).as("every window closed, its state gone").isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void windowStateIsAFlinkPojoWithMapsNotKryo() {
        TypeInformation<AuthUserWindow> t = AuthUserWindow.typeInfo();
        assertThat(t).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<AuthUserWindow> pojo = (PojoTypeInfo<AuthUserWindow>) t;
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getTypeAt(i)).as(pojo.getFieldNames()[i]).isNotInstanceOf(GenericTypeInfo.class);
        }
        assertThat(pojo.getFieldNames()).hasSize(AuthUserWindow.class.getFields().length);
    }
}
