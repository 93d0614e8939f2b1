package io.vigil.iceberg;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * One curated table: its name, Iceberg schema and partition spec, and a builder of its Flink rows
 * that sets columns by name and type, so a converter cannot put a value in the wrong position.
 */
public final class CuratedTable implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Instants are Iceberg {@code timestamp} (without zone) holding UTC. Athena reads timestamptz,
     * but its CREATE TABLE can only declare timestamp without zone: with timestamptz, a table made
     * from {@code ddl/athena} would have other column types than the job writes, and the job would
     * refuse to start on it.
     */
    static final Type INSTANT = Types.TimestampType.withoutZone();

    private final String name;
    private final Schema schema;
    private final PartitionSpec spec;
    private final String partitionColumn;
    private final Map<String, Integer> positions;

    private CuratedTable(String name, Schema schema, String partitionColumn) {
        this.name = name;
        this.schema = schema;
        this.partitionColumn = partitionColumn;
        this.spec = PartitionSpec.builderFor(schema).day(partitionColumn).build();
        Map<String, Integer> p = new HashMap<>();
        List<Types.NestedField> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            p.put(columns.get(i).name(), i);
        }
        this.positions = p;
    }

    static Columns named(String name) {
        return new Columns(name);
    }

    public String name() {
        return name;
    }

    public Schema schema() {
        return schema;
    }

    public PartitionSpec spec() {
        return spec;
    }

    /** The instant column whose day partitions the table. */
    public String partitionColumn() {
        return partitionColumn;
    }

    /** Where a column is in this table's rows. */
    public int position(String column) {
        Integer p = positions.get(column);
        if (p == null) {
            throw new IllegalArgumentException("table " + name + " has no column " + column);
        }
        return p;
    }

    /** The Flink row type of this table's rows. */
    public RowType rowType() {
        return FlinkSchemaUtil.convert(schema);
    }

    /** Type information for streams of this table's rows: Flink's RowData serializer, not Kryo. */
    public InternalTypeInfo<RowData> typeInfo() {
        return InternalTypeInfo.of(rowType());
    }

    public Row newRow() {
        return new Row();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Declares a table's columns in order; field ids are assigned as Iceberg assigns fresh ones. */
    static final class Columns {
        private final String name;
        private final List<Column> columns = new ArrayList<>();

        private Columns(String name) {
            this.name = name;
        }

        Columns required(String column, Type type) {
            columns.add(new Column(column, true, type));
            return this;
        }

        Columns optional(String column, Type type) {
            columns.add(new Column(column, false, type));
            return this;
        }

        /** A {@code map<string,string>} column, optional; its key and value ids follow the columns. */
        Columns optionalStringMap(String column) {
            columns.add(new Column(column, false, null));
            return this;
        }

        /** A {@code list<string>} column, optional; its element id follows the columns. */
        Columns optionalStringList(String column) {
            columns.add(new Column(column, false, Types.ListType.ofOptional(0, Types.StringType.get())));
            return this;
        }

        CuratedTable partitionedByDayOf(String instantColumn) {
            // Top-level ids 1..n first, nested ids after: what TypeUtil.assignFreshIds gives a
            // table created by a catalog, so our schema and a loaded table's ids agree.
            int nextNested = columns.size() + 1;
            List<Types.NestedField> fields = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                Type type = c.type;
                if (type == null) {
                    type = Types.MapType.ofOptional(nextNested, nextNested + 1, Types.StringType.get(),
                            Types.StringType.get());
                    nextNested += 2;
                } else if (type.isListType()) {
                    type = Types.ListType.ofOptional(nextNested, type.asListType().elementType());
                    nextNested += 1;
                }
                fields.add(Types.NestedField.of(i + 1, !c.required, c.name, type));
            }
            return new CuratedTable(name, new Schema(fields), instantColumn);
        }
    }

    /** A declared column; a null type stands for {@code map<string,string>}. */
    private static final class Column {
        final String name;
        final boolean required;
        final Type type;

        Column(String name, boolean required, Type type) {
            this.name = name;
            this.required = required;
            this.type = type;
        }
    }

    /**
     * The UTF-8 forms of categorical values, direct-mapped by hash: making a row's strings was 4 %
     * of the whole job (JFR), most of it allocating the same few hundred values again per row. One
     * table for every writer thread: an entry is immutable (final fields), so a thread sees a whole
     * entry or none, and a race only costs an encoding; a {@code BinaryStringData} made from bytes
     * is never changed by its readers. A colliding value replaces the entry: high-cardinality
     * columns do not belong here.
     */
    static final class Categories {
        private static final int SIZE = 4096;
        private static final Entry[] ENTRIES = new Entry[SIZE];

        private Categories() {}

        private static final class Entry {
            final String text;
            final StringData utf8;

            Entry(String text, StringData utf8) {
                this.text = text;
                this.utf8 = utf8;
            }
        }

        static StringData of(String value) {
            int h = value.hashCode();
            int i = (h ^ (h >>> 16)) & (SIZE - 1);
            Entry e = ENTRIES[i];
            if (e != null && e.text.equals(value)) {
                return e.utf8;
            }
            StringData d = utf8(value);
            ENTRIES[i] = new Entry(value, d);
            return d;
        }
    }

    /**
     * Encoded now by the JDK, which copies an ASCII string's bytes in one go: {@code
     * StringData.fromString} encodes when the writer first asks, a char at a time (1.7 % of the
     * whole job's CPU in a JFR profile).
     */
    private static StringData utf8(String value) {
        return StringData.fromBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A row of this table under construction. Setters check the column's type, and {@link #build()}
     * that every required column is set, naming the column when not: a mistake in a converter
     * fails its unit test rather than a Parquet writer in production.
     */
    public final class Row {
        private final GenericRowData row = new GenericRowData(positions.size());

        private Row() {}

        public Row setString(String column, String value) {
            row.setField(position(column, Type.TypeID.STRING), value == null ? null : utf8(value));
            return this;
        }

        /**
         * A string of few distinct values (a domain, an auth or event type, a brand, the source):
         * its UTF-8 form is encoded once and shared by the rows that hold it ({@link Categories}).
         */
        public Row setCategory(String column, String value) {
            row.setField(position(column, Type.TypeID.STRING), value == null ? null : Categories.of(value));
            return this;
        }

        public Row setLong(String column, Long value) {
            row.setField(position(column, Type.TypeID.LONG), value);
            return this;
        }

        /** NaN and infinities have no place in an analyst's table: they are written as null. */
        public Row setDouble(String column, Double value) {
            boolean finite = value != null && Double.isFinite(value);
            row.setField(position(column, Type.TypeID.DOUBLE), finite ? value : null);
            return this;
        }

        public Row setBoolean(String column, Boolean value) {
            row.setField(position(column, Type.TypeID.BOOLEAN), value);
            return this;
        }

        /** An instant in epoch milliseconds, written as its UTC date-time. */
        public Row setTimestamp(String column, Long epochMillis) {
            row.setField(position(column, Type.TypeID.TIMESTAMP),
                    epochMillis == null ? null : TimestampData.fromEpochMillis(epochMillis));
            return this;
        }

        public Row setStringMap(String column, Map<String, String> value) {
            int pos = position(column, Type.TypeID.MAP);
            if (value == null) {
                row.setField(pos, null);
                return this;
            }
            Map<StringData, StringData> m = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : value.entrySet()) {
                m.put(utf8(e.getKey()), e.getValue() == null ? null : utf8(e.getValue()));
            }
            row.setField(pos, new GenericMapData(Collections.unmodifiableMap(m)));
            return this;
        }

        public Row setStringList(String column, String[] values) {
            int pos = position(column, Type.TypeID.LIST);
            if (values == null) {
                row.setField(pos, null);
                return this;
            }
            StringData[] out = new StringData[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = values[i] == null ? null : utf8(values[i]);
            }
            row.setField(pos, new org.apache.flink.table.data.GenericArrayData(out));
            return this;
        }

        public GenericRowData build() {
            List<Types.NestedField> columns = schema.columns();
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).isRequired() && row.isNullAt(i)) {
                    throw new IllegalStateException(name + "." + columns.get(i).name() + " is required but not set");
                }
            }
            return row;
        }

        private int position(String column, Type.TypeID expected) {
            Integer pos = positions.get(column);
            if (pos == null) {
                throw new IllegalArgumentException(name + " has no column '" + column + "'");
            }
            Type.TypeID actual = schema.columns().get(pos).type().typeId();
            if (actual != expected) {
                throw new IllegalArgumentException(
                        name + "." + column + " is " + actual + ", not " + expected);
            }
            return pos;
        }
    }
}
