package io.vigil.testing;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.EventTimePolicy;
import io.vigil.source.InputSpec;
import io.vigil.source.LineRecordFormat;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Replay inputs read at a set pace: the replay's own line reader, pausing before each record (in the
 * source's fetcher thread, so checkpoints go on). A small file then takes long enough to read that a
 * test can act while the job is mid-stream; what the job outputs is unchanged, as replay runs in
 * event time. The TaskManagers need {@link #smallFetches}: a file source otherwise hands on what it
 * reads a MiB at a time, which for a small file is all of it, at the end.
 */
public final class PacedInputs {
    /** Bytes a file source reads before handing on a batch of records, with {@link #smallFetches}. */
    private static final int FETCH_BYTES = 1024;
    /** Pauses by pace id: the readers run in this JVM (a MiniCluster), so a test can stop them. */
    private static final Map<String, Long> PAUSES = new ConcurrentHashMap<>();

    private PacedInputs() {}

    /** {@code taskManagers} (a MiniCluster's configuration) with file sources handing records on every KiB. */
    public static Configuration smallFetches(Configuration taskManagers) {
        taskManagers.set(StreamFormat.FETCH_IO_SIZE, MemorySize.parse(FETCH_BYTES + "b"));
        return taskManagers;
    }

    /** A pace of one record per {@code pause} on every reader that takes it, until {@link Pace#stop}ped. */
    public static Pace pace(Duration pause) {
        Pace p = new Pace(UUID.randomUUID().toString());
        PAUSES.put(p.id, pause.toNanos());
        return p;
    }

    /** A replay input of one file, as {@code vigil replay --input} makes it, read at {@code pace}. */
    public static InputSpec file(String name, InputFormat format, Path file, Pace pace) {
        FileSource<RawRecord> source = FileSource.forRecordStreamFormat(
                        new Paced(new LineRecordFormat(name, format, file.getFileName().toString()), pace),
                        new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri()))
                .build();
        return new InputSpec(name, format, source, EventTimePolicy.replay(EventTimePolicy.DEFAULT_OUT_OF_ORDERNESS), 1);
    }

    /** A replay input from a {@code NAME=FORMAT:PATH} argument of one file. */
    public static InputSpec file(String arg, Pace pace) {
        int eq = arg.indexOf('=');
        int colon = arg.indexOf(':', eq);
        return file(arg.substring(0, eq), InputFormat.fromId(arg.substring(eq + 1, colon)),
                Path.of(arg.substring(colon + 1)), pace);
    }

    /** A pace readers keep until it is stopped; from then on they read at full speed. */
    public static final class Pace implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;

        private Pace(String id) {
            this.id = id;
        }

        public void stop() {
            PAUSES.put(id, 0L);
        }

        long pauseNanos() {
            return PAUSES.getOrDefault(id, 0L);
        }
    }

    /** The line reader of {@code lines}, pausing before each record. */
    private static final class Paced extends SimpleStreamFormat<RawRecord> {
        private static final long serialVersionUID = 1L;
        private final LineRecordFormat lines;
        private final Pace pace;

        Paced(LineRecordFormat lines, Pace pace) {
            this.lines = lines;
            this.pace = pace;
        }

        @Override
        public StreamFormat.Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream) throws IOException {
            // reads of at most a fetch's bytes, so a batch ends soon after each (the reader buffers 64 KiB)
            StreamFormat.Reader<RawRecord> reader = lines.createReader(config, new Chunked(stream));
            return new StreamFormat.Reader<>() {
                @Override
                public RawRecord read() throws IOException {
                    long pause = pace.pauseNanos();
                    if (pause > 0) {
                        LockSupport.parkNanos(pause);
                    }
                    return reader.read();
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return lines.getProducedType();
        }
    }

    /** A stream whose reads return at most {@link #FETCH_BYTES} bytes. */
    private static final class Chunked extends FSDataInputStream {
        private final FSDataInputStream in;

        Chunked(FSDataInputStream in) {
            this.in = in;
        }

        @Override
        public void seek(long desired) throws IOException {
            in.seek(desired);
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos();
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, Math.min(len, FETCH_BYTES));
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
