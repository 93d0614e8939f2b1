package io.vigil.source.poll;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint form of a {@link PollSplit} (id, index, next start) and of the enumerator's split lists. */
final class PollSplitSerializer implements SimpleVersionedSerializer<PollSplit> {
    static final PollSplitSerializer INSTANCE = new PollSplitSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(PollSplit s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            write(s, out);
        }
        return b.toByteArray();
    }

    @Override
    public PollSplit deserialize(int version, byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return read(version, in);
        }
    }

    static void write(PollSplit s, DataOutputStream out) throws IOException {
        out.writeUTF(s.id);
        out.writeInt(s.index);
        out.writeLong(s.nextStart);
    }

    static PollSplit read(int version, DataInputStream in) throws IOException {
        if (version != 1) {
            throw new IOException("unknown poll split version " + version);
        }
        return new PollSplit(in.readUTF(), in.readInt(), in.readLong());
    }

    /** The enumerator's state: the splits not yet assigned to a reader, and every split id ever made. */
    static final class EnumeratorState implements SimpleVersionedSerializer<PollEnumeratorState> {
        static final EnumeratorState INSTANCE = new EnumeratorState();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PollEnumeratorState s) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(b)) {
                out.writeInt(s.pending.size());
                for (PollSplit p : s.pending) {
                    write(p, out);
                }
                out.writeInt(s.known.size());
                for (String id : s.known) {
                    out.writeUTF(id);
                }
            }
            return b.toByteArray();
        }

        @Override
        public PollEnumeratorState deserialize(int version, byte[] bytes) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                List<PollSplit> pending = new ArrayList<>();
                for (int i = in.readInt(); i > 0; i--) {
                    pending.add(read(version, in));
                }
                List<String> known = new ArrayList<>();
                for (int i = in.readInt(); i > 0; i--) {
                    known.add(in.readUTF());
                }
                return new PollEnumeratorState(pending, known);
            }
        }
    }
}
