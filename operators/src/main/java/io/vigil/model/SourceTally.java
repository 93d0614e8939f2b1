package io.vigil.model;

/**
 * Counts of one source's records: read, valid, invalid by reason, late, and what was read
 * leniently or left unread in valid records ({@link ReadNotes}).
 */
public class SourceTally {
    public String source;
    public long read;
    public long valid;
    public long invalid;
    public long late;
    /** Valid records whose event time had no offset and was read as UTC. */
    public long zonelessTime;
    /** Known facets of valid records skipped as unreadable (unexpected shape or version). */
    public long unreadableFacets;
    /** Datasets beyond the per-event input/output cap, not read. */
    public long datasetsDropped;
    /** Data-quality assertions beyond the per-dataset cap, not read. */
    public long assertionsDropped;
    /** OpenLineage DatasetEvents and JobEvents (valid, no run). */
    public long lineageEvents;
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
        if (e.lineage != null) {
            lineageEvents++;
        }
        ReadNotes n = e.notes;
        if (n != null) {
            zonelessTime += n.zonelessTime ? 1 : 0;
            unreadableFacets += n.unreadableFacets;
            datasetsDropped += n.datasetsDropped;
            assertionsDropped += n.assertionsDropped;
        }
    }

    public void merge(SourceTally o) {
        read += o.read;
        valid += o.valid;
        invalid += o.invalid;
        late += o.late;
        zonelessTime += o.zonelessTime;
        unreadableFacets += o.unreadableFacets;
        datasetsDropped += o.datasetsDropped;
        assertionsDropped += o.assertionsDropped;
        lineageEvents += o.lineageEvents;
        for (int i = 0; i < invalidByReason.length && i < o.invalidByReason.length; i++) {
            invalidByReason[i] += o.invalidByReason[i];
        }
    }
}
