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
public final class EnvelopeTypeInfo extends TypeInformation<Envelope> {
    private static final long serialVersionUID = 1L;
    public static final EnvelopeTypeInfo INSTANCE = new EnvelopeTypeInfo();

    /** Bound to {@link Envelope} with {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<Envelope> {
        @Override
        public TypeInformation<Envelope> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

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
    public Class<Envelope> getTypeClass() {
        return Envelope.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Envelope> createSerializer(SerializerConfig config) {
        return new EnvelopeSerializer(config);
    }

    @Override
    @SuppressWarnings("deprecation")
    public TypeSerializer<Envelope> createSerializer(org.apache.flink.api.common.ExecutionConfig config) {
        return createSerializer(config.getSerializerConfig());
    }

    @Override
    public String toString() {
        return "Envelope";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvelopeTypeInfo;
    }

    @Override
    public int hashCode() {
        return EnvelopeTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof EnvelopeTypeInfo;
    }
}
