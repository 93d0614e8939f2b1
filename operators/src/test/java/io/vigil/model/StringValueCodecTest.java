package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class StringValueCodecTest {
    /**
     * Written by the codec and by Flink, byte for byte alike, then read back by one codec in a row:
     * each string as {@link StringValue} reads it.
     */
    private static void assertReadsBack(List<String> strings) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        DataOutputSerializer flinkOut = new DataOutputSerializer(256);
        StringValueCodec codec = new StringValueCodec();
        for (String s : strings) {
            codec.write(s, out);
            StringValue.writeString(s, flinkOut);
        }
        assertThat(out.getCopyOfBuffer()).isEqualTo(flinkOut.getCopyOfBuffer());
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        DataInputDeserializer flink = new DataInputDeserializer(out.getCopyOfBuffer());
        for (String s : strings) {
            String read = codec.read(in);
            assertThat(read).isEqualTo(s).isEqualTo(StringValue.readString(flink));
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void readsNullEmptyAndPlainStrings() throws IOException {
        assertReadsBack(java.util.Arrays.asList(null, "", "C586", "U66@DOM1", null, "NTLM"));
    }

    @Test
    void readsLatin1WideCharsAndSurrogatesAtAnyPlace() throws IOException {
        assertReadsBack(List.of("é", "caféé", "ümlaut at start", "中文 brand", "emoji 😀 in the middle", "\u0080\u00ff\u0100",
                "\uffff", "ascii then wide: abc\u4e2d"));
    }

    @Test
    void readsLongStringsPastItsBuffersAndBackAgain() throws IOException {
        // lengths of several bytes; a long string, then short ones that reuse the grown buffers
        assertReadsBack(List.of("x".repeat(127), "y".repeat(128), "z".repeat(200), "a".repeat(5_000) + "é",
                "é" + "b".repeat(70_000), "short", "w".repeat(4_096), "v".repeat(4_097), "é".repeat(300), "end"));
    }

    @Test
    void agreesWithFlinkOnRandomStrings() throws IOException {
        Random random = new Random(42);
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            int len = random.nextInt(10) == 0 ? random.nextInt(6_000) : random.nextInt(40);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < len; j++) {
                int kind = random.nextInt(20);
                b.append(kind == 0 ? (char) random.nextInt(0x10000) : kind == 1 ? (char) (0x80 + random.nextInt(0x80))
                        : (char) (0x20 + random.nextInt(0x5f)));
            }
            strings.add(random.nextInt(50) == 0 ? null : b.toString());
        }
        assertReadsBack(strings);
    }
}
