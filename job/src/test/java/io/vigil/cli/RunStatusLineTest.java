package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status line of {@code vigil run}: rates per input from two readings of the counters. */
class RunStatusLineTest {
    private static Map<String, Map<String, Long>> board(long read, long invalid) {
        return Map.of("auth", Map.of(StatusBoard.READ, read, StatusBoard.INVALID, invalid, StatusBoard.LATE, 0L));
    }

    @Test
    void ratesAreTheReadingsDifferenceOverTheInterval() {
        Map<String, Long> last = new HashMap<>();
        RunCommand.statusLine(board(1_000, 2), last, 5);
        String line = RunCommand.statusLine(board(2_500, 4), last, 5);
        assertThat(line).contains("auth 300/s inv 4 late 0").contains("total 300/s, 2500 read, 4 invalid (0.16%)");
    }

    @Test
    void aRestartedTaskCountingFromZeroGivesNoNegativeRate() {
        Map<String, Long> last = new HashMap<>();
        RunCommand.statusLine(board(6_000, 20), last, 5);
        String line = RunCommand.statusLine(board(500, 1), last, 5);
        assertThat(line).contains("auth 100/s").doesNotContain("-");
    }
}
