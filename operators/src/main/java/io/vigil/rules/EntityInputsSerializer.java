package io.vigil.rules;

import io.vigil.model.ExplicitSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes {@link EntityInputs} for the exchange to the evaluator: the family's ordinal, the entity
 * once, the number of inputs, then each input without its entity ({@link RuleInputSerializer}).
 * Network only, never state: the layout may change with the code.
 */
public final class EntityInputsSerializer extends TypeSerializer<EntityInputs> {
    private static final long serialVersionUID = 1L;
    private static final KeyFamily[] FAMILIES = KeyFamily.values();

    private final RuleInputSerializer input;

    public EntityInputsSerializer(SerializerConfig config) {
        this(new RuleInputSerializer(config));
    }

    private EntityInputsSerializer(RuleInputSerializer input) {
        this.input = input;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<EntityInputs> duplicate() {
        return new EntityInputsSerializer((RuleInputSerializer) input.duplicate()); // its string reader is state
    }

    @Override
    public EntityInputs createInstance() {
        return new EntityInputs();
    }

    @Override
    public EntityInputs copy(EntityInputs from) {
        RuleInput[] in = new RuleInput[from.inputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = input.copy(from.inputs[i]);
        }
        return new EntityInputs(from.family, from.entity, in);
    }

    @Override
    public EntityInputs copy(EntityInputs from, EntityInputs reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(EntityInputs e, DataOutputView out) throws IOException {
        out.writeByte(e.family.ordinal());
        input.strings().write(e.entity, out);
        out.writeShort(e.inputs.length);
        for (RuleInput in : e.inputs) {
            input.serializeWithoutEntity(in, out);
        }
    }

    @Override
    public EntityInputs deserialize(DataInputView source) throws IOException {
        KeyFamily family = FAMILIES[source.readByte()];
        String entity = input.strings().read(source);
        RuleInput[] in = new RuleInput[source.readUnsignedShort()];
        for (int i = 0; i < in.length; i++) {
            in[i] = input.deserializeWithEntity(entity, source);
        }
        return new EntityInputs(family, entity, in);
    }

    @Override
    public EntityInputs deserialize(EntityInputs reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntityInputsSerializer && input.equals(((EntityInputsSerializer) o).input);
    }

    @Override
    public int hashCode() {
        return input.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<EntityInputs> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** Layout version 1 and the inputs' serializer. */
    public static final class Snapshot extends ExplicitSerializerSnapshot<EntityInputs, EntityInputsSerializer> {
        private static final int LAYOUT = 1;

        /** For reading a snapshot. */
        public Snapshot() {
            super(EntityInputs.class);
        }

        Snapshot(EntityInputsSerializer serializer) {
            super(EntityInputs.class, serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return LAYOUT;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(EntityInputsSerializer outer) {
            return new TypeSerializer<?>[] {outer.input};
        }

        @Override
        protected EntityInputsSerializer createOuterSerializerWithNestedSerializers(TypeSerializer<?>[] nested) {
            return new EntityInputsSerializer((RuleInputSerializer) nested[0]);
        }
    }
}
