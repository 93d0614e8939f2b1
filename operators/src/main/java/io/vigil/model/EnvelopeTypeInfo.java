package io.vigil.model;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of every {@link Envelope} stream and state ({@code TypeInformation.of(Envelope.class)}
 * finds it through {@link Factory}): {@link EnvelopeSerializer}, not Flink's reflective POJO one.
 */
public final class EnvelopeTypeInfo extends ExplicitTypeInfo<Envelope> {
    private static final long serialVersionUID = 1L;
    public static final EnvelopeTypeInfo INSTANCE = new EnvelopeTypeInfo();

    private EnvelopeTypeInfo() {
        super(Envelope.class);
    }

    /** Bound to {@link Envelope} with {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<Envelope> {
        @Override
        public TypeInformation<Envelope> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

    @Override
    public TypeSerializer<Envelope> createSerializer(SerializerConfig config) {
        return new EnvelopeSerializer(config);
    }
}
