package io.vigil.iceberg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A strict reader of Athena's Iceberg {@code CREATE TABLE}, which is Hive-flavoured (PARTITIONED BY,
 * LOCATION, TBLPROPERTIES) where Trino's parser knows only {@code WITH (...)}: it reads exactly
 *
 * <pre>
 * CREATE TABLE [IF NOT EXISTS] ns.table ( column type, ... )
 * PARTITIONED BY ( column | transform(column) | bucket(n, column) | truncate(n, column), ... )
 * LOCATION 's3://...'
 * TBLPROPERTIES ( 'key'='value', ... ) [;]
 * </pre>
 *
 * with types string, bigint, int, double, float, boolean, timestamp, date, binary, decimal(p,s),
 * array&lt;t&gt; and map&lt;k,v&gt;, and refuses anything else with its line and column.
 */
final class AthenaCreateTable {
    private static final List<String> PRIMITIVES =
            List.of("string", "bigint", "int", "double", "float", "boolean", "timestamp", "date", "binary");
    private static final List<String> TRANSFORMS = List.of("year", "month", "day", "hour");

    String namespace;
    String table;
    /** Column name to type, in order; types in lower case without spaces. */
    final Map<String, String> columns = new LinkedHashMap<>();
    /** {@code day(event_time)}, {@code bucket(16,id)}, or a column name for identity. */
    final List<String> partitioning = new ArrayList<>();
    String location;
    final Map<String, String> properties = new LinkedHashMap<>();

    private final List<Token> tokens;
    private int next;

    private AthenaCreateTable(List<Token> tokens) {
        this.tokens = tokens;
    }

    static AthenaCreateTable parse(String sql) {
        AthenaCreateTable t = new AthenaCreateTable(tokenize(sql));
        t.statement();
        return t;
    }

    private void statement() {
        keyword("create");
        keyword("table");
        if (peekKeyword("if")) {
            keyword("if");
            keyword("not");
            keyword("exists");
        }
        namespace = identifier();
        symbol(".");
        table = identifier();
        symbol("(");
        do {
            Token at = peek();
            String name = identifier();
            if (columns.put(name, type()) != null) {
                throw refuse(at, "column " + name + " declared twice");
            }
        } while (optionalSymbol(","));
        symbol(")");
        keyword("partitioned");
        keyword("by");
        symbol("(");
        do {
            partitioning.add(partitionField());
        } while (optionalSymbol(","));
        symbol(")");
        keyword("location");
        location = string();
        keyword("tblproperties");
        symbol("(");
        do {
            Token at = peek();
            String key = string();
            symbol("=");
            if (properties.put(key, string()) != null) {
                throw refuse(at, "property " + key + " set twice");
            }
        } while (optionalSymbol(","));
        symbol(")");
        optionalSymbol(";");
        if (next < tokens.size()) {
            throw error(peek(), "expected the end of the statement");
        }
    }

    private String type() {
        Token at = peek();
        String name = word();
        switch (name) {
            case "map": {
                symbol("<");
                String k = type();
                symbol(",");
                String v = type();
                symbol(">");
                return "map<" + k + "," + v + ">";
            }
            case "array": {
                symbol("<");
                String e = type();
                symbol(">");
                return "array<" + e + ">";
            }
            case "decimal": {
                symbol("(");
                String p = number();
                symbol(",");
                String s = number();
                symbol(")");
                return "decimal(" + p + "," + s + ")";
            }
            default:
                if (!PRIMITIVES.contains(name)) {
                    throw refuse(at, "'" + name + "' is not a type Athena's Iceberg DDL declares");
                }
                return name;
        }
    }

    private String partitionField() {
        Token at = peek();
        String name = identifier();
        if (!optionalSymbol("(")) {
            return name;
        }
        String transform = name.toLowerCase(Locale.ROOT);
        String field;
        if (TRANSFORMS.contains(transform)) {
            field = transform + "(" + identifier() + ")";
        } else if (transform.equals("bucket") || transform.equals("truncate")) {
            String n = number();
            symbol(",");
            field = transform + "(" + n + "," + identifier() + ")";
        } else {
            throw refuse(at, "'" + name + "' is not a partition transform");
        }
        symbol(")");
        return field;
    }

    private Token peek() {
        return next < tokens.size() ? tokens.get(next) : new Token(Kind.END, "end of input", -1, -1);
    }

    private Token take(Kind kind, String what) {
        Token t = peek();
        if (t.kind != kind) {
            throw error(t, "expected " + what);
        }
        next++;
        return t;
    }

    private boolean peekKeyword(String k) {
        Token t = peek();
        return t.kind == Kind.WORD && t.text.equalsIgnoreCase(k);
    }

    private void keyword(String k) {
        if (!peekKeyword(k)) {
            throw error(peek(), "expected " + k.toUpperCase(Locale.ROOT));
        }
        next++;
    }

    private String word() {
        return take(Kind.WORD, "a type").text.toLowerCase(Locale.ROOT);
    }

    private String identifier() {
        Token t = peek();
        if (t.kind == Kind.QUOTED_IDENTIFIER) {
            next++;
            return t.text;
        }
        return take(Kind.WORD, "an identifier").text;
    }

    private String string() {
        return take(Kind.STRING, "a 'string'").text;
    }

    private String number() {
        return take(Kind.NUMBER, "a number").text;
    }

    private void symbol(String s) {
        if (!optionalSymbol(s)) {
            throw error(peek(), "expected '" + s + "'");
        }
    }

    private boolean optionalSymbol(String s) {
        Token t = peek();
        if (t.kind == Kind.SYMBOL && t.text.equals(s)) {
            next++;
            return true;
        }
        return false;
    }

    /** An unexpected token: what was expected and what was found. */
    private static IllegalArgumentException error(Token at, String expected) {
        return refuse(at, expected + ", found " + at.text);
    }

    private static IllegalArgumentException refuse(Token at, String what) {
        String where = at.line < 0 ? "at the end" : "line " + at.line + ":" + at.column;
        return new IllegalArgumentException(where + ": " + what);
    }

    private enum Kind { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, SYMBOL, END }

    private static final class Token {
        final Kind kind;
        final String text;
        final int line;
        final int column;

        Token(Kind kind, String text, int line, int column) {
            this.kind = kind;
            this.text = text;
            this.line = line;
            this.column = column;
        }
    }

    private static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int line = 1;
        int lineStart = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int col = i - lineStart + 1;
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                while (i < sql.length() && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.WORD, sql.substring(start, i), line, col));
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < sql.length() && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
                out.add(new Token(Kind.NUMBER, sql.substring(start, i), line, col));
            } else if (c == '\'' || c == '`') {
                int end = sql.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("line " + line + ":" + col + ": unterminated " + c);
                }
                String text = sql.substring(i + 1, end);
                if (text.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("line " + line + ":" + col + ": line break inside " + c);
                }
                out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED_IDENTIFIER, text, line, col));
                i = end + 1;
            } else if ("(),.;=<>".indexOf(c) >= 0) {
                out.add(new Token(Kind.SYMBOL, String.valueOf(c), line, col));
                i++;
            } else {
                throw new IllegalArgumentException("line " + line + ":" + col + ": unexpected '" + c + "'");
            }
        }
        return out;
    }
}
