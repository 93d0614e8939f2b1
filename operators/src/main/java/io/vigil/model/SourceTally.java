package io.vigil.model;

/** Counts of one source's records: read, valid, invalid by reason, late. */
public class SourceTally {
    public String source;
    public long read;
    public long valid;
    public long invalid;
    public long late;
    /** Indexed by {@link ReasonCode#ordinal()}; keep ReasonCode append-only for saved state. */
    public long[] invalidByReason = new long[ReasonCode.values().length];

    public SourceTally() {}

    public SourceTally(String source) {
        this.source = source;
    }

    public void add(Envelope e) {
        read++;
        if (e.isValid()) {
            valid++;
        } else {
            invalid++;
            invalidByReason[e.deadLetter.reason.ordinal()]++;
        }
        if (e.late) {
            late++;
        }
    }

    public void merge(SourceTally o) {
        read += o.read;
        valid += o.valid;
        invalid += o.invalid;
        late += o.late;
        for (int i = 0; i < invalidByReason.length && i < o.invalidByReason.length; i++) {
            invalidByReason[i] += o.invalidByReason[i];
        }
    }
}
