package io.vigil.query;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.flink.types.Row;

/**
 * A result as an aligned text table: a header, a rule, a line per row (a cell with line breaks
 * takes several), numbers right-aligned, NULL for null, times as {@code 2026-11-02 10:00:00.123}
 * (UTC; {@code Z} on instants), and a closing "N rows".
 */
public final class ResultTable {
    private final List<String> columns;
    private final boolean[] numeric;
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column names; {@code numeric[i]} right-aligns column i. */
    public ResultTable(List<String> columns, boolean[] numeric) {
        if (columns.size() != numeric.length) {
            throw new IllegalArgumentException(columns.size() + " columns, " + numeric.length + " alignments");
        }
        this.columns = new ArrayList<>(columns);
        this.numeric = numeric.clone();
    }

    /** Appends a row, one value per column. */
    public void add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = cell(values[i]);
        }
        rows.add(cells);
    }

    public int size() {
        return rows.size();
    }

    public void print(PrintStream out) {
        int[] width = new int[columns.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = columns.get(c).length();
            for (String[] r : rows) {
                for (String line : r[c].split("\n", -1)) {
                    width[c] = Math.max(width[c], line.length());
                }
            }
        }
        out.println(line(columns.toArray(new String[0]), width));
        StringJoiner rule = new StringJoiner("-+-");
        for (int w : width) {
            rule.add("-".repeat(w));
        }
        out.println(rule);
        for (String[] r : rows) {
            String[][] lines = new String[r.length][];
            int height = 1;
            for (int c = 0; c < r.length; c++) {
                lines[c] = r[c].split("\n", -1);
                height = Math.max(height, lines[c].length);
            }
            for (int l = 0; l < height; l++) {
                String[] physical = new String[r.length];
                for (int c = 0; c < r.length; c++) {
                    physical[c] = l < lines[c].length ? lines[c][l] : "";
                }
                out.println(line(physical, width));
            }
        }
        out.println(rows.size() == 1 ? "1 row" : rows.size() + " rows");
    }

    private String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                b.append(" | ");
            }
            String pad = " ".repeat(width[c] - cells[c].length());
            b.append(numeric[c] ? pad + cells[c] : cells[c] + pad);
        }
        return b.toString().stripTrailing();
    }

    /** How a value of a Flink result row is shown. */
    static String cell(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof LocalDateTime) {
            LocalDateTime t = (LocalDateTime) v;
            return t.toLocalDate() + " " + time(t.toLocalTime());
        }
        if (v instanceof Instant) {
            return cell(LocalDateTime.ofInstant((Instant) v, ZoneOffset.UTC)) + "Z";
        }
        if (v instanceof LocalTime) {
            return time((LocalTime) v);
        }
        if (v instanceof Double || v instanceof Float) {
            String s = v.toString();
            // plain digits rather than 1.0E-4; NaN and Infinity as they are
            return s.contains("E") ? new BigDecimal(s).stripTrailingZeros().toPlainString() : s;
        }
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).toPlainString();
        }
        if (v instanceof byte[]) {
            StringBuilder b = new StringBuilder("0x");
            for (byte x : (byte[]) v) {
                b.append(String.format("%02x", x));
            }
            return b.toString();
        }
        if (v instanceof Map) {
            // sorted when the keys allow: the same map prints the same way
            Map<?, ?> m = (Map<?, ?>) v;
            Map<?, ?> shown = m.keySet().stream().allMatch(k -> k instanceof String) ? new TreeMap<>(m) : m;
            StringJoiner j = new StringJoiner(", ", "{", "}");
            for (Map.Entry<?, ?> e : shown.entrySet()) {
                j.add(cell(e.getKey()) + "=" + cell(e.getValue()));
            }
            return j.toString();
        }
        if (v instanceof Object[]) {
            return cell(Arrays.asList((Object[]) v));
        }
        if (v instanceof Collection) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (Object o : (Collection<?>) v) {
                j.add(cell(o));
            }
            return j.toString();
        }
        if (v instanceof Row) {
            Row r = (Row) v;
            StringJoiner j = new StringJoiner(", ", "(", ")");
            for (int i = 0; i < r.getArity(); i++) {
                j.add(cell(r.getField(i)));
            }
            return j.toString();
        }
        return v.toString();
    }

    /** HH:mm:ss, with as many fraction digits as it has (3, 6 or 9). */
    private static String time(LocalTime t) {
        String s = String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        int nanos = t.getNano();
        if (nanos == 0) {
            return s;
        }
        if (nanos % 1_000_000 == 0) {
            return s + String.format(".%03d", nanos / 1_000_000);
        }
        if (nanos % 1_000 == 0) {
            return s + String.format(".%06d", nanos / 1_000);
        }
        return s + String.format(".%09d", nanos);
    }
}
