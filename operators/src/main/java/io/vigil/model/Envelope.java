package io.vigil.model;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The one record type that flows between Vigil's operators: a typed event of one family, or a
 * dead letter, with the source it came from and the event time it counts at. Exactly one of
 * {@code run}, {@code lineage}, {@code metric}, {@code auth}, {@code commerce}, {@code deadLetter}
 * is set.
 * Keeping valid and invalid records in one stream lets rules compute invalid/total per window.
 * Serialized by {@link EnvelopeSerializer}: a field added here must be added there too.
 */
@TypeInfo(EnvelopeTypeInfo.Factory.class)
public class Envelope {
    public String source;
    public Family family;
    /**
     * Event time in epoch ms. For a dead letter with no usable time of its own: the latest valid
     * event time seen on its source (or its arrival time when there is none yet).
     */
    public long eventTime;
    /** Behind its source's out-of-orderness bound when it arrived; kept, and counted. */
    public boolean late;

    public PipelineRunEvent run;
    public MetricSample metric;
    public AuthEvent auth;
    public CommerceEvent commerce;
    public DeadLetter deadLetter;
    /** OpenLineage DatasetEvent/JobEvent (family PIPELINE_RUN, {@code run} null). */
    public LineageEvent lineage;
    /** Quirks of a valid record, counted per source; null when there were none. */
    public ReadNotes notes;
    /**
     * Set only on the summaries that {@code io.vigil.rules.SourceDigest} sends the rule router in
     * place of each record for the source-level rules: no event field is set then.
     */
    public SourceCounts counts;

    public Envelope() {}

    public boolean isValid() {
        return deadLetter == null;
    }

    public static Envelope of(String source, PipelineRunEvent e) {
        Envelope env = base(source, Family.PIPELINE_RUN, e.eventTime);
        env.run = e;
        return env;
    }

    public static Envelope of(String source, LineageEvent e) {
        Envelope env = base(source, Family.PIPELINE_RUN, e.eventTime);
        env.lineage = e;
        return env;
    }

    public static Envelope of(String source, MetricSample e) {
        Envelope env = base(source, Family.METRIC, e.time);
        env.metric = e;
        return env;
    }

    public static Envelope of(String source, AuthEvent e) {
        Envelope env = base(source, Family.AUTH, e.time);
        env.auth = e;
        return env;
    }

    public static Envelope of(String source, CommerceEvent e) {
        Envelope env = base(source, Family.COMMERCE, e.eventTime);
        env.commerce = e;
        return env;
    }

    public static Envelope of(DeadLetter d, long countsAt) {
        Envelope env = base(d.source, d.format.family(), countsAt);
        env.deadLetter = d;
        return env;
    }

    /** A summary of a source's records in one second, for the source-level rules. */
    public static Envelope of(String source, Family family, SourceCounts counts) {
        Envelope env = base(source, family, counts.last);
        env.counts = counts;
        return env;
    }

    private static Envelope base(String source, Family family, long eventTime) {
        Envelope env = new Envelope();
        env.source = source;
        env.family = family;
        env.eventTime = eventTime;
        return env;
    }
}
