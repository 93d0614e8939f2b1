package io.vigil.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.local.LocalDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineRecordFormatTest {
    @TempDir Path dir;

    private List<RawRecord> read(byte[] content) throws Exception {
        Path f = dir.resolve("in.txt");
        Files.write(f, content);
        LineRecordFormat format = new LineRecordFormat("src", InputFormat.LANL_AUTH, "in.txt");
        List<RawRecord> out = new ArrayList<>();
        try (StreamFormat.Reader<RawRecord> r =
                format.createReader(new Configuration(), new LocalDataInputStream(new File(f.toString())))) {
            for (RawRecord rec = r.read(); rec != null; rec = r.read()) {
                out.add(rec);
            }
        }
        return out;
    }

    private static String text(RawRecord r) {
        return new String(r.payload, StandardCharsets.UTF_8);
    }

    @Test
    void splitsOnLfAndCrlfAndNumbersLines() throws Exception {
        List<RawRecord> recs = read("a\r\nb\n\nc".getBytes(StandardCharsets.UTF_8));
        assertThat(recs).extracting(LineRecordFormatTest::text).containsExactly("a", "b", "", "c");
        assertThat(recs).extracting(r -> r.origin).containsExactly("in.txt:1", "in.txt:2", "in.txt:3", "in.txt:4");
        assertThat(recs).allSatisfy(r -> {
            assertThat(r.receivedAt).isEqualTo(RawRecord.NO_RECEIVE_TIME);
            assertThat(r.source).isEqualTo("src");
            assertThat(r.truncated()).isFalse();
        });
    }

    @Test
    void aFinalNewlineDoesNotMakeAnEmptyRecord() throws Exception {
        assertThat(read("a\nb\n".getBytes(StandardCharsets.UTF_8))).hasSize(2);
        assertThat(read(new byte[0])).isEmpty();
    }

    @Test
    void overlongLinesAreCutAtTheLimitButKeepTheirSizeAndTheNextLineSurvives() throws Exception {
        byte[] big = new byte[RawRecord.MAX_PAYLOAD_BYTES * 3 + 5];
        Arrays.fill(big, (byte) 'x');
        byte[] content = new byte[big.length + 4];
        System.arraycopy(big, 0, content, 0, big.length);
        content[big.length] = '\n';
        content[big.length + 1] = 'o';
        content[big.length + 2] = 'k';
        content[big.length + 3] = '\n';
        List<RawRecord> recs = read(content);
        assertThat(recs).hasSize(2);
        assertThat(recs.get(0).payload).hasSize(RawRecord.MAX_PAYLOAD_BYTES);
        assertThat(recs.get(0).size).isEqualTo(big.length);
        assertThat(recs.get(0).truncated()).isTrue();
        assertThat(text(recs.get(1))).isEqualTo("ok");
    }

    @Test
    void theCrOfAnOverlongCrlfLineIsNotCountedInItsSize() throws Exception {
        int max = RawRecord.MAX_PAYLOAD_BYTES;
        byte[] content = new byte[(max + 10) + 2 + max + 2];
        Arrays.fill(content, (byte) 'x');
        content[max + 10] = '\r';
        content[max + 11] = '\n';
        content[content.length - 2] = '\r'; // a line of exactly the limit, then CRLF: whole, not truncated
        content[content.length - 1] = '\n';
        List<RawRecord> recs = read(content);
        assertThat(recs).hasSize(2);
        assertThat(recs.get(0).size).isEqualTo(max + 10);
        assertThat(recs.get(0).truncated()).isTrue();
        assertThat(recs.get(1).size).isEqualTo(max);
        assertThat(recs.get(1).payload).hasSize(max).doesNotContain((byte) '\r');
        assertThat(recs.get(1).truncated()).isFalse();
    }

    @Test
    void bytesArePassedThroughUndecoded() throws Exception {
        byte[] bad = {'a', (byte) 0xC3, (byte) 0x28, '\n'};
        assertThat(read(bad).get(0).payload).containsExactly('a', (byte) 0xC3, (byte) 0x28);
    }
}
