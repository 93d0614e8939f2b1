package io.vigil.iceberg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

/** A table's Flink row read back by column name into plain Java values (epoch ms for instants). */
final class RowValues {
    private final CuratedTable table;
    private final RowData row;

    RowValues(CuratedTable table, RowData row) {
        this.table = table;
        this.row = row;
    }

    Object get(String column) {
        RowType type = table.rowType();
        int pos = type.getFieldIndex(column);
        if (pos < 0) {
            throw new IllegalArgumentException(table + " has no column " + column);
        }
        LogicalType t = type.getTypeAt(pos);
        Object v = RowData.createFieldGetter(t, pos).getFieldOrNull(row);
        return plain(v, t);
    }

    private static Object plain(Object v, LogicalType t) {
        if (v == null) {
            return null;
        }
        if (v instanceof StringData) {
            return v.toString();
        }
        if (v instanceof TimestampData) {
            return ((TimestampData) v).getMillisecond();
        }
        if (v instanceof MapData) {
            MapData m = (MapData) v;
            MapType mt = (MapType) t;
            ArrayData keys = m.keyArray();
            ArrayData values = m.valueArray();
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < m.size(); i++) {
                Object k = ArrayData.createElementGetter(mt.getKeyType()).getElementOrNull(keys, i);
                Object val = ArrayData.createElementGetter(mt.getValueType()).getElementOrNull(values, i);
                out.put(plain(k, mt.getKeyType()), plain(val, mt.getValueType()));
            }
            return out;
        }
        if (v instanceof ArrayData) {
            ArrayData a = (ArrayData) v;
            LogicalType element = ((org.apache.flink.table.types.logical.ArrayType) t).getElementType();
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                out.add(plain(ArrayData.createElementGetter(element).getElementOrNull(a, i), element));
            }
            return out;
        }
        return v;
    }

    static List<RowValues> of(CuratedTable table, List<? extends RowData> rows) {
        List<RowValues> out = new ArrayList<>();
        for (RowData r : rows) {
            out.add(new RowValues(table, r));
        }
        return out;
    }
}
