package io.vigil.rules;

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
public final class RuleInputTypeInfo extends TypeInformation<RuleInput> {
    private static final long serialVersionUID = 1L;
    public static final RuleInputTypeInfo INSTANCE = new RuleInputTypeInfo();

    /** Bound to {@link RuleInput} with {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<RuleInput> {
        @Override
        public TypeInformation<RuleInput> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
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
    public Class<RuleInput> getTypeClass() {
        return RuleInput.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<RuleInput> createSerializer(SerializerConfig config) {
        return new RuleInputSerializer(config);
    }

    @Override
    @SuppressWarnings("deprecation")
    public TypeSerializer<RuleInput> createSerializer(org.apache.flink.api.common.ExecutionConfig config) {
        return createSerializer(config.getSerializerConfig());
    }

    @Override
    public String toString() {
        return "RuleInput";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleInputTypeInfo;
    }

    @Override
    public int hashCode() {
        return RuleInputTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RuleInputTypeInfo;
    }
}
