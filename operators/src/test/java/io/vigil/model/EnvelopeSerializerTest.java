package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.parse.RecordDecoder;
import io.vigil.testing.Samples;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.assertj.core.api.RecursiveComparisonAssert;
import org.junit.jupiter.api.Test;

/**
 * {@link EnvelopeSerializer} under Flink's serializer contract (round trips, copies, duplicates,
 * snapshots, concurrency), over the decoded samples of every input format and envelopes with
 * every member and nulls everywhere.
 */
class EnvelopeSerializerTest extends SerializerTestBase<Envelope> {
    EnvelopeSerializerTest() {
        super(new DeeplyEqualsChecker().withCustomCheck((a, b) -> a instanceof Envelope && b instanceof Envelope,
                (a, b, checker) -> sameFields(a, b)));
    }

    /** Field by field; NaN equals NaN (a value the serializer must keep). */
    static RecursiveComparisonAssert<?> same(Object actual) {
        return assertThat(actual).usingRecursiveComparison().withEqualsForType(Double::equals, Double.class);
    }

    private static boolean sameFields(Object a, Object b) {
        try {
            same(a).isEqualTo(b);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    private static final SerializerConfigImpl CONFIG = new SerializerConfigImpl();

    @Override
    protected TypeSerializer<Envelope> createSerializer() {
        return TypeInformation.of(Envelope.class).createSerializer(CONFIG);
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<Envelope> getTypeClass() {
        return Envelope.class;
    }

    @Override
    protected Envelope[] getTestData() {
        List<Envelope> all = new ArrayList<>();
        RecordDecoder decoder = new RecordDecoder();
        for (InputFormat f : InputFormat.values()) {
            for (String line : Samples.records(f)) {
                all.add(decoder.decode(Samples.raw(f, line)));
            }
            all.add(decoder.decode(Samples.raw(f, "{broken")));
        }
        all.addAll(unusual());
        return all.toArray(new Envelope[0]);
    }

    /** Every member once with its strings null, an empty envelope, and combinations the parsers never make. */
    static List<Envelope> unusual() {
        List<Envelope> out = new ArrayList<>();
        out.add(new Envelope());
        out.add(Envelope.of("auth", new AuthEvent()));
        AuthEvent failed = new AuthEvent();
        failed.time = -1;
        failed.sourceUser = "";
        failed.destinationUser = "U66\u00e9\u4e2d";
        failed.success = false;
        Envelope lateAuth = Envelope.of(null, failed);
        lateAuth.late = true;
        out.add(lateAuth);
        out.add(Envelope.of("commerce", new CommerceEvent()));
        CommerceEvent bought = new CommerceEvent();
        bought.eventType = CommerceEventType.values()[CommerceEventType.values().length - 1];
        bought.price = Double.NaN;
        bought.productId = Long.MIN_VALUE;
        bought.userId = Long.MAX_VALUE;
        bought.brand = "x".repeat(70_000);
        out.add(Envelope.of("commerce", bought));
        out.add(Envelope.of("runs", new PipelineRunEvent()));
        LineageEvent lineage = new LineageEvent();
        lineage.kind = LineageEventKind.values()[0];
        lineage.datasets = new Dataset[] {new Dataset("s3://lake", "orders")};
        out.add(Envelope.of("lineage", lineage));
        out.add(Envelope.of("kpi", new MetricSample()));
        DeadLetter d = new DeadLetter();
        d.format = InputFormat.REES46;
        out.add(Envelope.of(d, 7));
        SourceCounts c = new SourceCounts();
        c.total = 3;
        out.add(Envelope.of("auth", Family.AUTH, c));
        Envelope everything = Envelope.of("all", failed);
        everything.commerce = bought;
        everything.run = new PipelineRunEvent();
        everything.lineage = lineage;
        everything.metric = new MetricSample();
        everything.deadLetter = d;
        everything.notes = new ReadNotes();
        everything.counts = c;
        out.add(everything);
        return out;
    }

    @Test
    void everyFieldOfTheEnvelopeAndItsHotFamiliesIsWritten() throws Exception {
        // a field added to these classes but not to the serializer comes back at its default
        Envelope e = filled(Envelope.class, 1);
        e.auth = filled(AuthEvent.class, 100);
        e.commerce = filled(CommerceEvent.class, 200);
        Envelope back = roundTrip(e);
        same(back).isEqualTo(e);
        same(createSerializer().copy(e)).isEqualTo(e);
        for (Object o : List.of(back, back.auth, back.commerce)) {
            for (Field f : publicFields(o.getClass())) {
                assertThat(f.get(o)).as("%s.%s", o.getClass().getSimpleName(), f.getName())
                        .isNotEqualTo(defaultOf(f.getType()));
            }
        }
    }

    /** An instance whose every public field differs from its default; member objects are new instances. */
    private static <T> T filled(Class<T> type, int seed) throws Exception {
        T o = type.getDeclaredConstructor().newInstance();
        int i = seed;
        for (Field f : publicFields(type)) {
            Class<?> t = f.getType();
            i++;
            if (t == String.class) {
                f.set(o, f.getName() + i);
            } else if (t == long.class) {
                f.setLong(o, 1_000_000_000_000L + i);
            } else if (t == int.class) {
                f.setInt(o, i);
            } else if (t == double.class) {
                f.setDouble(o, i + 0.5);
            } else if (t == boolean.class) {
                f.setBoolean(o, true);
            } else if (t.isEnum()) {
                Object[] constants = t.getEnumConstants();
                f.set(o, constants[constants.length - 1]);
            } else {
                f.set(o, t.getDeclaredConstructor().newInstance());
            }
        }
        return o;
    }

    private static List<Field> publicFields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                out.add(f);
            }
        }
        return out;
    }

    private static Object defaultOf(Class<?> t) {
        if (t == long.class) {
            return 0L;
        } else if (t == int.class) {
            return 0;
        } else if (t == double.class) {
            return 0.0;
        } else if (t == boolean.class) {
            return false;
        }
        return null;
    }

    private Envelope roundTrip(Envelope e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        createSerializer().serialize(e, out);
        return createSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void aCopySharesNothingMutable() {
        Envelope e = getTestData()[0];
        Envelope all = unusual().get(unusual().size() - 1);
        Envelope c = createSerializer().copy(all);
        c.auth.sourceUser = "changed";
        c.commerce.price = 1;
        c.lineage.datasets[0].name = "changed";
        c.counts.total = 99;
        c.deadLetter.detail = "changed";
        assertThat(all.auth.sourceUser).isEqualTo("");
        assertThat(all.commerce.price).isNaN();
        assertThat(all.lineage.datasets[0].name).isEqualTo("orders");
        assertThat(all.counts.total).isEqualTo(3);
        assertThat(all.deadLetter.detail).isNull();
        assertThat(createSerializer().copy(e)).isNotSameAs(e);
    }

    @Test
    void theSnapshotRoundTripsAndRestoresAnEqualSerializerCompatibleAsIs() throws Exception {
        TypeSerializer<Envelope> serializer = createSerializer();
        DataOutputSerializer out = new DataOutputSerializer(512);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<Envelope> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read).isInstanceOf(EnvelopeSerializer.Snapshot.class);
        TypeSerializer<Envelope> restored = read.restoreSerializer();
        assertThat(restored).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<Envelope> compat = serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compat.isCompatibleAsIs()).isTrue();
        for (Envelope e : getTestData()) {
            DataOutputSerializer bytes = new DataOutputSerializer(256);
            serializer.serialize(e, bytes);
            same(restored.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()))).isEqualTo(e);
        }
    }

    @Test
    void enumOrdinalsAreAPromiseTheSnapshotKeeps() throws Exception {
        TypeSerializer<Envelope> serializer = createSerializer();
        TypeSerializerSnapshot<Envelope> now = serializer.snapshotConfiguration();
        // a snapshot written when Family had only its first two constants: appending kept the ordinals
        assertThat(now.resolveSchemaCompatibility(withFamilies("PIPELINE_RUN", "METRIC")).isCompatibleAsIs()).isTrue();
        // one written with the constants in another order: the ordinals in state would be read wrong
        assertThat(now.resolveSchemaCompatibility(withFamilies("METRIC", "PIPELINE_RUN", "AUTH", "COMMERCE"))
                .isIncompatible()).isTrue();
        assertThat(now.resolveSchemaCompatibility(withFamilies("PIPELINE_RUN", "METRIC", "AUTH", "COMMERCE", "GONE"))
                .isIncompatible()).isTrue();
    }

    /** The current snapshot, read back, with other Family constants recorded in it. */
    private TypeSerializerSnapshot<Envelope> withFamilies(String... names) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(512);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, createSerializer().snapshotConfiguration());
        TypeSerializerSnapshot<Envelope> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        Field families = EnvelopeSerializer.Snapshot.class.getDeclaredField("families");
        families.setAccessible(true);
        families.set(read, names);
        return read;
    }

    @Test
    void stateWrittenByFlinksPojoSerializerMigrates() throws Exception {
        // the serializer of Vigil before this one: Flink's POJO serializer over Envelope's fields
        TypeSerializer<Envelope> pojo = previousPojoSerializer();
        assertThat(pojo).isInstanceOf(PojoSerializer.class);
        DataOutputSerializer out = new DataOutputSerializer(512);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, pojo.snapshotConfiguration());
        TypeSerializerSnapshot<Envelope> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<Envelope> compat = createSerializer().snapshotConfiguration()
                .resolveSchemaCompatibility(old);
        assertThat(compat.isCompatibleAfterMigration()).isTrue();
        // as a state backend migrates: read with the restored old serializer, write with the new
        TypeSerializer<Envelope> reader = old.restoreSerializer();
        for (Envelope e : getTestData()) {
            DataOutputSerializer bytes = new DataOutputSerializer(256);
            pojo.serialize(e, bytes);
            Envelope read = reader.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
            same(roundTrip(read)).isEqualTo(e);
        }
        // another class's POJO state is not taken for an Envelope's
        TypeSerializerSnapshot<Envelope> other = cast(TypeInformation.of(SourceCounts.class).createSerializer(CONFIG)
                .snapshotConfiguration());
        assertThat(createSerializer().snapshotConfiguration().resolveSchemaCompatibility(other).isIncompatible()).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static <T> TypeSerializerSnapshot<T> cast(TypeSerializerSnapshot<?> s) {
        return (TypeSerializerSnapshot<T>) s;
    }

    /** Flink's POJO serializer of Envelope, field for field as the type extractor made it before. */
    static TypeSerializer<Envelope> previousPojoSerializer() {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        for (Field f : publicFields(Envelope.class)) {
            fields.put(f.getName(), TypeInformation.of(f.getType()));
        }
        return Types.POJO(Envelope.class, fields).createSerializer(CONFIG);
    }
}
