package io.vigil.iceberg;

import java.io.IOException;
import java.util.Collections;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.InstantiationUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.FlinkWriteConf;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.sink.FlinkAppenderFactory;
import org.apache.iceberg.flink.sink.SinkUtil;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.UnpartitionedWriter;
import org.apache.iceberg.io.WriteResult;

/**
 * Writes one curated table's rows into data files, in the chain of the operator that makes them;
 * closes its files before each checkpoint barrier and at the end of its input, and sends what it
 * closed, labelled with that checkpoint ({@link #END_OF_INPUT} at the end), to the table's
 * {@link TableCommitter}. Holds no state: files closed before a barrier belong to that checkpoint.
 */
public final class TableFileWriter extends AbstractStreamOperator<Tuple2<Long, byte[]>>
        implements OneInputStreamOperator<RowData, Tuple2<Long, byte[]>>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** The label of the files a writer closes when its input ends. */
    public static final long END_OF_INPUT = Long.MAX_VALUE;

    /** What crosses from writers to the committer: a checkpoint id and a Java-serialized {@link WriteResult}. */
    public static final TypeInformation<Tuple2<Long, byte[]>> FILES =
            Types.TUPLE(Types.LONG, Types.PRIMITIVE_ARRAY(Types.BYTE));

    private final TableLoader tableLoader;
    private transient Schema schema;
    private transient RowType rowType;
    private transient PartitionSpec spec;
    private transient FileFormat format;
    private transient long targetFileSize;
    private transient FileIO io;
    private transient FlinkAppenderFactory appenders;
    private transient OutputFileFactory files;
    /** The files being written since the last close; null when none (always after the end). */
    private transient TaskWriter<RowData> writer;

    TableFileWriter(TableLoader tableLoader) {
        this.tableLoader = tableLoader;
        // AbstractStreamOperator defaults to HEAD: chained, rows are never serialized on their way here
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

    @Override
    public void open() throws Exception {
        super.open();
        tableLoader.open();
        Table table = tableLoader.loadTable();
        FlinkWriteConf conf = new FlinkWriteConf(table, Collections.emptyMap(), new org.apache.flink.configuration.Configuration());
        // What Iceberg's RowDataTaskWriterFactory builds for an append, but with PartitionedFiles
        schema = table.schema();
        rowType = FlinkSchemaUtil.convert(schema);
        spec = table.spec();
        format = conf.dataFileFormat();
        targetFileSize = conf.targetDataFileSize();
        io = table.io();
        appenders = new FlinkAppenderFactory(table, schema, rowType, SinkUtil.writeProperties(format, conf, table), spec,
                null, null, null);
        files = OutputFileFactory.builderFor(table, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        getRuntimeContext().getTaskInfo().getAttemptNumber())
                .format(format).ioSupplier(() -> io).defaultSpec(spec).build();
    }

    private TaskWriter<RowData> newWriter() {
        return spec.isUnpartitioned()
                ? new UnpartitionedWriter<>(spec, format, appenders, files, io, targetFileSize)
                : new PartitionedFiles(spec, format, appenders, files, io, targetFileSize, schema, rowType);
    }

    @Override
    public void processElement(StreamRecord<RowData> element) throws Exception {
        if (writer == null) {
            writer = newWriter();
        }
        writer.write(element.getValue());
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        closeFiles(checkpointId); // after the end there is no writer: the end's files are not sent again
    }

    @Override
    public void endInput() throws Exception {
        closeFiles(END_OF_INPUT);
    }

    private void closeFiles(long label) throws IOException {
        if (writer == null) {
            return; // nothing written since the last close: nothing to send
        }
        WriteResult closed = writer.complete();
        writer = null;
        if (closed.dataFiles().length > 0) {
            output.collect(new StreamRecord<>(Tuple2.of(label, InstantiationUtil.serializeObject(closed))));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (writer != null) {
                writer.abort(); // files not closed by a barrier or the end belong to no checkpoint: never committed
                writer = null;
            }
            tableLoader.close();
        } finally {
            super.close();
        }
    }
}
