package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.model.ReasonCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Reads the published samples under {@code <format>/real/} and decodes records for the event-format tests. */
final class RealSamples {
    static final long NOW = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    private RealSamples() {}

    static RecordDecoder decoder() {
        return new RecordDecoder(() -> NOW);
    }

    static List<String> lines(String resource) {
        try (InputStream in = RealSamples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(all.split("\n")).filter(l -> !l.isBlank()).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of the resource decoded, each asserted valid. */
    static List<Envelope> valid(InputFormat f, String resource) {
        RecordDecoder d = decoder();
        List<Envelope> out = new ArrayList<>();
        for (String line : lines(resource)) {
            Envelope e = d.decode(replayed(f, line));
            assertThat(e.deadLetter).as("%s: %s", resource, e.deadLetter == null ? "" : e.deadLetter.detail).isNull();
            out.add(e);
        }
        return out;
    }

    static RawRecord replayed(InputFormat f, String text) {
        return RawRecord.of("s", f, text.getBytes(StandardCharsets.UTF_8), RawRecord.NO_RECEIVE_TIME, "test");
    }

    static Envelope decode(InputFormat f, String text) {
        return decoder().decode(replayed(f, text));
    }

    static void assertDeadLetter(InputFormat f, String text, ReasonCode reason, String detailPart) {
        Envelope e = decode(f, text);
        assertThat(e.deadLetter).as("accepted: %s", text).isNotNull();
        assertThat(e.deadLetter.reason).as(e.deadLetter.detail).isEqualTo(reason);
        assertThat(e.deadLetter.detail).contains(detailPart);
        assertThat(e.deadLetter.payload).isEqualTo(text);
    }
}
