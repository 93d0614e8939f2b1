package io.vigil.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Produces realistic records of one format, as its real producers would write them: pipeline runs
 * that start and finish (now and then failing or failing a data-quality check), KPI samples,
 * LANL-style logons with background failures, and a REES46-style shopping funnel. A small share
 * is broken or late on purpose so dead-letter and lateness handling are always exercised. The
 * record for an index is fixed (bar its timestamps), so a restore regenerates the same content.
 */
public class SyntheticTelemetry implements GeneratorFunction<Long, RawRecord> {
    private static final long serialVersionUID = 1L;

    private static final String[] JOBS = {
        "loans_daily.extract", "loans_daily.transform", "loans_daily.publish", "payments.stg_payments",
        "payments.fct_settlements", "stock_ticks.enrich", "stock_ticks.aggregate_1m", "potato.harvest_ingest",
        "potato.quality_scores", "risk.par_snapshot", "risk.collection_rates", "ecommerce.sessionize"
    };
    private static final String[] BRANDS = {"apple", "samsung", "xiaomi", "huawei", "lenovo", "", "bosch", "shiseido"};
    private static final String[] CATEGORIES = {
        "electronics.smartphone", "computers.notebook", "appliances.kitchen.washer", "",
        "furniture.living_room.sofa", "electronics.audio.headphone"
    };
    private static final String[] PORTFOLIOS = {"abaco", "norte", "sme"};
    private static final DateTimeFormatter REES46 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final InputFormat format;
    private final double badRatio;
    private final long seed;
    private final LongSupplier clock;
    /** Inject incidents on wall-clock cycles (see {@link #INCIDENT_CYCLE_MS}, {@link #BURST_CYCLE_MS}). */
    private final boolean incidents;

    /** A PAR_90 spike in minute 2 of every five. */
    public static final long INCIDENT_CYCLE_MS = 5 * 60_000;
    /**
     * A commerce bad-record burst in minute 4 of every ten: longer than the 5-minute window of the
     * invalid-rate rule, so its alert resolves before the next burst.
     */
    public static final long BURST_CYCLE_MS = 10 * 60_000;
    /** A failing job in minute 7 of every fifteen. */
    public static final long FAILING_JOB_CYCLE_MS = 15 * 60_000;

    public SyntheticTelemetry(String source, InputFormat format, double badRatio, long seed, LongSupplier clock) {
        this(source, format, badRatio, seed, clock, false);
    }

    public SyntheticTelemetry(String source, InputFormat format, double badRatio, long seed, LongSupplier clock,
            boolean incidents) {
        this.source = source;
        this.format = format;
        this.badRatio = badRatio;
        this.seed = seed;
        this.clock = clock;
        this.incidents = incidents;
    }

    /** Minute of an incident cycle at a time. */
    static int cycleMinute(long timeMs, long cycleMs) {
        return (int) (Math.floorMod(timeMs, cycleMs) / 60_000);
    }

    @Override
    public RawRecord map(Long index) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        long now = clock.getAsLong();
        // most events a little out of order; one in a thousand minutes late
        long eventTime = rnd.nextInt(1000) == 0 ? now - 120_000 - rnd.nextInt(60_000) : now - rnd.nextInt(3_000);
        String text = render(index, rnd, eventTime);
        boolean burst = incidents && cycleMinute(now, BURST_CYCLE_MS) == 3 && family() == io.vigil.model.Family.COMMERCE;
        if (rnd.nextDouble() < (burst ? 0.7 : badRatio)) {
            text = breakRecord(text, rnd);
        }
        return RawRecord.of(source, format, text.getBytes(StandardCharsets.UTF_8), now, "generator:" + index);
    }

    /** The formats this generator can write; the event formats of outside producers it cannot. */
    public static boolean supports(InputFormat format) {
        switch (format) {
            case OPENLINEAGE:
            case METRICS:
            case LANL_AUTH:
            case AUTH_JSON:
            case REES46:
            case COMMERCE_JSON:
                return true;
            default:
                return false;
        }
    }

    private io.vigil.model.Family family() {
        return format.family();
    }

    String render(long index, SplittableRandom rnd, long eventTime) throws Exception {
        switch (format) {
            case OPENLINEAGE:
                return runEvent(index, rnd, eventTime);
            case METRICS:
                return metric(rnd, eventTime);
            case LANL_AUTH:
            case AUTH_JSON:
                return auth(rnd, eventTime);
            case REES46:
            case COMMERCE_JSON:
                return commerce(rnd, eventTime);
            default:
                throw new IllegalStateException(format.toString());
        }
    }

    private String runEvent(long index, SplittableRandom rnd, long eventTime) throws Exception {
        long run = index / 2;
        boolean start = index % 2 == 0;
        SplittableRandom runRnd = new SplittableRandom(seed ^ (run * 0xBF58476D1CE4E5B9L));
        String job = JOBS[(int) (run % JOBS.length)];
        // healthy jobs fail 1 % of runs; the injected incident fails loans_daily.transform for the
        // first 20 s of minute 7 of every 15: a few runs in a row (job_consecutive_failures fires,
        // and resolves on its next good run) without lifting its hourly failure share past 5 %.
        boolean failed = runRnd.nextInt(100) < 1 || (incidents && !start && job.equals(JOBS[1])
                && Math.floorMod(eventTime, FAILING_JOB_CYCLE_MS) >= 7 * 60_000
                && Math.floorMod(eventTime, FAILING_JOB_CYCLE_MS) < 7 * 60_000 + 20_000);
        ObjectNode e = JSON.createObjectNode();
        e.put("eventType", start ? "START" : failed ? "FAIL" : "COMPLETE");
        e.put("eventTime", Instant.ofEpochMilli(eventTime).toString());
        e.put("producer", "https://github.com/apache/airflow/tree/providers-openlineage/1.14.0");
        e.put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
        ObjectNode r = e.putObject("run");
        r.put("runId", new UUID(seed ^ 0x0190000000007000L, run).toString());
        if (!start && failed) {
            r.putObject("facets").putObject("errorMessage")
                    .put("message", "Task failed: upstream table not found")
                    .put("programmingLanguage", "python");
        }
        ObjectNode j = e.putObject("job");
        j.put("namespace", "airflow-demo");
        j.put("name", job);
        ArrayNode inputs = e.putArray("inputs");
        ObjectNode in = inputs.addObject();
        in.put("namespace", "postgres://warehouse:5432");
        in.put("name", "raw." + job.substring(0, job.indexOf('.')));
        ArrayNode outputs = e.putArray("outputs");
        if (!start && !failed) {
            ObjectNode facets = in.putObject("inputFacets");
            long rows = 10_000 + runRnd.nextInt(90_000);
            ObjectNode metrics = facets.putObject("dataQualityMetrics");
            metrics.put("rowCount", rows);
            metrics.putObject("columnMetrics").putObject("id").put("nullCount", 0).put("distinctCount", rows);
            ArrayNode assertions = facets.putObject("dataQualityAssertions").putArray("assertions");
            assertions.addObject().put("assertion", "not_null").put("success", runRnd.nextInt(100) != 0).put("column", "id");
            ObjectNode out = outputs.addObject();
            out.put("namespace", "s3://vigil-demo-lake");
            out.put("name", "curated/" + job.replace('.', '/'));
            out.putObject("outputFacets").putObject("outputStatistics").put("rowCount", rows - runRnd.nextInt(10));
        }
        return JSON.writeValueAsString(e);
    }

    private String metric(SplittableRandom rnd, long eventTime) throws Exception {
        ObjectNode m = JSON.createObjectNode();
        String portfolio = PORTFOLIOS[rnd.nextInt(PORTFOLIOS.length)];
        switch (rnd.nextInt(3)) {
            case 0:
                m.put("name", "par_90_pct");
                boolean spike = incidents && cycleMinute(eventTime, INCIDENT_CYCLE_MS) == 1 && portfolio.equals("abaco");
                // healthy: below the 3 % warning; the injected incident is past the 5 % critical
                m.put("value", spike ? 5.5 : round(2.0 + rnd.nextDouble() * 0.8));
                break;
            case 1:
                m.put("name", "collection_rate_pct");
                m.put("value", round(1.7 + rnd.nextDouble() * 0.7)); // healthy: above the 1.5 % warning
                break;
            default:
                m.put("name", "consumer_lag_seconds");
                m.put("value", rnd.nextInt(30));
                break;
        }
        m.put("time", Instant.ofEpochMilli(eventTime).toString());
        m.putObject("labels").put("portfolio", portfolio);
        return JSON.writeValueAsString(m);
    }

    private String auth(SplittableRandom rnd, long eventTime) throws Exception {
        int u = 1 + rnd.nextInt(5000);
        String user = "U" + u;
        // a user works from one or two computers and reaches a few servers, as in the LANL data
        String src = "C" + (1 + (u * 31 + rnd.nextInt(2)) % 20000);
        String dst = rnd.nextInt(4) == 0 ? "C586" : "C" + (1 + (u * 7919 + rnd.nextInt(4)) % 20000);
        boolean kerberos = rnd.nextInt(3) > 0;
        String orientation = rnd.nextInt(5) == 0 ? "LogOff" : "LogOn";
        boolean success = rnd.nextInt(100) >= 3;
        long seconds = eventTime / 1000;
        if (format == InputFormat.LANL_AUTH) {
            return seconds + "," + user + "@DOM1," + user + "@DOM1," + src + "," + dst + ","
                    + (kerberos ? "Kerberos" : "NTLM") + ",Network," + orientation + "," + (success ? "Success" : "Fail");
        }
        ObjectNode a = JSON.createObjectNode();
        a.put("time", seconds);
        a.put("source_user", user + "@DOM1");
        a.put("destination_user", user + "@DOM1");
        a.put("source_computer", src);
        a.put("destination_computer", dst);
        a.put("auth_type", kerberos ? "Kerberos" : "NTLM");
        a.put("logon_type", "Network");
        a.put("auth_orientation", orientation);
        a.put("success", success ? "Success" : "Fail");
        return JSON.writeValueAsString(a);
    }

    private String commerce(SplittableRandom rnd, long eventTime) throws Exception {
        int p = rnd.nextInt(100);
        String type = p < 90 ? "view" : p < 96 ? "cart" : p < 98 ? "remove_from_cart" : "purchase";
        long product = 1_000_000 + rnd.nextInt(9_000_000);
        long category = 2053013555631882655L + rnd.nextInt(1000);
        String code = CATEGORIES[rnd.nextInt(CATEGORIES.length)];
        String brand = BRANDS[rnd.nextInt(BRANDS.length)];
        double price = round(5 + rnd.nextDouble() * 1500);
        long user = 510_000_000 + rnd.nextInt(50_000_000);
        String session = new UUID(user, rnd.nextInt(4)).toString();
        String time = REES46.format(Instant.ofEpochMilli(eventTime));
        if (format == InputFormat.REES46) {
            return time + "," + type + "," + product + "," + category + "," + code + "," + brand + ","
                    + price + "," + user + "," + session;
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("event_time", time);
        c.put("event_type", type);
        c.put("product_id", product);
        c.put("category_id", category);
        c.put("category_code", code);
        c.put("brand", brand);
        c.put("price", price);
        c.put("user_id", user);
        c.put("user_session", session);
        return JSON.writeValueAsString(c);
    }

    /** The faults real producers make: cut-off writes, a junk field, a stray type. */
    static String breakRecord(String text, SplittableRandom rnd) {
        switch (rnd.nextInt(4)) {
            case 0:
                return text.substring(0, rnd.nextInt(Math.max(1, text.length() / 2)));
            case 1:
                return text.replaceFirst("\\d", "x");
            case 2:
                return text.replace("view", "vue").replace("Success", "OK").replace("COMPLETE", "DONE").replace("\"value\":", "\"value\":\"n/a\",\"v\":");
            default:
                return text + ",";
        }
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
