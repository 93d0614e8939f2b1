package io.vigil.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.ReasonCode;
import io.vigil.model.SourceTally;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineFileSinkTest {
    @TempDir Path dir;

    @Test
    @SuppressWarnings("deprecation")
    void groupedFileIsAssembledInGroupOrderWhateverTheArrivalOrder() throws Exception {
        Path file = dir.resolve("out/dead-letter.jsonl");
        LineFileSink<String> sink = LineFileSink.grouped(file, s -> s, s -> s.substring(0, 1));
        SinkWriter<String> w = sink.createWriter((org.apache.flink.api.connector.sink2.Sink.InitContext) null);
        for (String s : List.of("b1", "a1", "c1", "b2", "a2")) {
            w.write(s, null);
        }
        w.flush(false);
        assertThat(file).doesNotExist(); // assembled only at end of input
        w.flush(true);
        w.close();
        assertThat(Files.readAllLines(file)).containsExactly("a1", "a2", "b1", "b2", "c1");
        assertThat(dir.resolve("out")).isDirectoryContaining(p -> p.equals(file));
        try (var s = Files.list(dir.resolve("out"))) {
            assertThat(s.count()).as("spool removed").isEqualTo(1);
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void appendingFileIsReadableAfterEachCheckpointFlush() throws Exception {
        Path file = dir.resolve("live.jsonl");
        SinkWriter<String> w = LineFileSink.<String>appending(file, s -> s.toUpperCase())
                .createWriter((org.apache.flink.api.connector.sink2.Sink.InitContext) null);
        w.write("x", null);
        w.flush(false);
        assertThat(Files.readAllLines(file)).containsExactly("X");
        w.write("y", null);
        w.close();
        assertThat(Files.readAllLines(file)).containsExactly("X", "Y");
    }

    @Test
    @SuppressWarnings("deprecation")
    void aRotatingFileStaysUnderItsByteCapKeepsNRotatedFilesAndCountsTheDeletedOnes() throws Exception {
        Path file = dir.resolve("dead-letter.jsonl");
        String line = "x".repeat(99); // 100 bytes with the line separator on Unix
        int lineBytes = (line + System.lineSeparator()).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        SinkWriter<String> w = LineFileSink.<String>rotating(file, s -> s, 3L * lineBytes, 2)
                .createWriter((org.apache.flink.api.connector.sink2.Sink.InitContext) null);
        for (int i = 0; i < 14; i++) {
            w.write(i + line.substring(String.valueOf(i).length()), null);
        }
        w.close();
        // 14 lines, 3 a file: 0-2, 3-5, 6-8 (deleted), 9-11 in .1 and .2 ... newest last
        assertThat(Files.size(file)).isLessThanOrEqualTo(3L * lineBytes);
        assertThat(Files.readAllLines(file)).extracting(l -> l.replaceAll("x+$", "")).containsExactly("12", "13");
        assertThat(Files.readAllLines(dir.resolve("dead-letter.jsonl.1"))).extracting(l -> l.replaceAll("x+$", ""))
                .containsExactly("9", "10", "11");
        assertThat(Files.readAllLines(dir.resolve("dead-letter.jsonl.2"))).extracting(l -> l.replaceAll("x+$", ""))
                .containsExactly("6", "7", "8");
        assertThat(dir.resolve("dead-letter.jsonl.3")).doesNotExist();
        try (var s = Files.list(dir)) {
            assertThat(s.count()).as("the file and 2 rotated ones").isEqualTo(3);
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void aRotatingFileAppendsAfterARestartAndALineLongerThanTheCapGetsAFileOfItsOwn() throws Exception {
        Path file = dir.resolve("dl.jsonl");
        Files.writeString(file, "old" + System.lineSeparator());
        SinkWriter<String> w = LineFileSink.<String>rotating(file, s -> s, 50, 4)
                .createWriter((org.apache.flink.api.connector.sink2.Sink.InitContext) null);
        w.write("y".repeat(200), null);
        w.write("z", null);
        w.close();
        assertThat(Files.readAllLines(dir.resolve("dl.jsonl.2"))).containsExactly("old");
        assertThat(Files.readAllLines(dir.resolve("dl.jsonl.1"))).containsExactly("y".repeat(200));
        assertThat(Files.readAllLines(file)).containsExactly("z");
    }

    @Test
    void summaryListsEverySourceWithReasonsAndTotals() throws Exception {
        SourceTally a = new SourceTally("auth");
        a.read = 10;
        a.valid = 7;
        a.invalid = 3;
        a.late = 1;
        a.invalidByReason[ReasonCode.MALFORMED_CSV.ordinal()] = 2;
        a.invalidByReason[ReasonCode.BAD_TIMESTAMP.ordinal()] = 1;
        Map<String, SourceTally> m = new TreeMap<>();
        m.put("auth", a);
        m.put("empty", new SourceTally("empty"));
        String json = SummaryFileSink.render(m);
        assertThat(json).contains("\"auth\" : {", "\"MALFORMED_CSV\" : 2", "\"BAD_TIMESTAMP\" : 1", "\"empty\" : {");
        assertThat(json).contains("\"total\" : {\n    \"read\" : 10,\n    \"valid\" : 7,\n    \"invalid\" : 3");
    }
}
