package io.vigil.testing;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that writes, per input format, a file of hostile records into a fresh temp
 * directory, every one of which must be dead-lettered: seeded random bytes, a 10 MB line, JSON
 * nested 100,000 deep (CSV: 100,000 columns), invalid UTF-8, NaN and infinities in every numeric
 * field, times in year 9999 and before 1970, BOM and CRLF wrappings, JSON that is not one object,
 * duplicate keys and more. It keeps every record as the line reader yields it (README: records end
 * at LF, a CR before the LF is part of the terminator), so tests can check counts and payloads
 * exactly, and, per hostile variant, the valid record it was made from ({@link Input#controls}).
 */
public class HostileCorpus implements BeforeEachCallback, AfterEachCallback {
    /** The valid event time every template carries. */
    public static final Instant T = Instant.parse("2026-11-02T10:00:00Z");
    static final long T_S = T.getEpochSecond();
    private static final DateTimeFormatter REES46_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    static final String REES46_T = REES46_TIME.format(T);

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final String LF = "\n";
    private static final String CRLF = "\r\n";
    private static final int DEEP = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;

    /** One record as the line reader yields it: its bytes (terminator excluded, before any cap). */
    public static final class Record {
        public final String what;
        public final byte[] bytes;

        Record(String what, byte[] bytes) {
            this.what = what;
            this.bytes = bytes;
        }

        /** Over the payload limit: the reader keeps only the first {@link RawRecord#MAX_PAYLOAD_BYTES}. */
        public boolean oversized() {
            return bytes.length > RawRecord.MAX_PAYLOAD_BYTES;
        }

        /** The payload a dead letter keeps: the record, or its first MiB when oversized. */
        public byte[] keptPayload() {
            return oversized() ? Arrays.copyOf(bytes, RawRecord.MAX_PAYLOAD_BYTES) : bytes;
        }

        @Override
        public String toString() {
            return what + " (" + bytes.length + " bytes)";
        }
    }

    /** One written input: every record it holds, in file order, and the valid records they mutate. */
    public static final class Input {
        public final String name;
        public final InputFormat format;
        public final Path path;
        public final List<Record> records;
        /** Valid records, each differing from a hostile one only where that one is hostile. */
        public final List<String> controls;

        Input(String name, InputFormat format, Path path, List<Record> records, List<String> controls) {
            this.name = name;
            this.format = format;
            this.path = path;
            this.records = Collections.unmodifiableList(records);
            this.controls = Collections.unmodifiableList(controls);
        }

        /** The replay {@code FORMAT:PATH} of this input. */
        public String formatAndPath() {
            return format.id() + ":" + path;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("vigil-hostile");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** Writes the hostile file of {@code format} as input {@code name}; {@code seed} seeds its random bytes. */
    public Input write(String name, InputFormat format, long seed) {
        Writer w = new Writer(new Random(seed));
        boolean json = format != InputFormat.LANL_AUTH && format != InputFormat.REES46;
        String t = template(format);
        w.control(t);

        w.raw("random bytes", randomBytes(w.rnd, 32 << 10, false), LF);
        w.line("a 10 MB line", tenMegabytes(format, t), LF);
        w.raw("2 MiB of binary behind a BOM, CRLF", concat(BOM, randomBytes(w.rnd, 2 << 20, true)), CRLF);
        w.line("empty line", "", LF);
        w.line("blank line", " \t ", LF);
        w.raw("BOM only, CRLF", BOM, CRLF);
        w.line("NUL bytes", "\0\0\0\0", LF);
        invalidUtf8(w, t);
        if (json) {
            jsonStructure(w, format, t);
        } else {
            csvStructure(w, format, t);
        }
        int from = w.records.size();
        if (json) {
            jsonNumbers(w, format, t);
        } else {
            csvNumbers(w, format, t);
        }
        timestamps(w, format, t);
        // the same refusals again, behind a BOM and with CRLF: neither may make one acceptable
        for (Record r : new ArrayList<>(w.records.subList(from, w.records.size()))) {
            w.raw("BOM + CRLF: " + r.what, concat(BOM, r.bytes), CRLF);
        }
        w.raw("a CR between two records makes one record", (t + "\r" + t).getBytes(StandardCharsets.UTF_8), LF);
        w.raw("CR CR LF: one CR stays in the record", (garbled(t) + "\r").getBytes(StandardCharsets.UTF_8), CRLF);

        Path p = dir.resolve(name + "." + (json ? "jsonl" : "txt"));
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write(w.file.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Input(name, format, p, w.records, w.controls);
    }

    /** Writes {@code n} valid records of the format, one a second from {@link #T}: a healthy input to set beside hostile ones. */
    public Path healthy(String name, InputFormat format, int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(validAt(format, T.plusSeconds(i)));
        }
        Path p = dir.resolve(name + "-healthy.txt");
        try {
            Files.write(p, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The format's template with its event time set to {@code t}. */
    static String validAt(InputFormat format, Instant t) {
        String tmpl = template(format);
        switch (format) {
            case LANL_AUTH:
                return withColumn(tmpl, 0, Long.toString(t.getEpochSecond()));
            case REES46:
                return withColumn(tmpl, 0, REES46_TIME.format(t));
            case AUTH_JSON:
                return withToken(tmpl, "/time", Long.toString(t.getEpochSecond()));
            case COMMERCE_JSON:
                return withToken(tmpl, "/event_time", "\"" + REES46_TIME.format(t) + "\"");
            case OPENLINEAGE:
                return withToken(tmpl, "/eventTime", "\"" + t + "\"");
            case GITHUB_ACTIONS:
                return withToken(tmpl, "/workflow_run/updated_at", "\"" + t + "\"");
            case DATABRICKS_CLUSTER_EVENTS:
                return withToken(tmpl, "/timestamp", Long.toString(t.toEpochMilli()));
            default:
                return withToken(tmpl, "/time", "\"" + t + "\"");
        }
    }

    /** A valid record of the format at {@link #T}: what every hostile variant is made from. */
    public static String template(InputFormat format) {
        switch (format) {
            case OPENLINEAGE:
                return "{\"eventType\":\"COMPLETE\",\"eventTime\":\"2026-11-02T10:00:00Z\",\"run\":{\"runId\":\"r-1\"},"
                        + "\"job\":{\"namespace\":\"etl\",\"name\":\"hostile\"},\"inputs\":[{\"namespace\":\"pg\",\"name\":\"orders\","
                        + "\"inputFacets\":{\"dataQualityMetrics\":{\"rowCount\":10,\"columnMetrics\":{\"amount\":"
                        + "{\"nullCount\":1,\"distinctCount\":5}}}}}],\"outputs\":[{\"namespace\":\"s3\",\"name\":\"out\","
                        + "\"outputFacets\":{\"outputStatistics\":{\"rowCount\":10}}}]}";
            case METRICS:
                return "{\"name\":\"par_90_pct\",\"value\":4.2,\"time\":\"2026-11-02T10:00:00Z\",\"labels\":{\"portfolio\":\"abaco\"}}";
            case LANL_AUTH:
                return T_S + ",U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn,Success";
            case AUTH_JSON:
                return "{\"time\":" + T_S + ",\"source_user\":\"U1@DOM1\",\"destination_user\":\"U1@DOM1\",\"source_computer\":\"C1\","
                        + "\"destination_computer\":\"C2\",\"auth_type\":\"NTLM\",\"logon_type\":\"Network\","
                        + "\"auth_orientation\":\"LogOn\",\"success\":\"Success\"}";
            case REES46:
                return REES46_T + ",purchase,1004856,2053013555631882655,electronics.smartphone,samsung,130.76,543272936,"
                        + "8187d148-3c41-46d4-b0c0-9c08cd9dc564";
            case COMMERCE_JSON:
                return "{\"event_time\":\"" + REES46_T + "\",\"event_type\":\"purchase\",\"product_id\":1004856,"
                        + "\"category_id\":2053013555631882655,\"category_code\":\"electronics.smartphone\",\"brand\":\"samsung\","
                        + "\"price\":130.76,\"user_id\":543272936,\"user_session\":\"8187d148-3c41-46d4-b0c0-9c08cd9dc564\"}";
            case GITHUB_ACTIONS:
                return "{\"action\":\"completed\",\"workflow_run\":{\"id\":7,\"name\":\"release\",\"run_attempt\":1,"
                        + "\"conclusion\":\"failure\",\"updated_at\":\"2026-11-02T10:00:00Z\"},\"repository\":{\"full_name\":\"vigil/hostile\"}}";
            case EVENTBRIDGE:
                return "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"CloudWatch Alarm State Change\",\"source\":\"aws.cloudwatch\","
                        + "\"account\":\"123456789012\",\"time\":\"2026-11-02T10:00:00Z\",\"region\":\"us-east-1\",\"resources\":[],"
                        + "\"detail\":{\"alarmName\":\"hostile\",\"state\":{\"value\":\"ALARM\"}}}";
            case DATABRICKS_CLUSTER_EVENTS:
                return "{\"cluster_id\":\"hostile-1\",\"timestamp\":" + T.toEpochMilli() + ",\"type\":\"RUNNING\","
                        + "\"details\":{\"current_num_workers\":2,\"target_num_workers\":2}}";
            case PIP_AUDIT:
                return "{\"time\":\"2026-11-02T10:00:00Z\",\"project\":\"hostile\",\"report\":{\"dependencies\":[{\"name\":\"flask\","
                        + "\"version\":\"0.5\",\"vulns\":[{\"id\":\"PYSEC-2019-179\",\"fix_versions\":[\"1.0\"]}]}],\"fixes\":[]}}";
            default:
                throw new IllegalArgumentException(format.toString());
        }
    }

    /** The JSON pointers of the numeric fields a parser reads, per JSON format. */
    static List<String> numericFields(InputFormat format) {
        switch (format) {
            case OPENLINEAGE:
                // its numbers are all in facets: a bad one is skipped and counted, the event stays
                // valid (issue 14); OpenLineageParserTest covers that
                return List.of();
            case METRICS:
                return List.of("/value");
            case AUTH_JSON:
                return List.of("/time");
            case COMMERCE_JSON:
                return List.of("/product_id", "/category_id", "/price", "/user_id");
            case GITHUB_ACTIONS:
                return List.of("/workflow_run/id");
            case DATABRICKS_CLUSTER_EVENTS:
                return List.of("/timestamp");
            default:
                return List.of();
        }
    }

    /** The columns of the numeric fields, per CSV format. */
    static int[] numericColumns(InputFormat format) {
        return format == InputFormat.LANL_AUTH ? new int[] {0} : new int[] {2, 3, 6, 7};
    }

    private static final String[] NON_FINITE = {"NaN", "Infinity", "-Infinity", "+Infinity", "1e999", "-1e999"};

    private static void jsonNumbers(Writer w, InputFormat format, String t) {
        for (String field : numericFields(format)) {
            w.control(withToken(t, field, "7"));
            w.control(withToken(t, field, "\"7\""));
            for (String n : NON_FINITE) {
                w.line(field + " = " + n, withToken(t, field, n), LF);
                w.line(field + " = \"" + n + "\"", withToken(t, field, "\"" + n + "\""), LF);
            }
            w.line(field + " = a 5,000-digit number", withToken(t, field, "9".repeat(5000)), LF);
            w.line(field + " = 0x10", withToken(t, field, "0x10"), LF);
        }
        if (format == InputFormat.METRICS) {
            // label values may be numbers; a non-finite one is no label value
            w.control(withToken(t, "/labels/portfolio", "7"));
            w.line("label = 1e999", withToken(t, "/labels/portfolio", "1e999"), LF);
            w.line("label = -1e999", withToken(t, "/labels/portfolio", "-1e999"), LF);
            w.line("label = NaN", withToken(t, "/labels/portfolio", "NaN"), LF);
        }
        if (format == InputFormat.COMMERCE_JSON) {
            // numbers in strings: only plain decimal digits are numbers
            for (String s : new String[] {"0x1p7", "130.76d", "130.76f", "\\u0000130.76"}) {
                w.line("/price = \"" + s + "\"", withToken(t, "/price", "\"" + s + "\""), LF);
            }
            w.line("/product_id in fullwidth digits", withToken(t, "/product_id", "\"\uFF11\uFF10\uFF10\uFF14\"") , LF);
            w.line("/user_id in Arabic-Indic digits", withToken(t, "/user_id", "\"\u0665\u0664\u0663\"") , LF);
        }
        if (format == InputFormat.AUTH_JSON) {
            w.line("/time in fullwidth digits", withToken(t, "/time", "\"" + fullwidth(Long.toString(T_S)) + "\""), LF);
        }
    }

    private static void csvNumbers(Writer w, InputFormat format, String t) {
        for (int col : numericColumns(format)) {
            w.control(withColumn(t, col, col == 0 ? Long.toString(T_S) : col == 6 ? "7.5" : "7"));
            for (String n : NON_FINITE) {
                w.line("column " + col + " = " + n, withColumn(t, col, n), LF);
            }
            w.line("column " + col + " = nan", withColumn(t, col, "nan"), LF);
            w.line("column " + col + " = a 5,000-digit number", withColumn(t, col, "9".repeat(5000)), LF);
        }
        if (format == InputFormat.REES46) {
            for (String s : new String[] {"0x1p7", "130.76d", "130.76f", "\"NaN\"", "\"Infinity\""}) {
                w.line("price = " + s, withColumn(t, 6, s), LF);
            }
            w.line("product_id in fullwidth digits", withColumn(t, 2, "\uFF11\uFF10\uFF10\uFF14"), LF);
            w.line("user_id in Arabic-Indic digits", withColumn(t, 7, "\u0665\u0664\u0663"), LF);
        } else {
            w.line("time in fullwidth digits", withColumn(t, 0, fullwidth(Long.toString(T_S))), LF);
        }
    }

    /** Times in year 9999 and before 1970, in each notation the format takes, and some it does not. */
    private static void timestamps(Writer w, InputFormat format, String t) {
        List<String> tokens = new ArrayList<>();
        String where;
        switch (format) {
            case OPENLINEAGE:
            case METRICS:
            case GITHUB_ACTIONS:
            case EVENTBRIDGE:
            case PIP_AUDIT:
            case DATABRICKS_CLUSTER_EVENTS:
                where = format == InputFormat.OPENLINEAGE ? "/eventTime" : format == InputFormat.GITHUB_ACTIONS
                        ? "/workflow_run/updated_at" : format == InputFormat.DATABRICKS_CLUSTER_EVENTS ? "/timestamp" : "/time";
                // Databricks times are epoch milliseconds only (as digits in a string too); ISO text is refused
                w.control(withToken(t, where, format == InputFormat.DATABRICKS_CLUSTER_EVENTS
                        ? "\"" + T.toEpochMilli() + "\"" : "\"" + T + "\""));
                for (String iso : new String[] {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999-18:00", "+10000-01-01T00:00:00Z",
                        "+999999999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z",
                        "0000-01-01T00:00:00+01:00", "-999999999-01-01T00:00:00Z", "9999-12-31T23:59:59", "2026-11-02T10:00:00+25:00",
                        "2026-11-02T10:00:60Z", "2026-02-30T10:00:00Z", "NaN", "Infinity", ""}) {
                    tokens.add("\"" + iso + "\"");
                }
                // epoch milliseconds (metrics, pip-audit's wrapper and Databricks take them; the others text only)
                if (format == InputFormat.METRICS || format == InputFormat.PIP_AUDIT || format == InputFormat.DATABRICKS_CLUSTER_EVENTS) {
                    w.control(withToken(t, where, Long.toString(T.toEpochMilli())));
                }
                for (String ms : new String[] {"253402300799000", "253402300800000", "-1", "-62135596800000",
                        "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1793613600000.5"}) {
                    tokens.add(ms);
                }
                tokens.add("\"253402300799000\"");
                break;
            case AUTH_JSON:
                where = "/time";
                w.control(withToken(t, where, "\"" + T_S + "\""));
                for (String s : new String[] {"253402300799", "253402300800", "-1", "-62135596800", "9223372036854775807",
                        "-9223372036854775808", "99999999999999999999", "1793613600000", "1793613600.5"}) {
                    tokens.add(s);
                    tokens.add("\"" + s + "\"");
                }
                tokens.add("\"9999-12-31T23:59:59Z\"");
                tokens.add("\"1969-12-31T23:59:59Z\"");
                break;
            case COMMERCE_JSON:
                where = "/event_time";
                w.control(withToken(t, where, "\"" + T + "\""));
                for (String s : new String[] {"9999-12-31 23:59:59 UTC", "1969-12-31 23:59:59 UTC", "0000-01-01 00:00:00 UTC",
                        "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "253402300799",
                        "2026-11-02 10:00:00 CET", "2026-11-02 25:00:00 UTC"}) {
                    tokens.add("\"" + s + "\"");
                }
                tokens.add("253402300799000");
                tokens.add("-1");
                break;
            default:
                for (String s : csvTimes(format)) {
                    w.line("time " + s, withColumn(t, 0, s), LF);
                }
                // a field that does not parse is quoted in the detail, cut short: never mid-character
                w.line("time quoted cut at an emoji", withColumn(t, 0, "a".repeat(79) + "\uD83D\uDE00 more"), LF);
                return;
        }
        for (String tok : tokens) {
            w.line(where + " = " + tok, withToken(t, where, tok), LF);
        }
        w.line(where + " quoted cut at an emoji", withToken(t, where, "\"" + "a".repeat(79) + "\uD83D\uDE00 more\""), LF);
    }

    private static List<String> csvTimes(InputFormat format) {
        if (format == InputFormat.LANL_AUTH) {
            return List.of("253402300799", "253402300800", "-1", "-62135596800", "9223372036854775807", "-9223372036854775808",
                    "99999999999999999999", "1793613600000", "1793613600.5", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z",
                    "\"" + T_S + "\"");
        }
        return List.of("9999-12-31 23:59:59 UTC", "1969-12-31 23:59:59 UTC", "0000-01-01 00:00:00 UTC", "9999-12-31T23:59:59Z",
                "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "253402300799", "-1", "2026-11-02 25:00:00 UTC");
    }

    private static void invalidUtf8(Writer w, String t) {
        String[] names = {"a lone continuation byte", "an overlong slash", "an encoded surrogate", "a 5-byte sequence",
                "a sequence cut short", "FE FF", "Latin-1 e-acute"};
        byte[][] seqs = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
                {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xE9}};
        byte[] valid = t.getBytes(StandardCharsets.UTF_8);
        int at = t.indexOf("U1") >= 0 ? t.indexOf("U1") + 1 : t.indexOf("hostile") >= 0 ? t.indexOf("hostile") + 1
                : t.indexOf("par_90") >= 0 ? t.indexOf("par_90") + 1 : t.indexOf("samsung") + 1;
        for (int i = 0; i < seqs.length; i++) {
            w.raw("invalid UTF-8: " + names[i], concat(Arrays.copyOf(valid, at), seqs[i], Arrays.copyOfRange(valid, at, valid.length)), LF);
        }
        w.raw("invalid UTF-8 at the very end", concat(valid, new byte[] {(byte) 0xC3}), LF);
        // a record in UTF-16 (with its BOM): no LF byte inside, so one record
        byte[] utf16 = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, t.getBytes(StandardCharsets.UTF_16LE));
        w.raw("UTF-16LE with BOM", utf16, CRLF);
    }

    private static void jsonStructure(Writer w, InputFormat format, String t) {
        String body = t.substring(1, t.length() - 1);
        w.line("{}", "{}", LF);
        w.line("[]", "[]", LF);
        w.line("an array holding the record", "[" + t + "]", LF);
        w.line("null", "null", LF);
        w.line("true", "true", LF);
        w.line("a number", "42", LF);
        w.line("a string", "\"" + t.replace("\"", "\\\"") + "\"", LF);
        w.line("two records on one line", t + t, LF);
        w.line("two records, comma", t + "," + t, LF);
        w.line("trailing garbage", t + " x", LF);
        w.line("unclosed", t.substring(0, t.length() - 1), LF);
        w.line("single quotes", t.replace('"', '\''), LF);
        w.line("unquoted keys", t.replaceAll("\"([a-z_A-Z]+)\":", "$1:"), LF);
        w.line("trailing comma", "{" + body + ",}", LF);
        w.line("a comment before", "/* c */" + t, LF);
        w.line("a comment after", t + " // c", LF);
        String firstKey = body.substring(0, body.indexOf(':'));
        w.line("a duplicate top-level key, same value", "{" + body + "," + body.substring(0, body.indexOf(',')) + "}", LF);
        w.line("a duplicate top-level key, other value", "{" + body + "," + firstKey + ":\"x\"}", LF);
        w.line("a raw NUL in a key", "{\"\0\":1," + body + "}", LF);
        w.line("a raw control character in a string", "{\"note\":\"a\u0001b\"," + body + "}", LF);
        w.line("JSON nested 100,000 deep (arrays)", "[".repeat(DEEP) + "]".repeat(DEEP), LF);
        w.line("JSON nested 100,000 deep (objects)", "{\"a\":".repeat(DEEP) + "0" + "}".repeat(DEEP), LF);
        w.line("the record with 100,000-deep nesting inside", "{\"deep\":" + "[".repeat(DEEP) + "]".repeat(DEEP) + "," + body + "}", LF);
        w.line("an emoji before the record", "\uD83D\uDE00" + t, LF);
        switch (format) {
            case METRICS:
                w.line("a duplicate nested key", t.replace("{\"portfolio\":\"abaco\"}", "{\"portfolio\":\"abaco\",\"portfolio\":\"x\"}"), LF);
                lone(w, t, "\"par_90_pct\"", "\"par\\ud800\"");
                w.line("an unpaired surrogate escaped in a key", t.replace("{\"portfolio\":", "{\"portfolio\\udfff\":"), LF);
                break;
            case OPENLINEAGE:
                w.line("a duplicate nested key", t.replace("{\"runId\":\"r-1\"}", "{\"runId\":\"r-1\",\"runId\":\"r-2\"}"), LF);
                lone(w, t, "\"hostile\"", "\"host\\ud83dile\"");
                break;
            case AUTH_JSON:
                lone(w, t, "\"source_user\":\"U1@DOM1\"", "\"source_user\":\"U1\\udc00@DOM1\"");
                break;
            case COMMERCE_JSON:
                lone(w, t, "\"samsung\"", "\"sams\\ud83d\"");
                break;
            case GITHUB_ACTIONS:
            case EVENTBRIDGE:
            case DATABRICKS_CLUSTER_EVENTS:
            case PIP_AUDIT:
                lone(w, t, "hostile", "host\\ud83dile");
                break;
            default:
                break;
        }
    }

    /** A JSON string escaping half a surrogate pair: no UTF-8 text can hold it. */
    private static void lone(Writer w, String t, String from, String to) {
        if (!t.contains(from)) {
            throw new IllegalStateException(from);
        }
        w.line("an unpaired surrogate escaped in a string", t.replace(from, to), LF);
    }

    private static void csvStructure(Writer w, InputFormat format, String t) {
        String[] c = t.split(",", -1);
        w.line("8 columns", String.join(",", Arrays.copyOf(c, 8)), LF);
        w.line("10 columns", t + ",x", LF);
        w.line("a leading comma", "," + t, LF);
        w.line("100,000 columns", t + ",x".repeat(DEEP), LF);
        w.line("100,000 commas", ",".repeat(DEEP), LF);
        w.line("a tab-separated record", t.replace(',', '\t'), LF);
        w.line("a semicolon-separated record", t.replace(',', ';'), LF);
        w.line("a JSON object", "{\"time\":1}", LF);
        w.line("the record with a NUL in its time", withColumn(t, 0, c[0] + "\0"), LF);
        w.line("an emoji before the record", "\uD83D\uDE00" + t, LF);
        if (format == InputFormat.REES46) {
            w.line("the header in capitals", "EVENT_TIME,EVENT_TYPE,PRODUCT_ID,CATEGORY_ID,CATEGORY_CODE,BRAND,PRICE,USER_ID,USER_SESSION", LF);
            w.line("the header with a tenth column", io.vigil.parse.Rees46Parser.HEADER + ",extra", LF);
            w.line("an unterminated quote of 100,000 characters", "\"" + "q".repeat(DEEP) + "," + t, LF);
            w.line("text after a closing quote", withColumn(t, 5, "\"sam\"sung"), LF);
            w.line("quoted commas make 8 columns", withColumn(t, 4, "\"a,b\"").replace(",samsung", ""), LF);
        } else {
            w.line("a header line", "time,source_user,destination_user,source_computer,destination_computer,auth_type,logon_type,"
                    + "auth_orientation,success", LF);
            w.line("an unknown orientation", withColumn(t, 7, "LogIn"), LF);
            w.line("an unknown outcome", withColumn(t, 8, "success"), LF);
        }
    }

    /** A record of the format's shape, 10 MB long: one field holds the bulk. */
    private static String tenMegabytes(InputFormat format, String t) {
        String filler = "x".repeat(10 << 20);
        switch (format) {
            case LANL_AUTH:
            case REES46:
                return withColumn(t, 4, filler);
            default:
                return "{\"pad\":\"" + filler + "\"," + t.substring(1);
        }
    }

    /** The template with the value at JSON pointer {@code where} replaced by the raw token. */
    static String withToken(String template, String where, String token) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(template);
            JsonPointer p = JsonPointer.compile(where);
            if (root.at(p).isMissingNode()) {
                throw new IllegalArgumentException("the template has no field " + where);
            }
            ((ObjectNode) root.at(p.head())).put(p.last().getMatchingProperty(), "@@TOKEN@@");
            return JSON.writeValueAsString(root).replace("\"@@TOKEN@@\"", token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSV template with column {@code col} replaced. */
    static String withColumn(String template, int col, String value) {
        String[] c = template.split(",", -1);
        c[col] = value;
        return String.join(",", c);
    }

    /** The template with something after it that no format takes (JSON: trailing tokens; CSV: a tenth column). */
    private static String garbled(String t) {
        return t + ",x";
    }

    private static String fullwidth(String digits) {
        StringBuilder sb = new StringBuilder();
        for (char ch : digits.toCharArray()) {
            sb.append((char) ('\uFF10' + (ch - '0')));
        }
        return sb.toString();
    }

    /** Seeded random bytes; {@code noLf} leaves out LF, so they stay one record. */
    private static byte[] randomBytes(Random rnd, int n, boolean noLf) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        if (noLf) {
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    b[i] = 0;
                }
            }
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Appends records to the file, each with its terminator, and keeps them as the reader yields them. */
    private static final class Writer {
        final Random rnd;
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        final List<Record> records = new ArrayList<>();
        final List<String> controls = new ArrayList<>();

        Writer(Random rnd) {
            this.rnd = rnd;
        }

        void control(String valid) {
            controls.add(valid);
        }

        void line(String what, String text, String terminator) {
            raw(what, text.getBytes(StandardCharsets.UTF_8), terminator);
        }

        /**
         * Appends {@code bytes} and the terminator; the records are what the reader makes of them:
         * one per LF, a CR right before the LF being part of the terminator.
         */
        void raw(String what, byte[] bytes, String terminator) {
            byte[] chunk = concat(bytes, terminator.getBytes(StandardCharsets.US_ASCII));
            file.writeBytes(chunk);
            int start = 0;
            int part = 0;
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                int end = i > start && chunk[i - 1] == '\r' ? i - 1 : i;
                records.add(new Record(part == 0 && i == chunk.length - 1 ? what : what + " #" + part,
                        Arrays.copyOfRange(chunk, start, end)));
                part++;
                start = i + 1;
            }
        }
    }
}
