package io.vigil.cep;

import io.vigil.model.Family;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link PatternEvent} field by field: no reflection, no per-field null masks beyond
 * the strings' own. Its layout is the CEP state's, so it changes only with a new snapshot version.
 */
public final class PatternEventSerializer extends TypeSerializerSingleton<PatternEvent> {
    private static final long serialVersionUID = 1L;
    public static final PatternEventSerializer INSTANCE = new PatternEventSerializer();
    private static final Family[] FAMILIES = Family.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public PatternEvent createInstance() {
        return new PatternEvent();
    }

    /** Events are not changed after projection: a copy shares the value strings. */
    @Override
    public PatternEvent copy(PatternEvent from) {
        return new PatternEvent(from.eventTime, from.family, from.source,
                from.values == null ? null : from.values.clone());
    }

    @Override
    public PatternEvent copy(PatternEvent from, PatternEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(PatternEvent e, DataOutputView out) throws IOException {
        out.writeLong(e.eventTime);
        out.writeByte(e.family == null ? -1 : e.family.ordinal());
        StringValue.writeString(e.source, out);
        int n = e.values == null ? -1 : e.values.length;
        out.writeShort(n);
        for (int i = 0; i < n; i++) {
            StringValue.writeString(e.values[i], out);
        }
    }

    @Override
    public PatternEvent deserialize(DataInputView in) throws IOException {
        long time = in.readLong();
        int family = in.readByte();
        String source = StringValue.readString(in);
        int n = in.readShort();
        String[] values = n < 0 ? null : new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = StringValue.readString(in);
        }
        return new PatternEvent(time, family < 0 ? null : FAMILIES[family], source, values);
    }

    @Override
    public PatternEvent deserialize(PatternEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<PatternEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from a checkpoint or savepoint. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PatternEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
