package io.vigil.rules;

import io.vigil.cep.PatternMatch;
import io.vigil.model.ExplicitSerializerSnapshot;
import io.vigil.model.StringValueCodec;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes a {@link RuleInput} field by field, its pattern match (if any) through Flink's POJO
 * serializer; {@link RuleInputTypeInfo} makes it the type of every RuleInput stream and state.
 *
 * <p>Layout, version 1 ({@link Snapshot}): a flags byte ({@link #MATCH} when a match follows, -1
 * for a null input and nothing after it), rule id, entity, event time, value, code, text (strings
 * as {@link StringValue}'s, null-aware), then the match. A change to it needs a new snapshot
 * version that still reads version 1.
 */
public final class RuleInputSerializer extends TypeSerializer<RuleInput> {
    private static final long serialVersionUID = 1L;
    private static final int MATCH = 1;
    private static final int NULL_INPUT = -1;

    private final TypeSerializer<PatternMatch> match;
    /** Makes this serializer stateful: each duplicate has its own. */
    private transient StringValueCodec strings;

    /** With the match's POJO serializer under {@code config}, as Flink would make it. */
    public RuleInputSerializer(SerializerConfig config) {
        this(TypeInformation.of(PatternMatch.class).createSerializer(config));
    }

    private RuleInputSerializer(TypeSerializer<PatternMatch> match) {
        this.match = match;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<RuleInput> duplicate() {
        return new RuleInputSerializer(match.duplicate());
    }

    /** Also read by {@link EntityInputsSerializer}, for the entity it writes once. */
    StringValueCodec strings() {
        if (strings == null) {
            strings = new StringValueCodec();
        }
        return strings;
    }

    @Override
    public RuleInput createInstance() {
        return new RuleInput();
    }

    /** A deep copy: the match is copied too. */
    @Override
    public RuleInput copy(RuleInput from) {
        if (from == null) {
            return null;
        }
        RuleInput in = RuleInput.of(from.ruleId, from.entity, from.eventTime, from.value, from.code, from.text);
        in.match = match.copy(from.match);
        return in;
    }

    @Override
    public RuleInput copy(RuleInput from, RuleInput reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RuleInput in, DataOutputView out) throws IOException {
        if (in == null) {
            out.writeByte(NULL_INPUT);
            return;
        }
        out.writeByte(in.match != null ? MATCH : 0);
        strings().write(in.ruleId, out);
        strings().write(in.entity, out);
        writeBody(in, out);
    }

    /** An input of a batch whose entity is written once for all ({@link EntityInputsSerializer}). */
    void serializeWithoutEntity(RuleInput in, DataOutputView out) throws IOException {
        out.writeByte(in.match != null ? MATCH : 0);
        strings().write(in.ruleId, out);
        writeBody(in, out);
    }

    RuleInput deserializeWithEntity(String entity, DataInputView source) throws IOException {
        int flags = source.readByte();
        RuleInput in = new RuleInput();
        in.ruleId = strings().read(source);
        in.entity = entity;
        readBody(flags, in, source);
        return in;
    }

    private void writeBody(RuleInput in, DataOutputView out) throws IOException {
        out.writeLong(in.eventTime);
        out.writeDouble(in.value);
        out.writeInt(in.code);
        strings().write(in.text, out);
        if (in.match != null) {
            match.serialize(in.match, out);
        }
    }

    private void readBody(int flags, RuleInput in, DataInputView source) throws IOException {
        in.eventTime = source.readLong();
        in.value = source.readDouble();
        in.code = source.readInt();
        in.text = strings().read(source);
        if ((flags & MATCH) != 0) {
            in.match = match.deserialize(source);
        }
    }

    @Override
    public RuleInput deserialize(DataInputView source) throws IOException {
        int flags = source.readByte();
        if (flags == NULL_INPUT) {
            return null;
        }
        RuleInput in = new RuleInput();
        in.ruleId = strings().read(source);
        in.entity = strings().read(source);
        readBody(flags, in, source);
        return in;
    }

    @Override
    public RuleInput deserialize(RuleInput reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleInputSerializer && match.equals(((RuleInputSerializer) o).match);
    }

    @Override
    public int hashCode() {
        return match.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<RuleInput> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** The layout version and the match's own snapshot (a field added to PatternMatch migrates). */
    public static final class Snapshot extends ExplicitSerializerSnapshot<RuleInput, RuleInputSerializer> {
        private static final int LAYOUT = 1;

        /** For reading a snapshot. */
        public Snapshot() {
            super(RuleInput.class);
        }

        Snapshot(RuleInputSerializer serializer) {
            super(RuleInput.class, serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return LAYOUT;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(RuleInputSerializer outer) {
            return new TypeSerializer<?>[] {outer.match};
        }

        @Override
        @SuppressWarnings("unchecked")
        protected RuleInputSerializer createOuterSerializerWithNestedSerializers(TypeSerializer<?>[] nested) {
            return new RuleInputSerializer((TypeSerializer<PatternMatch>) nested[0]);
        }
    }
}
