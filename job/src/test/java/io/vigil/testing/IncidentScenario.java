package io.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scripted day part of four inputs on one time axis (from 2026-11-02T00:00Z): steady background
 * traffic of every family and, when {@code incidents} is set, one incident for every default rule
 * at a known time. {@link #EXPECTED} lists the alerts the default rules must raise, exactly.
 */
public final class IncidentScenario {
    public static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
    private static final long S = 1000;
    private static final long MIN = 60 * S;
    private static final long H = 60 * MIN;
    private static final DateTimeFormatter REES46 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** Every alert of the incident run: time after T0, rule, state, severity, entity. */
    public static final List<String> EXPECTED = List.of(
            "00:30:00 kpi_par_90 firing warning metric par_90_pct{portfolio=abaco}",
            "00:31:00 kpi_par_90 firing critical metric par_90_pct{portfolio=abaco}",
            "00:33:00 kpi_par_90 resolved critical metric par_90_pct{portfolio=abaco}",
            "01:05:00 source_stale firing warning source auth",
            "01:12:00 job_run_duration firing warning job etl/loan_tape run run-loan_tape-0",
            "01:15:00 job_run_duration firing critical job etl/loan_tape run run-loan_tape-0",
            "01:15:00 source_stale firing critical source auth",
            "01:20:00 job_run_duration resolved critical job etl/loan_tape run run-loan_tape-0",
            "01:20:00 source_stale resolved critical source auth",
            "01:30:00 kpi_collection_rate firing warning metric collection_rate_pct{portfolio=abaco}",
            "01:32:00 kpi_collection_rate resolved warning metric collection_rate_pct{portfolio=abaco}",
            "02:01:00 auth_invalid_records firing warning source auth",
            "02:05:00 dataset_freshness firing warning dataset s3://lake/payments",
            "02:06:00 auth_invalid_records resolved warning source auth",
            "02:30:00 kpi_rdr_90 firing critical metric rdr_90_pct{portfolio=abaco}",
            "02:31:00 kpi_rdr_90 resolved critical metric rdr_90_pct{portfolio=abaco}",
            "02:57:00 task_latency_p95 firing warning job etl/slow_job",
            "03:02:00 auth_user_fanout firing warning source user U666@DOM1",
            "03:11:00 auth_user_fanout resolved warning source user U666@DOM1",
            "03:12:00 task_latency_p95 resolved warning job etl/slow_job",
            "03:30:00 kpi_portfolio_health firing warning metric portfolio_health{portfolio=abaco}",
            "03:35:00 dq_assertion_failed firing warning dataset postgres://db/public.orders assertion not_null column amount",
            "03:40:00 kpi_portfolio_health resolved warning metric portfolio_health{portfolio=abaco}",
            "04:01:00 ecommerce_invalid_events firing critical source shop",
            "04:05:00 dataset_freshness firing critical dataset s3://lake/payments",
            "04:05:00 dq_assertion_failed resolved warning dataset postgres://db/public.orders assertion not_null column amount",
            "04:06:00 ecommerce_invalid_events resolved critical source shop",
            "04:13:00 job_failure_rate firing warning job etl/flapper",
            "04:30:00 dataset_freshness resolved critical dataset s3://lake/payments",
            "04:33:00 kinesis_iterator_age firing warning metric kinesis_iterator_age_ms{stream=auth}",
            "04:41:00 kinesis_iterator_age resolved warning metric kinesis_iterator_age_ms{stream=auth}",
            "04:42:00 job_flapping firing warning job etl/flapper",
            "04:46:00 auth_bruteforce firing critical destination user U777@DOM1 from C77",
            "05:13:00 job_failure_rate firing warning job etl/flaky",
            "05:33:00 job_failure_rate firing warning job etl/nightly",
            "05:42:00 job_consecutive_failures firing critical job etl/nightly",
            "05:43:00 job_failure_rate resolved warning job etl/flapper",
            "05:46:00 auth_bruteforce resolved critical destination user U777@DOM1 from C77",
            "05:52:00 job_consecutive_failures resolved critical job etl/nightly");

    private final Path dir;
    private final boolean incidents;
    private final long hours;

    public IncidentScenario(Path dir, boolean incidents, long hours) {
        this.dir = dir;
        this.incidents = incidents;
        this.hours = hours;
    }

    private static long at(long ms) {
        return T0.toEpochMilli() + ms;
    }

    /** A line with its event time, so each file can be written in time order. */
    private static final class Line {
        final long t;
        final String text;

        Line(long t, String text) {
            this.t = t;
            this.text = text;
        }
    }

    private void write(String name, List<Line> lines, String header) {
        lines.sort(Comparator.comparingLong(l -> l.t)); // stable: same-time lines keep their order
        List<String> out = new ArrayList<>();
        if (header != null) {
            out.add(header);
        }
        for (Line l : lines) {
            out.add(l.text);
        }
        try {
            Files.write(dir.resolve(name), out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes auth.txt, shop.csv, lineage.jsonl and kpi.jsonl; returns the replay --input values. */
    public List<String> write() {
        long end = hours * H;
        List<Line> auth = new ArrayList<>();
        for (long t = 0, i = 0; t <= end; t += 10 * S, i++) {
            if (incidents && t > H && t < H + 20 * MIN) {
                continue; // the auth source goes silent for 20 minutes
            }
            String u = "U" + (i % 5 + 1);
            auth.add(new Line(t, (at(t) / 1000) + "," + u + "@DOM1," + u + "@DOM1,C" + (i % 7 + 10) + ",C" + (i % 3 + 1)
                    + ",Kerberos,Network,LogOn,Success"));
            if (incidents && t == 2 * H) {
                auth.add(new Line(t, "garbage from a broken collector"));
            }
        }
        if (incidents) {
            for (int k = 0; k < 6; k++) { // guessing U777's password from C77, then getting in
                long t = 4 * H + 45 * MIN + k * 10 * S;
                auth.add(new Line(t, (at(t) / 1000) + ",U777@DOM1,U777@DOM1,C77,C5,NTLM,Network,LogOn,Fail"));
            }
            long in = 4 * H + 46 * MIN;
            auth.add(new Line(in, (at(in) / 1000) + ",U777@DOM1,U777@DOM1,C77,C5,NTLM,Network,LogOn,Success"));
            for (int k = 0; k < 26; k++) { // one user onto 26 computers in under two minutes
                long t = 3 * H + k * 4 * S;
                auth.add(new Line(t, (at(t) / 1000) + ",U666@DOM1,U666@DOM1,C9,C" + (100 + k) + ",NTLM,Network,LogOn,Success"));
            }
        }
        write("auth.txt", auth, null);

        List<Line> shop = new ArrayList<>();
        for (long t = 0, i = 0; t <= end; t += 20 * S, i++) {
            shop.add(new Line(t, REES46.format(Instant.ofEpochMilli(at(t))) + ",view," + (1000 + i % 50)
                    + ",2053013555631882655,electronics.smartphone,apple,199.99," + (500 + i % 40) + ",s" + (i % 40)));
        }
        if (incidents) {
            for (int k = 0; k < 20; k++) { // a burst of records with an unknown event type
                long t = 4 * H + k * S;
                shop.add(new Line(t, REES46.format(Instant.ofEpochMilli(at(t))) + ",refund,1,2,,,1.0,3,s"));
            }
        }
        write("shop.csv", shop, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session");

        List<Line> runs = new ArrayList<>();
        for (int k = 0; k * 30 * MIN <= end - 5 * MIN; k++) {
            long s = k * 30 * MIN;
            boolean failedCheck = incidents && s == 3 * H + 30 * MIN;
            String in = ",\"inputs\":[{\"namespace\":\"postgres://db\",\"name\":\"public.orders\",\"inputFacets\":{\"dataQualityAssertions\":"
                    + "{\"assertions\":[{\"assertion\":\"not_null\",\"success\":" + !failedCheck + ",\"column\":\"amount\"}]}}}]";
            run(runs, "orders_daily", k, s, s + 5 * MIN, "COMPLETE", in + ",\"outputs\":[" + out("orders") + "]");
            if (!incidents || s == 0) {
                // payments: every half hour normally; in the incident run at 0h, then not until 4h25m
                run(runs, "payments", k, s, s + 5 * MIN, "COMPLETE", ",\"outputs\":[" + out("payments") + "]");
            }
        }
        if (incidents) {
            run(runs, "payments", 99, 4 * H + 25 * MIN, 4 * H + 30 * MIN, "COMPLETE", ",\"outputs\":[" + out("payments") + "]");
            run(runs, "loan_tape", 0, H, H + 20 * MIN, "COMPLETE", "");
        } else {
            run(runs, "loan_tape", 0, H, H + 5 * MIN, "COMPLETE", "");
        }
        for (int k = 0; k < 6; k++) {
            long s = 2 * H + 30 * MIN + k * 5 * MIN;
            run(runs, "slow_job", k, s, s + (incidents ? 11 : 4) * MIN, "COMPLETE", "");
        }
        for (int k = 0; k * 10 * MIN <= end - 2 * MIN; k++) {
            long s = k * 10 * MIN;
            boolean fail = incidents && (s == 5 * H || s == 5 * H + 10 * MIN);
            run(runs, "flaky", k, s, s + 2 * MIN, fail ? "FAIL" : "COMPLETE", "");
        }
        if (incidents) {
            for (int k = 0; k < 4; k++) { // nightly: three failures in a row, then a good run
                long s = 5 * H + 20 * MIN + k * 10 * MIN;
                run(runs, "nightly", k, s, s + 2 * MIN, k < 3 ? "FAIL" : "COMPLETE", "");
            }
            for (int k = 0; k < 5; k++) { // flapper: FAIL COMPLETE FAIL COMPLETE FAIL
                long s = 4 * H + k * 10 * MIN;
                run(runs, "flapper", k, s, s + 2 * MIN, k % 2 == 0 ? "FAIL" : "COMPLETE", "");
            }
        }
        write("lineage.jsonl", runs, null);

        List<Line> kpi = new ArrayList<>();
        for (long m = 0; m * MIN <= end; m++) {
            long t = m * MIN;
            double par = incidents && m == 30 ? 3.5 : incidents && (m == 31 || m == 32) ? 5.5 : 2.5;
            double collection = incidents && (m == 90 || m == 91) ? 1.2 : 2.0;
            double rdr = incidents && m == 150 ? 20 : 60;
            double health = incidents && m >= 210 && m < 220 ? 4 : 7;
            double lag = incidents && m >= 270 && m <= 280 ? 400_000 : 1000;
            kpi.add(new Line(t, metric("par_90_pct", par, t, "portfolio", "abaco")));
            kpi.add(new Line(t, metric("collection_rate_pct", collection, t, "portfolio", "abaco")));
            kpi.add(new Line(t, metric("rdr_90_pct", rdr, t, "portfolio", "abaco")));
            kpi.add(new Line(t, metric("portfolio_health", health, t, "portfolio", "abaco")));
            kpi.add(new Line(t, metric("kinesis_iterator_age_ms", lag, t, "stream", "auth")));
        }
        write("kpi.jsonl", kpi, null);

        return List.of("auth=lanl-auth:" + dir.resolve("auth.txt"), "shop=rees46:" + dir.resolve("shop.csv"),
                "lineage=openlineage:" + dir.resolve("lineage.jsonl"), "kpi=metrics:" + dir.resolve("kpi.jsonl"));
    }

    private static String out(String name) {
        return "{\"namespace\":\"s3://lake\",\"name\":\"" + name + "\"}";
    }

    private static void run(List<Line> lines, String job, int k, long start, long end, String outcome, String datasets) {
        String id = "run-" + job + "-" + k;
        lines.add(new Line(start, event("START", id, job, start, "")));
        lines.add(new Line(end, event(outcome, id, job, end, datasets)));
    }

    private static String event(String type, String runId, String job, long t, String datasets) {
        return "{\"eventType\":\"" + type + "\",\"eventTime\":\"" + Instant.ofEpochMilli(at(t)) + "\",\"run\":{\"runId\":\""
                + runId + "\"},\"job\":{\"namespace\":\"etl\",\"name\":\"" + job + "\"}" + datasets + "}";
    }

    private static String metric(String name, double v, long t, String label, String value) {
        return "{\"name\":\"" + name + "\",\"value\":" + v + ",\"time\":\"" + Instant.ofEpochMilli(at(t))
                + "\",\"labels\":{\"" + label + "\":\"" + value + "\"}}";
    }
}
