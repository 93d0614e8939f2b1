package io.vigil.bench;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.parse.RecordDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The harness's input, held in memory: one pass of pre-generated records in arrival order, each
 * with the position of its event-time field, replayed any number of times with event times moved
 * on by whole passes (so windows, deadlines and sequences keep firing and resolving), or stamped
 * with the wall clock for live runs. Records whose time field is unreadable (broken on purpose)
 * are replayed as they are.
 *
 * <p>Sources find the input by id in this JVM ({@link #get}): a local MiniCluster runs them here,
 * and the job graph then carries a name instead of hundreds of megabytes of records.
 */
public final class MemoryInput {
    /** In a template, where the pass number goes (8 hex digits): run ids and incident names stay unique per pass. */
    static final String TAG = "########";
    private static final byte[] TAG_BYTES = TAG.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Map<String, MemoryInput> REGISTERED = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String[] sources;
    private final InputFormat[] formats;
    private final byte[][] payloads;
    /** Arrival (the generator's clock) in pass 0, epoch ms. */
    private final long[] arrivals;
    /** The time written in the record in pass 0, epoch ms (undefined where there is no field). */
    private final long[] times;
    /** Byte offset of the event-time field, or -1 when the record has none that can be read. */
    private final int[] timeOffsets;
    private final TimeText[] timeFields;
    /** Byte offsets of the pass tags of a record, or null. */
    private final int[][] tags;
    /** For latency: {@code rule_id|entity} (with {@link #TAG}) of the alert this record triggers, or null. */
    private final String[] triggers;
    /** Which reader takes the record: the hash of its partition key (see {@link #partitionKey}). */
    private final int[] partitions;
    private final long firstArrival;
    private final long passMs;
    private final long invalid;
    private final Map<String, Long> perSource;
    private final long bytes;
    private final String id;
    /** Live: the wall-clock time index 0 of a live run was due, shared by its readers (0 before). */
    private final AtomicLong liveStartMs = new AtomicLong();

    private MemoryInput(List<Template> sorted, long firstArrival, long passMs) {
        int n = sorted.size();
        sources = new String[n];
        formats = new InputFormat[n];
        payloads = new byte[n][];
        arrivals = new long[n];
        times = new long[n];
        timeOffsets = new int[n];
        timeFields = new TimeText[n];
        tags = new int[n][];
        triggers = new String[n];
        partitions = new int[n];
        perSource = new LinkedHashMap<>();
        RecordDecoder decoder = new RecordDecoder();
        long bad = 0;
        long size = 0;
        Set<TimeText> checked = EnumSet.noneOf(TimeText.class);
        for (int i = 0; i < n; i++) {
            Template t = sorted.get(i);
            if (t.timeField != null && checked.add(t.timeField)
                    && !t.timeField.format(t.time).equals(t.timeField.reference(t.time))) {
                // the hot path writes times without java.time: it must agree with it
                throw new IllegalStateException(t.timeField + " writes " + t.timeField.format(t.time)
                        + " for " + t.timeField.reference(t.time));
            }
            sources[i] = t.source;
            formats[i] = t.format;
            payloads[i] = t.payload;
            arrivals[i] = t.arrival;
            times[i] = t.time;
            timeOffsets[i] = t.timeOffset;
            timeFields[i] = t.timeField;
            tags[i] = t.tags;
            triggers[i] = t.trigger;
            partitions[i] = t.partition;
            perSource.merge(t.source, 1L, Long::sum);
            size += t.payload.length;
            // counted once here, as the job will see pass 0: the share of broken records in the mix
            Envelope e = decoder.decode(RawRecord.of(t.source, t.format, t.payload, t.arrival, "template"));
            if (e != null && !e.isValid()) {
                bad++;
            }
        }
        this.firstArrival = firstArrival;
        this.passMs = passMs;
        this.invalid = bad;
        this.bytes = size;
        this.id = "input-" + IDS.incrementAndGet();
        REGISTERED.put(id, this);
    }

    /** The input registered under {@code id} in this JVM. */
    static MemoryInput get(String id) {
        MemoryInput in = REGISTERED.get(id);
        if (in == null) {
            throw new IllegalStateException("no in-memory input " + id + " in this JVM: the harness runs on a local MiniCluster only");
        }
        return in;
    }

    String id() {
        return id;
    }

    /** Records in one pass. */
    int size() {
        return payloads.length;
    }

    /** Event time one pass covers; pass p is pass 0 moved on by p times this. */
    long passMs() {
        return passMs;
    }

    /**
     * The shift that ends a replay of {@code events} records an hour before {@code nowMs}, passes
     * starting on the hour: event times stay in the past, as the parser requires, and the
     * generators' incident cycles keep their phase.
     */
    long shiftEndingBefore(long events, long nowMs) {
        long passes = (events + size() - 1) / size();
        long start = nowMs - Math.floorMod(nowMs, 3_600_000L) - passes * passMs - 3_600_000L;
        return start - firstArrival;
    }

    /** Whether record {@code index} goes to reader {@code reader} of {@code readers}. */
    boolean readBy(long index, int reader, int readers) {
        return Math.floorMod(partitions[(int) (index % partitions.length)], readers) == reader;
    }

    /**
     * Record {@code index} of a replay: template {@code index % size()} of pass {@code index / size()},
     * its times moved on by {@code shiftMs} plus whole passes.
     */
    RawRecord replayed(long index, long shiftMs) {
        int t = (int) (index % payloads.length);
        long pass = index / payloads.length;
        long delta = shiftMs + pass * passMs;
        byte[] p = render(t, pass, times[t] + delta);
        return new RawRecord(sources[t], formats[t], p, p.length, arrivals[t] + delta, origin(index));
    }

    /** Live: when index 0 is due; the first reader to ask sets it to {@code nowMs}. */
    long liveStart(long nowMs) {
        liveStartMs.compareAndSet(0, nowMs);
        return liveStartMs.get();
    }

    /**
     * Record {@code index} of a live run, due (made by its producer) at {@code dueMs}: stamped with
     * that as event time and arrival, so a reader that falls behind delivers its records late but
     * never out of their order (the wall clock at emission would invert the order of records that
     * two readers emit with a lag between them). A record that triggers an incident's alert notes
     * when it was due: its latency includes any lag of the reader.
     */
    RawRecord live(long index, long dueMs) {
        int t = (int) (index % payloads.length);
        long pass = index / payloads.length;
        byte[] p = render(t, pass, dueMs);
        if (triggers[t] != null) {
            IncidentLog.triggered(triggers[t].replace(TAG, hex(pass)), dueMs);
        }
        return new RawRecord(sources[t], formats[t], p, p.length, dueMs, origin(index));
    }

    private byte[] render(int t, long pass, long time) {
        byte[] p = payloads[t].clone();
        if (timeOffsets[t] >= 0) {
            timeFields[t].write(time, p, timeOffsets[t]);
        }
        if (tags[t] != null) {
            for (int off : tags[t]) {
                for (int k = 7; k >= 0; k--) {
                    p[off + 7 - k] = HEX[(int) (pass >>> (4 * k)) & 0xf];
                }
            }
        }
        return p;
    }

    private static String origin(long index) {
        return "memory:" + index; // real sources name every record's origin too (file:line, shard and sequence)
    }

    static String hex(long pass) {
        return String.format("%08x", pass);
    }

    /** One line describing the mix, for the harness's output. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%,d records per pass of %d min (%.1f MB in memory)", size(), passMs / 60_000,
                bytes / 1e6));
        for (Map.Entry<String, Long> e : perSource.entrySet()) {
            sb.append(String.format(", %s %.1f%%", e.getKey(), 100.0 * e.getValue() / size()));
        }
        sb.append(String.format("; %.2f%% broken", 100.0 * invalid / size()));
        return sb.toString();
    }

    /** A record as generated, before its time field is located. */
    private static final class Template {
        final String source;
        final InputFormat format;
        final long arrival;
        final String trigger;
        int partition;
        byte[] payload;
        long time;
        int timeOffset = -1;
        TimeText timeField;
        int[] tags;

        Template(String source, InputFormat format, long arrival, String trigger) {
            this.source = source;
            this.format = format;
            this.arrival = arrival;
            this.trigger = trigger;
        }
    }

    /** Collects one pass of records in any order; {@link #build} sorts them by arrival. */
    static final class Builder {
        private final List<Template> templates = new ArrayList<>();

        /**
         * Adds a record; its event-time field is found by format and rewritten in the fixed-width
         * form {@link TimeText} writes (ISO times get milliseconds).
         *
         * @param trigger {@code rule_id|entity} of the alert the record triggers (may hold {@link #TAG}), or null
         */
        Builder add(String source, InputFormat format, String text, long arrival, String trigger) {
            Template t = new Template(source, format, arrival, trigger);
            t.partition = partitionKey(format, text, templates.size());
            text = locateTime(t, text);
            t.payload = text.getBytes(StandardCharsets.UTF_8);
            t.tags = tagOffsets(t.payload);
            templates.add(t);
            return this;
        }

        int size() {
            return templates.size();
        }

        MemoryInput build(long firstArrival, long passMs) {
            templates.sort(Comparator.comparingLong(t -> t.arrival)); // stable: equal arrivals keep their order
            return new MemoryInput(templates, firstArrival, passMs);
        }

        /**
         * A run's events share a partition (its run id), as a producer partitioning a stream by run
         * id keeps them: Vigil expects a run's START before its end. A user's logons share one (see
         * below). Other records spread evenly.
         */
        private static int partitionKey(InputFormat format, String text, int sequence) {
            if (format == InputFormat.OPENLINEAGE) {
                String key = "\"runId\":\"";
                int k = text.indexOf(key);
                int end = k < 0 ? -1 : text.indexOf('"', k + key.length());
                if (end > 0) {
                    return text.substring(k + key.length(), end).hashCode();
                }
            }
            if (format == InputFormat.LANL_AUTH) {
                // a user's logons in one partition, in order, as a producer keyed by user puts them
                // on a Kinesis shard: LANL times are whole seconds, so only the order of arrival
                // tells a burst's failures from the success that ends it
                int from = text.indexOf(',');
                int to = from < 0 ? -1 : text.indexOf(',', from + 1);
                if (to > 0) {
                    return text.substring(from + 1, to).hashCode();
                }
            }
            return sequence;
        }

        private static String locateTime(Template t, String text) {
            int start;
            int end;
            TimeText field;
            switch (t.format) {
                case OPENLINEAGE:
                case METRICS:
                    String key = t.format == InputFormat.OPENLINEAGE ? "\"eventTime\":\"" : "\"time\":\"";
                    int k = text.indexOf(key);
                    start = k < 0 ? -1 : k + key.length();
                    end = start < 0 ? -1 : text.indexOf('"', start);
                    field = TimeText.ISO;
                    break;
                case LANL_AUTH:
                    start = 0;
                    end = text.indexOf(',');
                    field = TimeText.EPOCH_SECONDS;
                    break;
                case REES46:
                    start = 0;
                    end = text.startsWith(" UTC", 19) ? 19 : -1;
                    field = TimeText.REES46;
                    break;
                default:
                    throw new IllegalArgumentException("the harness's mix has no " + t.format);
            }
            Long time = end < 0 ? null : field.parse(text.substring(start, end));
            if (time == null) {
                return text; // broken where the time is: replayed as it is, it has no time of its own
            }
            t.time = time;
            t.timeField = field;
            String before = text.substring(0, start);
            t.timeOffset = before.getBytes(StandardCharsets.UTF_8).length;
            return before + field.format(time) + text.substring(end);
        }

        private static int[] tagOffsets(byte[] p) {
            List<Integer> found = new ArrayList<>(2);
            for (int i = 0; i + TAG_BYTES.length <= p.length; i++) {
                int j = 0;
                while (j < TAG_BYTES.length && p[i + j] == TAG_BYTES[j]) {
                    j++;
                }
                if (j == TAG_BYTES.length) {
                    found.add(i);
                    i += TAG_BYTES.length - 1;
                }
            }
            return found.isEmpty() ? null : found.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
