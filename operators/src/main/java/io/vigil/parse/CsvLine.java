package io.vigil.parse;

import io.vigil.model.ReasonCode;
import java.util.ArrayList;
import java.util.List;

/** Splits one delimited line into exactly the expected number of columns. */
public final class CsvLine {
    private CsvLine() {}

    /**
     * Splits on commas. With {@code quoted}, RFC 4180 quoting applies ({@code "a,b"} and
     * {@code ""} inside quotes); without it, quotes are ordinary characters (LANL has none).
     */
    public static String[] split(String line, int expected, boolean quoted)
            throws InvalidRecordException {
        String[] out = new String[expected];
        int n = 0;
        int len = line.length();
        int i = 0;
        while (true) {
            String field;
            if (quoted && i < len && line.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < len) {
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < len && line.charAt(i + 1) == '"') {
                            sb.append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    sb.append(c);
                    i++;
                }
                if (!closed) {
                    throw new InvalidRecordException(ReasonCode.MALFORMED_CSV, "unterminated quote");
                }
                if (i < len && line.charAt(i) != ',') {
                    throw new InvalidRecordException(
                            ReasonCode.MALFORMED_CSV, "text after closing quote in column " + (n + 1));
                }
                field = sb.toString();
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? len : comma;
                field = line.substring(i, end);
                i = end;
            }
            if (n == expected) {
                throw new InvalidRecordException(
                        ReasonCode.MALFORMED_CSV,
                        "expected " + expected + " columns, got " + countColumns(line, quoted));
            }
            out[n++] = field;
            if (i >= len) {
                break;
            }
            i++; // the comma
            if (i == len) {
                // a trailing comma opens one more, empty, column
                if (n == expected) {
                    throw new InvalidRecordException(
                            ReasonCode.MALFORMED_CSV,
                            "expected " + expected + " columns, got " + countColumns(line, quoted));
                }
                out[n++] = "";
                break;
            }
        }
        if (n != expected) {
            throw new InvalidRecordException(
                    ReasonCode.MALFORMED_CSV, "expected " + expected + " columns, got " + n);
        }
        return out;
    }

    private static int countColumns(String line, boolean quoted) {
        List<Integer> commas = new ArrayList<>();
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"') {
                inQuotes = !inQuotes;
            } else if (c == ',' && !inQuotes) {
                commas.add(i);
            }
        }
        return commas.size() + 1;
    }
}
