package io.vigil.model;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Writes an {@link Envelope} field by field, the hot families inline and the rare members through
 * their Flink POJO serializers; {@link EnvelopeTypeInfo} makes it the type of every Envelope
 * stream and state.
 *
 * <p>Layout, version 1 ({@link Snapshot}): a family byte (the ordinal, -1 for none, -2 for a null
 * envelope and nothing after it), a presence byte with one bit per member set ({@link #AUTH} ..
 * {@link #COUNTS}), the source, event time and late flag, then each member present, in bit order.
 * Strings are in {@link StringValue}'s format (null-aware), moved by a {@link StringValueCodec}.
 * {@link Family} and {@link CommerceEventType} are written as ordinals, so their order is part of
 * the state format: add constants only at the end;
 * the snapshot keeps their names, and a restore finding an old constant moved or gone is refused
 * as incompatible rather than read wrong. Any other change to this layout needs a new snapshot
 * version that still reads version 1.
 */
public final class EnvelopeSerializer extends TypeSerializer<Envelope> {
    private static final long serialVersionUID = 1L;

    static final int AUTH = 1;
    static final int COMMERCE = 1 << 1;
    static final int RUN = 1 << 2;
    static final int LINEAGE = 1 << 3;
    static final int METRIC = 1 << 4;
    static final int DEAD_LETTER = 1 << 5;
    static final int NOTES = 1 << 6;
    static final int COUNTS = 1 << 7;

    private static final int NO_FAMILY = -1;
    private static final int NULL_ENVELOPE = -2;
    private static final Family[] FAMILIES = Family.values();
    private static final CommerceEventType[] COMMERCE_TYPES = CommerceEventType.values();

    private final TypeSerializer<PipelineRunEvent> run;
    private final TypeSerializer<LineageEvent> lineage;
    private final TypeSerializer<MetricSample> metric;
    private final TypeSerializer<DeadLetter> deadLetter;
    private final TypeSerializer<ReadNotes> notes;
    private final TypeSerializer<SourceCounts> counts;
    /** Makes this serializer stateful: each duplicate has its own. */
    private transient StringValueCodec strings;

    /** With the members' POJO serializers under {@code config}, as Flink would make them. */
    public EnvelopeSerializer(SerializerConfig config) {
        this(pojo(PipelineRunEvent.class, config), pojo(LineageEvent.class, config), pojo(MetricSample.class, config),
                pojo(DeadLetter.class, config), pojo(ReadNotes.class, config), pojo(SourceCounts.class, config));
    }

    @SuppressWarnings("unchecked")
    private EnvelopeSerializer(TypeSerializer<?>... members) {
        this.run = (TypeSerializer<PipelineRunEvent>) members[0];
        this.lineage = (TypeSerializer<LineageEvent>) members[1];
        this.metric = (TypeSerializer<MetricSample>) members[2];
        this.deadLetter = (TypeSerializer<DeadLetter>) members[3];
        this.notes = (TypeSerializer<ReadNotes>) members[4];
        this.counts = (TypeSerializer<SourceCounts>) members[5];
    }

    private static <X> TypeSerializer<X> pojo(Class<X> type, SerializerConfig config) {
        return TypeInformation.of(type).createSerializer(config);
    }

    private TypeSerializer<?>[] members() {
        return new TypeSerializer<?>[] {run, lineage, metric, deadLetter, notes, counts};
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<Envelope> duplicate() {
        TypeSerializer<?>[] members = members();
        TypeSerializer<?>[] copies = new TypeSerializer<?>[members.length];
        for (int i = 0; i < members.length; i++) {
            copies[i] = members[i].duplicate();
        }
        return new EnvelopeSerializer(copies);
    }

    private StringValueCodec strings() {
        if (strings == null) {
            strings = new StringValueCodec();
        }
        return strings;
    }

    @Override
    public Envelope createInstance() {
        return new Envelope();
    }

    /** A deep copy: nothing mutable is shared with {@code from}. */
    @Override
    public Envelope copy(Envelope from) {
        if (from == null) {
            return null;
        }
        Envelope e = new Envelope();
        e.source = from.source;
        e.family = from.family;
        e.eventTime = from.eventTime;
        e.late = from.late;
        e.auth = copy(from.auth);
        e.commerce = copy(from.commerce);
        e.run = run.copy(from.run);
        e.lineage = lineage.copy(from.lineage);
        e.metric = metric.copy(from.metric);
        e.deadLetter = deadLetter.copy(from.deadLetter);
        e.notes = notes.copy(from.notes);
        e.counts = counts.copy(from.counts);
        return e;
    }

    private static AuthEvent copy(AuthEvent from) {
        if (from == null) {
            return null;
        }
        AuthEvent a = new AuthEvent();
        a.time = from.time;
        a.sourceUser = from.sourceUser;
        a.sourceDomain = from.sourceDomain;
        a.destinationUser = from.destinationUser;
        a.destinationDomain = from.destinationDomain;
        a.sourceComputer = from.sourceComputer;
        a.destinationComputer = from.destinationComputer;
        a.authType = from.authType;
        a.logonType = from.logonType;
        a.orientation = from.orientation;
        a.success = from.success;
        return a;
    }

    private static CommerceEvent copy(CommerceEvent from) {
        if (from == null) {
            return null;
        }
        CommerceEvent c = new CommerceEvent();
        c.eventTime = from.eventTime;
        c.eventType = from.eventType;
        c.productId = from.productId;
        c.categoryId = from.categoryId;
        c.categoryCode = from.categoryCode;
        c.brand = from.brand;
        c.price = from.price;
        c.userId = from.userId;
        c.userSession = from.userSession;
        return c;
    }

    @Override
    public Envelope copy(Envelope from, Envelope reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Envelope e, DataOutputView out) throws IOException {
        if (e == null) {
            out.writeByte(NULL_ENVELOPE);
            return;
        }
        out.writeByte(e.family == null ? NO_FAMILY : e.family.ordinal());
        int members = (e.auth != null ? AUTH : 0) | (e.commerce != null ? COMMERCE : 0) | (e.run != null ? RUN : 0)
                | (e.lineage != null ? LINEAGE : 0) | (e.metric != null ? METRIC : 0)
                | (e.deadLetter != null ? DEAD_LETTER : 0) | (e.notes != null ? NOTES : 0)
                | (e.counts != null ? COUNTS : 0);
        out.writeByte(members);
        StringValueCodec strings = strings();
        strings.write(e.source, out);
        out.writeLong(e.eventTime);
        out.writeBoolean(e.late);
        if (e.auth != null) {
            write(e.auth, out, strings);
        }
        if (e.commerce != null) {
            write(e.commerce, out, strings);
        }
        if (e.run != null) {
            run.serialize(e.run, out);
        }
        if (e.lineage != null) {
            lineage.serialize(e.lineage, out);
        }
        if (e.metric != null) {
            metric.serialize(e.metric, out);
        }
        if (e.deadLetter != null) {
            deadLetter.serialize(e.deadLetter, out);
        }
        if (e.notes != null) {
            notes.serialize(e.notes, out);
        }
        if (e.counts != null) {
            counts.serialize(e.counts, out);
        }
    }

    private static void write(AuthEvent a, DataOutputView out, StringValueCodec strings) throws IOException {
        out.writeLong(a.time);
        strings.write(a.sourceUser, out);
        strings.write(a.sourceDomain, out);
        strings.write(a.destinationUser, out);
        strings.write(a.destinationDomain, out);
        strings.write(a.sourceComputer, out);
        strings.write(a.destinationComputer, out);
        strings.write(a.authType, out);
        strings.write(a.logonType, out);
        strings.write(a.orientation, out);
        out.writeBoolean(a.success);
    }

    private static void write(CommerceEvent c, DataOutputView out, StringValueCodec strings) throws IOException {
        out.writeLong(c.eventTime);
        out.writeByte(c.eventType == null ? -1 : c.eventType.ordinal());
        out.writeLong(c.productId);
        out.writeLong(c.categoryId);
        strings.write(c.categoryCode, out);
        strings.write(c.brand, out);
        out.writeDouble(c.price);
        out.writeLong(c.userId);
        strings.write(c.userSession, out);
    }

    @Override
    public Envelope deserialize(DataInputView in) throws IOException {
        int family = in.readByte();
        if (family == NULL_ENVELOPE) {
            return null;
        }
        Envelope e = new Envelope();
        e.family = family == NO_FAMILY ? null : constant(FAMILIES, family);
        int members = in.readUnsignedByte();
        StringValueCodec strings = strings();
        e.source = strings.read(in);
        e.eventTime = in.readLong();
        e.late = in.readBoolean();
        if ((members & AUTH) != 0) {
            e.auth = readAuth(in, strings);
        }
        if ((members & COMMERCE) != 0) {
            e.commerce = readCommerce(in, strings);
        }
        if ((members & RUN) != 0) {
            e.run = run.deserialize(in);
        }
        if ((members & LINEAGE) != 0) {
            e.lineage = lineage.deserialize(in);
        }
        if ((members & METRIC) != 0) {
            e.metric = metric.deserialize(in);
        }
        if ((members & DEAD_LETTER) != 0) {
            e.deadLetter = deadLetter.deserialize(in);
        }
        if ((members & NOTES) != 0) {
            e.notes = notes.deserialize(in);
        }
        if ((members & COUNTS) != 0) {
            e.counts = counts.deserialize(in);
        }
        return e;
    }

    private static AuthEvent readAuth(DataInputView in, StringValueCodec strings) throws IOException {
        AuthEvent a = new AuthEvent();
        a.time = in.readLong();
        a.sourceUser = strings.read(in);
        a.sourceDomain = strings.read(in);
        a.destinationUser = strings.read(in);
        a.destinationDomain = strings.read(in);
        a.sourceComputer = strings.read(in);
        a.destinationComputer = strings.read(in);
        a.authType = strings.read(in);
        a.logonType = strings.read(in);
        a.orientation = strings.read(in);
        a.success = in.readBoolean();
        return a;
    }

    private static CommerceEvent readCommerce(DataInputView in, StringValueCodec strings) throws IOException {
        CommerceEvent c = new CommerceEvent();
        c.eventTime = in.readLong();
        int type = in.readByte();
        c.eventType = type < 0 ? null : constant(COMMERCE_TYPES, type);
        c.productId = in.readLong();
        c.categoryId = in.readLong();
        c.categoryCode = strings.read(in);
        c.brand = strings.read(in);
        c.price = in.readDouble();
        c.userId = in.readLong();
        c.userSession = strings.read(in);
        return c;
    }

    private static <E> E constant(E[] constants, int ordinal) throws IOException {
        if (ordinal < 0 || ordinal >= constants.length) {
            throw new IOException("no " + constants[0].getClass().getSimpleName() + " with ordinal " + ordinal
                    + " (written by a newer version?)");
        }
        return constants[ordinal];
    }

    @Override
    public Envelope deserialize(Envelope reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvelopeSerializer && Arrays.equals(members(), ((EnvelopeSerializer) o).members());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(members());
    }

    @Override
    public TypeSerializerSnapshot<Envelope> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /**
     * The layout version, the enum constants the ordinals stand for, and the members' own
     * snapshots (so a field added to a member class migrates as it does under Flink's POJO
     * serializer).
     */
    public static final class Snapshot extends ExplicitSerializerSnapshot<Envelope, EnvelopeSerializer> {
        private static final int LAYOUT = 1;
        private String[] families;
        private String[] commerceTypes;

        /** For reading a snapshot. */
        public Snapshot() {
            super(Envelope.class);
        }

        Snapshot(EnvelopeSerializer serializer) {
            super(Envelope.class, serializer);
            families = names(FAMILIES);
            commerceTypes = names(COMMERCE_TYPES);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return LAYOUT;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(EnvelopeSerializer outer) {
            return outer.members();
        }

        @Override
        protected EnvelopeSerializer createOuterSerializerWithNestedSerializers(TypeSerializer<?>[] nested) {
            return new EnvelopeSerializer(nested);
        }

        @Override
        protected void writeOuterSnapshot(DataOutputView out) throws IOException {
            writeNames(families, out);
            writeNames(commerceTypes, out);
        }

        @Override
        protected void readOuterSnapshot(int version, DataInputView in, ClassLoader loader) throws IOException {
            families = readNames(in);
            commerceTypes = readNames(in);
        }

        /** As long as every constant written keeps its ordinal, the layout reads as it is. */
        @Override
        protected OuterSchemaCompatibility resolveOuterSchemaCompatibility(TypeSerializerSnapshot<Envelope> old) {
            Snapshot previous = (Snapshot) old;
            return startsWith(families, previous.families) && startsWith(commerceTypes, previous.commerceTypes)
                    ? OuterSchemaCompatibility.COMPATIBLE_AS_IS
                    : OuterSchemaCompatibility.INCOMPATIBLE;
        }
    }

    private static String[] names(Enum<?>[] constants) {
        String[] out = new String[constants.length];
        for (int i = 0; i < constants.length; i++) {
            out[i] = constants[i].name();
        }
        return out;
    }

    private static void writeNames(String[] names, DataOutputView out) throws IOException {
        out.writeInt(names.length);
        for (String n : names) {
            out.writeUTF(n);
        }
    }

    private static String[] readNames(DataInputView in) throws IOException {
        String[] names = new String[in.readInt()];
        for (int i = 0; i < names.length; i++) {
            names[i] = in.readUTF();
        }
        return names;
    }

    /** True when {@code now} has every constant of {@code before} at its old ordinal. */
    private static boolean startsWith(String[] now, String[] before) {
        return before.length <= now.length && Arrays.equals(before, Arrays.copyOf(now, before.length));
    }
}
