package io.vigil.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The records of one of {@code readers} partitions, from index {@code next} up to {@code end}: each
 * reader walks every index and emits those of its partition ({@link MemoryInput#readBy}), so the
 * readers advance through event time together, as the shards of a live stream do (contiguous
 * ranges would put one reader hours of event time ahead of the other), and records that share a
 * partition key keep their order.
 */
final class ReplaySplit implements SourceSplit {
    /** Which of the {@code readers} partitions this is. */
    final int position;
    final int readers;
    final long end;
    /** The next index to emit; advanced by the reader, kept in checkpoints. */
    long next;

    ReplaySplit(int position, int readers, long end, long next) {
        this.position = position;
        this.readers = readers;
        this.end = end;
        this.next = next;
    }

    @Override
    public String splitId() {
        return Integer.toString(position);
    }

    ReplaySplit copy() {
        return new ReplaySplit(position, readers, end, next);
    }

    /** Serializes one split. */
    static final class Serializer implements SimpleVersionedSerializer<ReplaySplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ReplaySplit s) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(24);
            write(s, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public ReplaySplit deserialize(int version, byte[] bytes) throws IOException {
            return read(new DataInputDeserializer(bytes));
        }

        static void write(ReplaySplit s, DataOutputSerializer out) throws IOException {
            out.writeInt(s.position);
            out.writeInt(s.readers);
            out.writeLong(s.end);
            out.writeLong(s.next);
        }

        static ReplaySplit read(DataInputDeserializer in) throws IOException {
            return new ReplaySplit(in.readInt(), in.readInt(), in.readLong(), in.readLong());
        }
    }

    /** Serializes the enumerator's unassigned splits. */
    static final class ListSerializer implements SimpleVersionedSerializer<Collection<ReplaySplit>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Collection<ReplaySplit> splits) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(4 + 24 * splits.size());
            out.writeInt(splits.size());
            for (ReplaySplit s : splits) {
                Serializer.write(s, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public Collection<ReplaySplit> deserialize(int version, byte[] bytes) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            int n = in.readInt();
            List<ReplaySplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(Serializer.read(in));
            }
            return splits;
        }
    }
}
