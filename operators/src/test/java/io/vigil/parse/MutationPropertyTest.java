package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.testing.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Property: random mutations of valid lines never escape a parser as an exception; each mutant is
 * a valid event or a dead letter that keeps its exact bytes.
 */
class MutationPropertyTest {
    private static final int MUTANTS = 10_000;
    private static final String ALPHABET = ",\"{}[]:\\0123456789-.eE+ aZ?@\t\u00e9\u20ac\uFEFF";

    @ParameterizedTest
    @EnumSource(InputFormat.class)
    void tenThousandMutantsAreEachValidOrDeadLettered(InputFormat format) {
        long seed = 20261121L + format.ordinal();
        Random rnd = new Random(seed);
        RecordDecoder decoder = new RecordDecoder(() -> Instant.parse("2026-11-21T00:00:00Z").toEpochMilli());
        List<String> base = Samples.records(format);
        int valid = 0;
        int dead = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = mutate(base.get(rnd.nextInt(base.size())).getBytes(StandardCharsets.UTF_8), rnd);
            RawRecord raw = RawRecord.of("fuzz", format, mutant, 0L, "mutant:" + i);
            Envelope e = decoder.decode(raw); // must not throw
            if (e == null) {
                // only the REES46 header is not a record
                assertThat(new String(mutant, StandardCharsets.UTF_8).trim()).isEqualTo(Rees46Parser.HEADER);
                continue;
            }
            if (e.isValid()) {
                valid++;
            } else {
                dead++;
                assertThat(e.deadLetter.reason).isNotNull();
                byte[] kept = "base64".equals(e.deadLetter.payloadEncoding)
                        ? Base64.getDecoder().decode(e.deadLetter.payload)
                        : e.deadLetter.payload.getBytes(StandardCharsets.UTF_8);
                assertThat(kept).as("seed %d mutant %d", seed, i).isEqualTo(mutant);
            }
        }
        // the mutations must actually reach both outcomes, or the property says nothing
        assertThat(dead).as("dead-lettered").isGreaterThan(MUTANTS / 10);
        assertThat(valid).as("still valid").isGreaterThan(0);
    }

    static byte[] mutate(byte[] in, Random rnd) {
        StringBuilder s = new StringBuilder(new String(in, StandardCharsets.UTF_8));
        int edits = 1 + rnd.nextInt(4);
        for (int k = 0; k < edits; k++) {
            int op = rnd.nextInt(7);
            int pos = s.length() == 0 ? 0 : rnd.nextInt(s.length());
            switch (op) {
                case 0: // delete a char
                    if (s.length() > 0) {
                        s.deleteCharAt(pos);
                    }
                    break;
                case 1: // insert a char
                    s.insert(pos, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                    break;
                case 2: // replace a char
                    if (s.length() > 0) {
                        s.setCharAt(pos, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                    }
                    break;
                case 3: // truncate
                    s.setLength(pos);
                    break;
                case 4: // duplicate a slice
                    int end = Math.min(s.length(), pos + rnd.nextInt(20));
                    s.insert(pos, s.substring(pos, end));
                    break;
                case 5: // swap a digit run for an extreme number
                    String[] extremes = {"-1", "99999999999999999999999", "1e309", "NaN", "0", "9223372036854775807"};
                    int d = indexOfDigit(s, pos);
                    if (d >= 0) {
                        s.replace(d, d + 1, extremes[rnd.nextInt(extremes.length)]);
                    }
                    break;
                default: // raw byte damage below, after the text edits
                    break;
            }
        }
        byte[] out = s.toString().getBytes(StandardCharsets.UTF_8);
        if (rnd.nextInt(10) == 0 && out.length > 0) {
            out[rnd.nextInt(out.length)] = (byte) (0x80 + rnd.nextInt(128));
        }
        return out;
    }

    private static int indexOfDigit(CharSequence s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
