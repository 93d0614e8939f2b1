package io.vigil.cep;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Family;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PatternEventSerializerTest {
    private static PatternEvent roundTrip(PatternEvent e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        PatternEventSerializer.INSTANCE.serialize(e, out);
        return PatternEventSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void anEventComesBackFieldForFieldWithItsNulls() throws Exception {
        PatternEvent e = new PatternEvent(1_793_613_600_123L, Family.AUTH, "auth",
                new String[] {"U66@DOM1", null, "C17", ""});
        assertThat(roundTrip(e)).usingRecursiveComparison().isEqualTo(e);
        PatternEvent bare = new PatternEvent(-5, null, null, null);
        assertThat(roundTrip(bare)).usingRecursiveComparison().isEqualTo(bare);
    }

    @Test
    void aCopyDoesNotShareTheValueArray() {
        PatternEvent e = new PatternEvent(1, Family.PIPELINE_RUN, "ol", new String[] {"job"});
        PatternEvent c = PatternEventSerializer.INSTANCE.copy(e);
        c.values[0] = "other";
        assertThat(e.values[0]).isEqualTo("job");
    }

    @Test
    void theSnapshotRestoresTheSameSerializer() throws Exception {
        TypeSerializerSnapshot<PatternEvent> snap = PatternEventSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        snap.writeSnapshot(out);
        TypeSerializerSnapshot<PatternEvent> read = new PatternEventSerializer.Snapshot();
        read.readSnapshot(snap.getCurrentVersion(), new DataInputDeserializer(out.getCopyOfBuffer()),
                getClass().getClassLoader());
        TypeSerializer<PatternEvent> restored = read.restoreSerializer();
        assertThat(restored).isSameAs(PatternEventSerializer.INSTANCE);
        TypeSerializerSchemaCompatibility<PatternEvent> compat =
                PatternEventSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compat.isCompatibleAsIs()).isTrue();
    }

    @Test
    void theStreamIntoCepUsesThisSerializerNotKryo() {
        assertThat(PatternEventTypeInfo.INSTANCE.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
                .isSameAs(PatternEventSerializer.INSTANCE);
    }
}
