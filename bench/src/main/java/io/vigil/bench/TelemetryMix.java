package io.vigil.bench;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import io.vigil.source.SyntheticTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The harness's input mix, one pass of it: the project's own generators ({@link SyntheticTelemetry})
 * for the background of the four families at the rates of the local default run (OpenLineage runs
 * 4/s with 1 % failed runs and a job failing a few runs in a row every 15 minutes, metric samples
 * 10/s with a PAR_90 spike every 5 minutes, LANL logons 300/s with 3 % failures, REES46 commerce
 * 150/s), plus incidents at known offsets in each hour of event time, so that every kind of
 * default rule has something to fire on and resolve:
 *
 * <ul>
 *   <li>a brute-force burst every minute (six failed logons of a new user, then a successful one);
 *   <li>at 20 min, one user logs on to 25 computers in 100 s (auth_user_fanout);
 *   <li>at 35 min, 150 unreadable auth lines (auth_invalid_records);
 *   <li>from 45:00 to 45:35, every commerce record has an unknown event type (ecommerce_invalid_events);
 *   <li>from 50 to 56 min, no commerce record at all (source_stale);
 *   <li>every 5 minutes, a new job fails three runs in a row, then succeeds (job_consecutive_failures);
 *   <li>every 5 minutes, a new portfolio's PAR_90 past critical for a minute (kpi_par_90);
 *   <li>a run of 16 minutes (job_run_duration), Kinesis iterator age past its warning from 25 to
 *       30 min (kinesis_iterator_age), RDR_90 past critical at 40 min (kpi_rdr_90).
 * </ul>
 *
 * <p>About 0.5 % of the records are broken (cut off, junk fields, unknown values), most in the
 * two bursts. A pass shorter than an hour keeps the incidents that fall inside it.
 */
final class TelemetryMix {
    /** Pass 0 starts here (a Monday, hour-aligned, so the generators' incident cycles line up). */
    static final long T0 = Instant.parse("2020-01-06T00:00:00Z").toEpochMilli();
    /** Records per second of event time, per family: those of conf/local.yaml. */
    static final double PIPELINES_PER_S = 4;
    static final double METRICS_PER_S = 10;
    static final double AUTH_PER_S = 300;
    static final double COMMERCE_PER_S = 150;
    static final double TOTAL_PER_S = PIPELINES_PER_S + METRICS_PER_S + AUTH_PER_S + COMMERCE_PER_S;

    private static final long S = 1000;
    private static final long MIN = 60 * S;
    private static final long SEED = 8;

    private final long passMs;
    private final MemoryInput.Builder out = new MemoryInput.Builder();

    private TelemetryMix(long passMs) {
        this.passMs = passMs;
    }

    /**
     * One pass of {@code passMs} of event time (whole minutes; about {@link #TOTAL_PER_S} records
     * per second of it).
     */
    static MemoryInput pass(long passMs) throws Exception {
        if (passMs < MIN || passMs % MIN != 0) {
            throw new IllegalArgumentException("a pass is a whole number of minutes");
        }
        TelemetryMix mix = new TelemetryMix(passMs);
        mix.background();
        mix.incidents();
        return mix.out.build(T0, passMs);
    }

    /** The shortest pass (whole minutes, at most an hour) that holds about {@code events} records. */
    static long passFor(long events) {
        long minutes = (long) Math.ceil(events / TOTAL_PER_S / 60);
        return Math.max(1, Math.min(60, minutes)) * MIN;
    }

    private void background() throws Exception {
        generate("pipelines", InputFormat.OPENLINEAGE, PIPELINES_PER_S, 0.005, true);
        generate("metrics", InputFormat.METRICS, METRICS_PER_S, 0.005, true);
        generate("auth", InputFormat.LANL_AUTH, AUTH_PER_S, 0.0003, false);
        // the generator's own commerce incident breaks 70 % of a minute in ten: far above the mix's
        // 0.5 %; the outage below breaks a shorter stretch
        generate("commerce", InputFormat.REES46, COMMERCE_PER_S, 0.002, false);
    }

    private void generate(String source, InputFormat format, double perSecond, double badRatio, boolean incidents)
            throws Exception {
        long[] now = new long[1];
        LongSupplier clock = () -> now[0];
        SyntheticTelemetry gen = new SyntheticTelemetry(source, format, badRatio, SEED, clock, incidents);
        long count = (long) (passMs / 1000.0 * perSecond);
        if (format == InputFormat.OPENLINEAGE) {
            count -= count % 2; // a run is a START and its end: none left open across passes
        }
        for (long k = 0; k < count; k++) {
            long offset = (long) (k * 1000 / perSecond);
            now[0] = T0 + offset;
            RawRecord r = gen.map(k);
            String text = new String(r.payload, StandardCharsets.UTF_8);
            if (format == InputFormat.REES46) {
                if (offset >= 50 * MIN && offset < 56 * MIN) {
                    continue; // the commerce source is silent
                }
                if (offset >= 45 * MIN && offset < 45 * MIN + 35 * S) {
                    text = unknownEventType(text);
                }
            }
            if (format == InputFormat.OPENLINEAGE) {
                text = taggedRunId(text);
            }
            out.add(source, format, text, now[0], null);
        }
    }

    /** A REES46 line whose event type is one the schema does not have: refused, at its own time. */
    private static String unknownEventType(String line) {
        int first = line.indexOf(',');
        int second = first < 0 ? -1 : line.indexOf(',', first + 1);
        return second < 0 ? line : line.substring(0, first + 1) + "refund" + line.substring(second);
    }

    /** The run id with its first group replaced by the pass tag: each pass has runs of its own. */
    private static String taggedRunId(String json) {
        String key = "\"runId\":\"";
        int k = json.indexOf(key);
        if (k < 0 || json.length() < k + key.length() + 8) {
            return json;
        }
        int at = k + key.length();
        return json.substring(0, at) + MemoryInput.TAG + json.substring(at + 8);
    }

    private void incidents() {
        for (long m = 0; at(m * MIN + 35 * S); m++) {
            bruteForce(m);
        }
        if (at(20 * MIN + 100 * S)) {
            for (int k = 0; k < 25; k++) {
                auth(20 * MIN + k * 4 * S, "F" + MemoryInput.TAG, "C9999", "C" + (7000 + k), "Success", null);
            }
        }
        if (at(35 * MIN + 30 * S)) {
            for (int k = 0; k < 150; k++) {
                long t = 35 * MIN + k * 200;
                out.add("auth", InputFormat.LANL_AUTH, "garbage from a broken collector " + k, T0 + t, null);
            }
        }
        for (long m = 2; at(m * MIN + 5 * MIN); m += 5) {
            failingJob(m);
        }
        for (long m = 3; at(m * MIN + MIN); m += 5) {
            String series = "spike" + MemoryInput.TAG + "n" + m;
            String trigger = "kpi_par_90|metric par_90_pct{portfolio=" + series + "}";
            metric(m * MIN, "par_90_pct", 5.5, "portfolio", series, trigger);
            metric(m * MIN + MIN, "par_90_pct", 2.5, "portfolio", series, null);
        }
        if (at(16 * MIN + 20 * S)) {
            String job = "nightly_" + MemoryInput.TAG;
            run(10 * S, "START", job, "long", null);
            run(16 * MIN + 10 * S, "COMPLETE", job, "long", null);
        }
        for (long t = 5 * S; at(t); t += 10 * S) {
            boolean lagging = t >= 25 * MIN && t < 30 * MIN;
            metric(t, "kinesis_iterator_age_ms", lagging ? 400_000 : 1000 + (t / S % 5) * 500, "stream", "auth", null);
        }
        for (long t = 7 * S; at(t); t += MIN) {
            boolean recovering = t >= 40 * MIN && t < 41 * MIN;
            metric(t, "rdr_90_pct", recovering ? 20 : 60, "portfolio", "abaco", null);
            metric(t + 20 * S, "portfolio_health", 7, "portfolio", "abaco", null);
        }
    }

    /** Whether an incident that ends {@code offset} into the pass fits in it. */
    private boolean at(long offset) {
        return offset < passMs;
    }

    /** A new user's password guessed six times from one computer, then a successful logon. */
    private void bruteForce(long minute) {
        String user = "B" + MemoryInput.TAG + "n" + minute;
        String from = "C" + (9000 + minute % 100);
        String to = "C" + (500 + minute % 50);
        for (int k = 0; k < 6; k++) {
            auth(minute * MIN + k * 5 * S, user, from, to, "Fail", null);
        }
        auth(minute * MIN + 35 * S, user, from, to, "Success",
                "auth_bruteforce|destination user " + user + "@DOM1 from " + from);
    }

    /** A new job that fails three runs in a row, then succeeds. */
    private void failingJob(long minute) {
        String job = "incident_" + MemoryInput.TAG + "_" + minute;
        long t0 = minute * MIN;
        for (int k = 0; k < 3; k++) {
            run(t0 + k * 20 * S, "START", job, "r" + k, null);
            run(t0 + k * 20 * S + 10 * S, "FAIL", job, "r" + k, k == 2 ? "job_consecutive_failures|job bench/" + job : null);
        }
        run(t0 + 4 * MIN, "START", job, "r3", null);
        run(t0 + 4 * MIN + 10 * S, "COMPLETE", job, "r3", null);
    }

    private void auth(long offset, String user, String from, String to, String outcome, String trigger) {
        String line = TimeText.EPOCH_SECONDS.format(T0 + offset) + "," + user + "@DOM1," + user + "@DOM1," + from + ","
                + to + ",NTLM,Network,LogOn," + outcome;
        out.add("auth", InputFormat.LANL_AUTH, line, T0 + offset, trigger);
    }

    private void run(long offset, String type, String job, String run, String trigger) {
        // the run id's first group is the pass tag, the rest names the run within the job
        String runId = MemoryInput.TAG + "-0000-7000-8000-" + String.format("%012x", (job + run).hashCode() & 0xffffffffL);
        String json = "{\"eventType\":\"" + type + "\",\"eventTime\":\"" + TimeText.ISO.format(T0 + offset)
                + "\",\"run\":{\"runId\":\"" + runId + "\"},\"job\":{\"namespace\":\"bench\",\"name\":\"" + job
                + "\"},\"inputs\":[],\"outputs\":[]}";
        out.add("pipelines", InputFormat.OPENLINEAGE, json, T0 + offset, trigger);
    }

    private void metric(long offset, String name, double value, String label, String labelValue, String trigger) {
        String json = "{\"name\":\"" + name + "\",\"value\":" + value + ",\"time\":\"" + TimeText.ISO.format(T0 + offset)
                + "\",\"labels\":{\"" + label + "\":\"" + labelValue + "\"}}";
        out.add("metrics", InputFormat.METRICS, json, T0 + offset, trigger);
    }
}
