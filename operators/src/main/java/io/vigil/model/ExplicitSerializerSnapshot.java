package io.vigil.model;

import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;

/**
 * The snapshot of a serializer that took its type over from Flink's POJO serializer: besides its
 * own snapshots (outer layout plus nested member serializers), it accepts state the POJO
 * serializer wrote for the same class, which the state backend then reads with that serializer
 * and writes anew (a migration), so a savepoint of the version before restores.
 */
public abstract class ExplicitSerializerSnapshot<T, S extends TypeSerializer<T>> extends CompositeTypeSerializerSnapshot<T, S> {
    private final Class<T> type;

    /** For reading a snapshot. */
    protected ExplicitSerializerSnapshot(Class<T> type) {
        this.type = type;
    }

    protected ExplicitSerializerSnapshot(Class<T> type, S serializer) {
        super(serializer);
        this.type = type;
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        if (old instanceof PojoSerializerSnapshot) {
            return type.isInstance(old.restoreSerializer().createInstance())
                    ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
        if (old == null || old.getClass() != getClass()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        return super.resolveSchemaCompatibility(old);
    }
}
