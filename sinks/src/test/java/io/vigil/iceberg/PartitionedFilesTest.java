package io.vigil.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.flink.RowDataWrapper;
import org.junit.jupiter.api.Test;

class PartitionedFilesTest {
    private static PartitionedFiles files(CuratedTable t, PartitionSpec spec) {
        // partition() needs no files: the writer opens none until write()
        return new PartitionedFiles(spec, null, null, null, null, 1, t.schema(), t.rowType());
    }

    @Test
    void theDayOfARowsOwnTimestampIsIcebergsDayPartition() {
        CuratedTable t = VigilTables.AUTH_EVENTS;
        PartitionedFiles files = files(t, t.spec());
        assertEquals(0, PartitionedFiles.dayColumn(t.spec(), t.schema()));
        PartitionKey iceberg = new PartitionKey(t.spec(), t.schema());
        RowDataWrapper wrapper = new RowDataWrapper(t.rowType(), t.schema().asStruct());
        Random random = new Random(7);
        long[] edges = {0, -1, 86_399_999, 86_400_000, -86_400_000, -86_400_001, 1_575_158_400_000L, 253_402_300_799_999L};
        for (int i = 0; i < 100_000 + edges.length; i++) {
            long millis = i < edges.length ? edges[i] : random.nextLong() % 4_000_000_000_000L;
            GenericRowData row = new GenericRowData(t.schema().columns().size());
            row.setField(0, TimestampData.fromEpochMillis(millis));
            iceberg.partition(wrapper.wrap(row));
            assertEquals(iceberg, files.partition(row), "at " + millis);
        }
    }

    @Test
    void anyOtherSpecTakesIcebergsOwnPath() {
        CuratedTable t = VigilTables.AUTH_EVENTS;
        PartitionSpec byHourAndSource = PartitionSpec.builderFor(t.schema()).hour("event_time").identity("source").build();
        assertEquals(-1, PartitionedFiles.dayColumn(byHourAndSource, t.schema()));
        PartitionedFiles files = files(t, byHourAndSource);
        GenericRowData row = new GenericRowData(t.schema().columns().size());
        row.setField(0, TimestampData.fromEpochMillis(1_575_162_000_000L));
        row.setField(t.schema().columns().size() - 1, org.apache.flink.table.data.StringData.fromString("auth"));
        PartitionKey iceberg = new PartitionKey(byHourAndSource, t.schema());
        iceberg.partition(new RowDataWrapper(t.rowType(), t.schema().asStruct()).wrap(row));
        assertEquals(iceberg, files.partition(row));
        assertEquals("event_time_hour=2019-12-01-01/source=auth", files.partition(row).toPath());
    }
}
