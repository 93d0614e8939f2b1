package io.vigil.iceberg;

import java.util.List;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.RowDataWrapper;
import org.apache.iceberg.io.FileAppenderFactory;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.PartitionedFanoutWriter;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A partitioned table's open files, one per partition: Iceberg's fan-out writer, with the day of a
 * table partitioned by {@code day(timestamp)} (every curated table) taken from the row's own
 * epoch milliseconds. Iceberg's generic path converts each timestamp to a date-time and back (3 %
 * of the whole job's CPU in a JFR profile); any other spec still takes it.
 */
final class PartitionedFiles extends PartitionedFanoutWriter<RowData> {
    private static final long DAY_MS = 86_400_000L;

    private final PartitionKey key;
    /** The day's source column in the row, or -1 when the spec is not a single day of a timestamp. */
    private final int dayColumn;
    private final int precision;
    private final RowDataWrapper wrapper;

    PartitionedFiles(PartitionSpec spec, FileFormat format, FileAppenderFactory<RowData> appenders,
            OutputFileFactory files, FileIO io, long targetFileSize, Schema schema, RowType rowType) {
        super(spec, format, appenders, files, io, targetFileSize);
        this.key = new PartitionKey(spec, schema);
        this.dayColumn = dayColumn(spec, schema);
        this.precision = dayColumn < 0 ? 0 : LogicalTypeChecks.getPrecision(rowType.getTypeAt(dayColumn));
        this.wrapper = dayColumn < 0 ? new RowDataWrapper(rowType, schema.asStruct()) : null;
    }

    /** The top-level column whose day partitions the spec, or -1. */
    static int dayColumn(PartitionSpec spec, Schema schema) {
        List<PartitionField> fields = spec.fields();
        if (fields.size() != 1 || !"day".equals(fields.get(0).transform().toString())) {
            return -1;
        }
        Type source = schema.findType(fields.get(0).sourceId());
        if (!(source instanceof Types.TimestampType)) {
            return -1;
        }
        List<Types.NestedField> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).fieldId() == fields.get(0).sourceId()) {
                return i;
            }
        }
        return -1;
    }

    /** The one key this writer reuses: the fan-out writer copies it when it opens a partition's file. */
    @Override
    protected PartitionKey partition(RowData row) {
        if (dayColumn < 0) {
            key.partition(wrapper.wrap(row));
        } else if (row.isNullAt(dayColumn)) {
            key.set(0, null);
        } else {
            key.set(0, (int) Math.floorDiv(row.getTimestamp(dayColumn, precision).getMillisecond(), DAY_MS));
        }
        return key;
    }
}
