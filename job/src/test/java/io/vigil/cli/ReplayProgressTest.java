package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayProgressTest {
    @TempDir Path dir;

    @Test
    void aSmallInputIsMeasuredExactly() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Files.writeString(a, "{\"x\":1}\n{\"x\":22}\n{\"x\":333}\n", StandardCharsets.UTF_8);
        Files.writeString(b, "one\ntwo without terminator", StandardCharsets.UTF_8);
        ReplayProgress.InputSize size = ReplayProgress.InputSize.of(List.of(a, b));
        assertThat(size.bytes).isEqualTo(Files.size(a) + Files.size(b));
        assertThat(size.records()).isEqualTo(5.0);
    }

    @Test
    void aLargeInputIsEstimatedFromItsFirstLines() throws Exception {
        Path a = dir.resolve("big.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append("{\"seq\":").append(i % 10).append(",\"pad\":\"abcdefgh\"}\n"); // lines of one length
        }
        Files.writeString(a, sb, StandardCharsets.UTF_8);
        assertThat(Files.size(a)).isGreaterThan(1 << 20); // past the sample
        assertThat(ReplayProgress.InputSize.of(List.of(a)).records()).isCloseTo(200_000.0,
                org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void theLineSaysRecordsShareAndRate() {
        ReplayProgress.InputSize input = new ReplayProgress.InputSize(310_200_000, 1_500_000);
        assertThat(ReplayProgress.line(750_000, 200_000, 5.0, 20.4, input))
                .isEqualTo("replay: 20 s, 750,000 records read (~50% of 310.2 MB), 40,000 records/s");
        // the estimate may fall short of the real count: never more than 99% before the end
        assertThat(ReplayProgress.line(1_600_000, 0, 5.0, 60, input)).contains("(~99% of 310.2 MB)");
    }
}
