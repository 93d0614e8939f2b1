package io.vigil.source;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a file as raw line records: bytes as they are (no charset decoding, so bad UTF-8 reaches
 * the decoder and is dead-lettered), the line terminator ({@code \n} or {@code \r\n}) removed,
 * lines over {@link RawRecord#MAX_PAYLOAD_BYTES} truncated with their full size kept, and each
 * record's origin as {@code file:line}. Not splittable, so a file's lines keep their order; on
 * restore Flink re-reads from the start and skips the records already emitted.
 */
public class LineRecordFormat extends SimpleStreamFormat<RawRecord> {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final InputFormat format;
    private final String fileName;

    public LineRecordFormat(String source, InputFormat format, String fileName) {
        this.source = source;
        this.format = format;
        this.fileName = fileName;
    }

    @Override
    public StreamFormat.Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(new BufferedInputStream(stream, 1 << 16));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private final class LineReader implements StreamFormat.Reader<RawRecord> {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private long lineNo;
        private boolean eof;

        LineReader(InputStream in) {
            this.in = in;
        }

        @Override
        public RawRecord read() throws IOException {
            if (eof) {
                return null;
            }
            line.reset();
            long size = 0;
            int b;
            int last = -1;
            while ((b = in.read()) != -1 && b != '\n') {
                if (size < RawRecord.MAX_PAYLOAD_BYTES) {
                    line.write(b);
                }
                size++;
                last = b;
            }
            if (b == -1) {
                eof = true;
                if (size == 0) {
                    return null; // nothing after the last terminator
                }
            }
            byte[] bytes = line.toByteArray();
            if (last == '\r') {
                // the CR of a CRLF is no part of the record, kept or not: an oversized line's size excludes it too
                if (bytes.length == size) {
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
                }
                size--;
            }
            lineNo++;
            return new RawRecord(source, format, bytes, size, RawRecord.NO_RECEIVE_TIME, fileName + ":" + lineNo);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
