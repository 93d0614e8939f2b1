package io.vigil.iceberg;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.parse.RecordDecoder;
import io.vigil.testing.Samples;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The shared sample lines of a format decoded into envelopes, as the parse step makes them. */
final class SampleEnvelopes {
    /** The wall clock of the samples' day, so 2026 sample times are not "in the future". */
    static final long NOW = Instant.parse("2026-11-03T00:00:00Z").toEpochMilli();

    private SampleEnvelopes() {}

    static List<Envelope> of(InputFormat format) {
        RecordDecoder decoder = new RecordDecoder(() -> NOW);
        List<Envelope> out = new ArrayList<>();
        for (String line : Samples.records(format)) {
            Envelope e = decoder.decode(Samples.raw(format, line));
            if (e == null || !e.isValid()) {
                throw new IllegalStateException("sample does not decode: " + line + " -> "
                        + (e == null ? null : e.deadLetter.detail));
            }
            out.add(e);
        }
        return out;
    }

    static Envelope decode(InputFormat format, String line) {
        return new RecordDecoder(() -> NOW).decode(Samples.raw(format, line));
    }

    static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }
}
