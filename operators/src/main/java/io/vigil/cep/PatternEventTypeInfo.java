package io.vigil.cep;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of the stream into a pattern rule's CEP operator: {@link PatternEventSerializer}, never Kryo. */
public final class PatternEventTypeInfo extends TypeInformation<PatternEvent> {
    private static final long serialVersionUID = 1L;
    public static final PatternEventTypeInfo INSTANCE = new PatternEventTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<PatternEvent> getTypeClass() {
        return PatternEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<PatternEvent> createSerializer(SerializerConfig config) {
        return PatternEventSerializer.INSTANCE;
    }

    @Override
    @SuppressWarnings("deprecation")
    public TypeSerializer<PatternEvent> createSerializer(org.apache.flink.api.common.ExecutionConfig config) {
        return PatternEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "PatternEvent";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatternEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return PatternEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof PatternEventTypeInfo;
    }
}
