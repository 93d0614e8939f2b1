package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.StringData;
import org.junit.jupiter.api.Test;

class CategoriesTest {
    @Test
    void aValueIsEncodedOnceAndSharedByTheRowsThatHoldIt() {
        StringData first = CuratedTable.Categories.of("Kerberos");
        assertThat(CuratedTable.Categories.of(new String("Kerberos"))).isSameAs(first);
        assertThat(first.toBytes()).isEqualTo("Kerberos".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void manyMoreValuesThanEntriesStillGiveEachItsOwnBytes() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            values.add("value-" + i + (i % 7 == 0 ? "-ünïcödé" : ""));
        }
        for (int round = 0; round < 2; round++) {
            for (String v : values) {
                assertThat(CuratedTable.Categories.of(v).toString()).isEqualTo(v);
            }
        }
    }

    @Test
    void aCategoryColumnHoldsWhatAStringColumnWould() {
        CuratedTable t = VigilTables.AUTH_EVENTS;
        org.apache.flink.table.data.GenericRowData a = t.newRow().setTimestamp("event_time", 0L)
                .setBoolean("success", true).setString("source", "auth").setString("auth_type", "NTLM").build();
        org.apache.flink.table.data.GenericRowData b = t.newRow().setTimestamp("event_time", 0L)
                .setBoolean("success", true).setCategory("source", "auth").setCategory("auth_type", "NTLM").build();
        assertThat(b).isEqualTo(a);
    }
}
