package io.vigil.rules;

import io.vigil.model.ExplicitTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The type of every {@link RuleInput} stream and state ({@code TypeInformation.of(RuleInput.class)}
 * finds it through {@link Factory}): {@link RuleInputSerializer}, not Flink's reflective POJO one.
 */
public final class RuleInputTypeInfo extends ExplicitTypeInfo<RuleInput> {
    private static final long serialVersionUID = 1L;
    public static final RuleInputTypeInfo INSTANCE = new RuleInputTypeInfo();

    private RuleInputTypeInfo() {
        super(RuleInput.class);
    }

    /** Bound to {@link RuleInput} with {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<RuleInput> {
        @Override
        public TypeInformation<RuleInput> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

    @Override
    public TypeSerializer<RuleInput> createSerializer(SerializerConfig config) {
        return new RuleInputSerializer(config);
    }
}
