package io.vigil.model;

/**
 * What a parser read leniently or left unread in a valid record: counted per source in the
 * summary and the metrics, so tolerance of producers' quirks never goes unseen.
 */
public class ReadNotes {
    /** The event time had no offset and was read as UTC. */
    public boolean zonelessTime;
    /** Known facets whose shape was not understood and were skipped (e.g. a newer version). */
    public int unreadableFacets;
    /** Datasets beyond the per-event cap of inputs or outputs, not read. */
    public int datasetsDropped;
    /** Assertions beyond the per-dataset cap, not read. */
    public int assertionsDropped;
    /** The first unreadable facet: its path and why, clipped; null when none. */
    public String unreadableDetail;

    public ReadNotes() {}

    public boolean isEmpty() {
        return !zonelessTime && unreadableFacets == 0 && datasetsDropped == 0 && assertionsDropped == 0;
    }
}
