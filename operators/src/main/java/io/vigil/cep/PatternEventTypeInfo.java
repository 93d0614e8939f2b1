package io.vigil.cep;

import io.vigil.model.ExplicitTypeInfo;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of the stream into a pattern rule's operator: {@link PatternEventSerializer}, never Kryo. */
public final class PatternEventTypeInfo extends ExplicitTypeInfo<PatternEvent> {
    private static final long serialVersionUID = 1L;
    public static final PatternEventTypeInfo INSTANCE = new PatternEventTypeInfo();

    private PatternEventTypeInfo() {
        super(PatternEvent.class);
    }

    @Override
    public TypeSerializer<PatternEvent> createSerializer(SerializerConfig config) {
        return PatternEventSerializer.INSTANCE;
    }
}
