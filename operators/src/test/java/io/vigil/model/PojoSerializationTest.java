package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.parse.RecordDecoder;
import io.vigil.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves the event model serializes without Kryo: the members as Flink POJOs, the Envelope through
 * {@link EnvelopeSerializer} (which hands its rare members to their POJO serializers).
 */
class PojoSerializationTest {
    @ParameterizedTest
    @ValueSource(classes = {RawRecord.class, DeadLetter.class, PipelineRunEvent.class, LineageEvent.class,
            MetricSample.class, AuthEvent.class, CommerceEvent.class, Dataset.class, ReadNotes.class, SourceCounts.class})
    void isAPojoWithNoGenericFieldAnywhere(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        assertThat(genericLeaves(info)).as("fields that would fall back to Kryo").isEmpty();
    }

    @Test
    void theEnvelopeHasItsExplicitSerializer() {
        assertThat(TypeInformation.of(Envelope.class)).isSameAs(EnvelopeTypeInfo.INSTANCE);
        assertThat(TypeInformation.of(Envelope.class).createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(EnvelopeSerializer.class);
    }

    @Test
    void everySampleRoundTripsWithGenericTypesDisabled() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // Kryo would throw here
        TypeSerializer<Envelope> serializer = TypeInformation.of(Envelope.class).createSerializer(config);
        RecordDecoder decoder = new RecordDecoder();
        List<Envelope> all = new ArrayList<>();
        for (InputFormat f : InputFormat.values()) {
            for (String line : Samples.records(f)) {
                all.add(decoder.decode(Samples.raw(f, line)));
            }
            all.add(decoder.decode(Samples.raw(f, "{broken")));
        }
        for (Envelope e : all) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serializer.serialize(e, out);
            Envelope back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).usingRecursiveComparison().isEqualTo(e);
        }
    }

    private static List<String> genericLeaves(TypeInformation<?> info) {
        List<String> out = new ArrayList<>();
        collect(info, info.toString(), out, 0);
        return out;
    }

    private static void collect(TypeInformation<?> info, String path, List<String> out, int depth) {
        if (depth > 10) {
            return;
        }
        if (info instanceof GenericTypeInfo) {
            out.add(path);
            return;
        }
        if (info instanceof CompositeType) {
            CompositeType<?> c = (CompositeType<?>) info;
            for (int i = 0; i < c.getArity(); i++) {
                collect(c.getTypeAt(i), path + "." + c.getFieldNames()[i], out, depth + 1);
            }
        }
        if (info instanceof org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo) {
            collect(((org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo<?, ?>) info).getComponentInfo(),
                    path + "[]", out, depth + 1);
        }
    }
}
