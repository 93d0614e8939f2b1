package io.vigil.query;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One SQL statement as typed, read just far enough to tell whether it only reads (its leading
 * keyword outside comments, and nothing but comments after a closing semicolon), and to carry
 * Trino's quoting of names over to Flink's: {@code "name"} becomes {@code `name`}, and a metadata
 * table such as {@code pipeline_runs$snapshots}, which Flink's parser takes only quoted, is quoted.
 */
public final class SqlStatement {
    /** Statements that return rows and change nothing. */
    static final List<String> QUERIES = Arrays.asList("SELECT", "WITH", "VALUES", "(");
    /** Statements that describe the catalog or a plan: run with executeSql, change nothing. */
    static final List<String> INSPECTIONS = Arrays.asList("SHOW", "DESCRIBE", "DESC", "EXPLAIN");

    private final String flinkText;
    private final String keyword;

    private SqlStatement(String flinkText, String keyword) {
        this.flinkText = flinkText;
        this.keyword = keyword;
    }

    /** Reads {@code sql}; refuses anything but one SELECT, WITH, VALUES, SHOW, DESCRIBE or EXPLAIN. */
    public static SqlStatement of(String sql) throws QueryException {
        StringBuilder flink = new StringBuilder();
        String keyword = null;
        boolean ended = false; // past the statement's semicolon
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int next;
            String emitted = null;
            if (sql.startsWith("--", i)) {
                int nl = sql.indexOf('\n', i);
                next = nl < 0 ? sql.length() : nl + 1;
            } else if (sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                next = close < 0 ? sql.length() : close + 2;
            } else if (Character.isWhitespace(c)) {
                next = i + 1;
            } else if (c == ';') {
                ended = true;
                next = i + 1;
            } else {
                if (ended) {
                    throw new QueryException("one statement at a time: there is more after the ';'");
                }
                if (c == '\'' || c == '`') {
                    next = closingQuote(sql, i) + 1;
                } else if (c == '"') {
                    next = closingQuote(sql, i) + 1;
                    String name = sql.substring(i + 1, Math.max(i + 1, next - 1)).replace("\"\"", "\"");
                    emitted = backticked(name);
                } else if (Character.isLetter(c) || c == '_') {
                    next = i;
                    while (next < sql.length() && (Character.isLetterOrDigit(sql.charAt(next))
                            || sql.charAt(next) == '_' || sql.charAt(next) == '$')) {
                        next++;
                    }
                    String word = sql.substring(i, next);
                    if (keyword == null) {
                        keyword = word.toUpperCase(Locale.ROOT);
                    }
                    emitted = word.indexOf('$') > 0 ? backticked(word) : null;
                } else {
                    next = i + 1;
                }
                if (keyword == null) {
                    keyword = String.valueOf(c);
                }
            }
            if (!ended) {
                flink.append(emitted != null ? emitted : sql.substring(i, next));
            }
            i = next;
        }
        if (keyword == null) {
            throw new QueryException("no statement: the SQL is empty or only comments");
        }
        if (!QUERIES.contains(keyword) && !INSPECTIONS.contains(keyword)) {
            throw new QueryException("refused: '" + keyword + "' statements are not run here; "
                    + "vigil query is read-only and runs SELECT, WITH, VALUES, SHOW, DESCRIBE and EXPLAIN");
        }
        return new SqlStatement(flink.toString().trim(), keyword);
    }

    private static String backticked(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Where the quoted text starting at {@code open} ends (a doubled quote stays inside). */
    private static int closingQuote(String sql, int open) {
        char q = sql.charAt(open);
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == q) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return sql.length();
    }

    /** The statement as Flink SQL: names quoted Flink's way, without the closing semicolon. */
    public String flinkText() {
        return flinkText;
    }

    /** The leading keyword, upper case ({@code (} for a parenthesised query). */
    public String keyword() {
        return keyword;
    }

    /** True for a query (rows from tables); false for SHOW, DESCRIBE and EXPLAIN. */
    public boolean isQuery() {
        return QUERIES.contains(keyword);
    }
}
