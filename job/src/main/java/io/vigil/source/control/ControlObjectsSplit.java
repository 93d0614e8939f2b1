package io.vigil.source.control;

import java.io.IOException;
import java.util.TreeSet;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The one split of {@link ControlObjectsSource}: the ETag of the rules object last emitted and the
 * keys of the control objects already read, so a restored job neither replays nor skips one.
 */
public final class ControlObjectsSplit implements SourceSplit {
    static final String ID = "control-objects";

    /** Null before the first rules object is seen. */
    String rulesEtag;
    final TreeSet<String> seen = new TreeSet<>();

    ControlObjectsSplit(String rulesEtag) {
        this.rulesEtag = rulesEtag;
    }

    @Override
    public String splitId() {
        return ID;
    }

    ControlObjectsSplit copy() {
        ControlObjectsSplit c = new ControlObjectsSplit(rulesEtag);
        c.seen.addAll(seen);
        return c;
    }

    /** Serializes splits, and the enumerator's state (whether the split was handed out). */
    static final class Serializer implements SimpleVersionedSerializer<ControlObjectsSplit> {
        static final Serializer INSTANCE = new Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ControlObjectsSplit s) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeBoolean(s.rulesEtag != null);
            if (s.rulesEtag != null) {
                out.writeUTF(s.rulesEtag);
            }
            out.writeInt(s.seen.size());
            for (String k : s.seen) {
                out.writeUTF(k);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public ControlObjectsSplit deserialize(int version, byte[] bytes) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            ControlObjectsSplit s = new ControlObjectsSplit(in.readBoolean() ? in.readUTF() : null);
            for (int n = in.readInt(); n > 0; n--) {
                s.seen.add(in.readUTF());
            }
            return s;
        }
    }

    /** The enumerator's state: true once the split lives in a reader's state. */
    static final class AssignedSerializer implements SimpleVersionedSerializer<Boolean> {
        static final AssignedSerializer INSTANCE = new AssignedSerializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Boolean assigned) {
            return new byte[] {(byte) (assigned ? 1 : 0)};
        }

        @Override
        public Boolean deserialize(int version, byte[] bytes) {
            return bytes.length > 0 && bytes[0] == 1;
        }
    }
}
