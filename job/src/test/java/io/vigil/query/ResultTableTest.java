package io.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static String print(ResultTable t) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        t.print(new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void alignsColumnsNumbersRightWithARowCount() {
        ResultTable t = new ResultTable(List.of("job_name", "runs", "failure_rate"), new boolean[] {false, true, true});
        t.add("analytics.load_loans", 4L, 0.25);
        t.add("x", 12L, null);
        assertThat(print(t)).isEqualTo(String.join("\n",
                "job_name             | runs | failure_rate",
                "---------------------+------+-------------",
                "analytics.load_loans |    4 |         0.25",
                "x                    |   12 |         NULL",
                "2 rows", ""));
    }

    @Test
    void oneRowAndNoRows() {
        ResultTable one = new ResultTable(List.of("n"), new boolean[] {true});
        one.add(1L);
        assertThat(print(one)).endsWith("\n1 row\n");
        assertThat(print(new ResultTable(List.of("a", "b"), new boolean[2]))).isEqualTo("a | b\n--+--\n0 rows\n");
    }

    @Test
    void multiLineCellsTakeSeveralLines() {
        ResultTable t = new ResultTable(List.of("plan", "n"), new boolean[] {false, true});
        t.add("Sort\n  Scan", 1);
        assertThat(print(t)).isEqualTo("plan   | n\n-------+--\nSort   | 1\n  Scan |\n1 row\n");
    }

    @Test
    void valuesPrintReadably() {
        assertThat(ResultTable.cell(LocalDateTime.of(2026, 11, 2, 10, 0))).isEqualTo("2026-11-02 10:00:00");
        assertThat(ResultTable.cell(LocalDateTime.of(2026, 11, 2, 10, 0, 0, 123_000_000)))
                .isEqualTo("2026-11-02 10:00:00.123");
        assertThat(ResultTable.cell(LocalDateTime.of(2026, 11, 2, 10, 0, 0, 123_456_000)))
                .isEqualTo("2026-11-02 10:00:00.123456");
        assertThat(ResultTable.cell(Instant.parse("2026-11-02T10:00:00Z"))).isEqualTo("2026-11-02 10:00:00Z");
        assertThat(ResultTable.cell(LocalDate.of(2026, 11, 2))).isEqualTo("2026-11-02");
        assertThat(ResultTable.cell(1.0E-4)).isEqualTo("0.0001");
        assertThat(ResultTable.cell(1.5)).isEqualTo("1.5");
        assertThat(ResultTable.cell(Double.NaN)).isEqualTo("NaN");
        assertThat(ResultTable.cell(new BigDecimal("7.500000"))).isEqualTo("7.500000");
        assertThat(ResultTable.cell(new byte[] {1, (byte) 0xab})).isEqualTo("0x01ab");
        assertThat(ResultTable.cell(Map.of("b", "2", "a", "1"))).isEqualTo("{a=1, b=2}");
        assertThat(ResultTable.cell(new String[] {"x", null})).isEqualTo("[x, NULL]");
        assertThat(ResultTable.cell(Row.of(1, "a"))).isEqualTo("(1, a)");
        assertThat(ResultTable.cell(null)).isEqualTo("NULL");
    }
}
