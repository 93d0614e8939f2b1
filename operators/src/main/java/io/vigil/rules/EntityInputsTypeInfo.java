package io.vigil.rules;

import io.vigil.model.ExplicitTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of the evaluator's input stream: {@link EntityInputsSerializer}, no reflection. */
public final class EntityInputsTypeInfo extends ExplicitTypeInfo<EntityInputs> {
    private static final long serialVersionUID = 1L;
    public static final EntityInputsTypeInfo INSTANCE = new EntityInputsTypeInfo();

    private EntityInputsTypeInfo() {
        super(EntityInputs.class);
    }

    /** Bound to {@link EntityInputs} with {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<EntityInputs> {
        @Override
        public TypeInformation<EntityInputs> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

    @Override
    public TypeSerializer<EntityInputs> createSerializer(SerializerConfig config) {
        return new EntityInputsSerializer(config);
    }
}
