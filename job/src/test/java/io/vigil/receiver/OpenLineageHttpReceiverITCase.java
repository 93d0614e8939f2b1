package io.vigil.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.VigilJob;
import io.vigil.config.VigilConfig;
import io.vigil.iceberg.HadoopCatalogExtension;
import io.vigil.iceberg.VigilTables;
import io.vigil.parse.WebhookSignature;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local HTTP receiver end to end: real OpenLineage events (the producers' recordings under
 * operators' test resources, re-stamped with fresh run ids and times) posted concurrently with a
 * real HTTP client into the receiver, read from its spool by the live job on a MiniCluster that is
 * killed and restored from its last checkpoint in the middle; every acknowledged event reaches
 * pipeline_runs and every acknowledged broken body the dead_letter table, each exactly once. Also
 * the refusals: bearer token, body size, GitHub signature.
 */
class OpenLineageHttpReceiverITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    final HadoopCatalogExtension warehouse = new HadoopCatalogExtension();

    @TempDir Path dir;

    private static final String TOKEN = "t0ken-for-the-test";
    private static final String GITHUB_SECRET = "It's a Secret to Everybody";
    private static final Path REAL = Paths.get("../operators/src/test/resources/openlineage/real");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyAcknowledgedEventReachesTheTablesOnceAcrossAJobKillAndRestore() throws Exception {
        VigilConfig config = config(Map.of());
        List<List<String>> runs = runTemplates();
        assertThat(runs).as("real run events to post").hasSizeGreaterThanOrEqualTo(6);

        Map<String, String> finishedRunIds = new ConcurrentHashMap<>(); // run id -> its terminal event type
        Set<String> brokenAcked = ConcurrentHashMap.newKeySet();
        // event times a few minutes back, 1 s apart per copy: the closing event goes 1 minute past the last
        Instant base = Instant.now().minus(Duration.ofMinutes(5));
        try (HttpReceiver receiver = HttpReceiver.start(config.receiver)) {
            URI lineage = URI.create("http://127.0.0.1:" + receiver.port() + HttpReceiver.LINEAGE_PATH);
            JobClient first = startJob(config, null);
            post(lineage, runs, 0, 40, base, finishedRunIds, brokenAcked);
            // kill the job once it has committed some of it, and go on posting while it is down
            await(() -> rows(VigilTables.PIPELINE_RUNS).size() >= 5, "first commits");
            first.cancel().get(30, TimeUnit.SECONDS);
            post(lineage, runs, 40, 80, base, finishedRunIds, brokenAcked);
            Path checkpoint = latestCheckpoint(first.getJobID().toString());
            JobClient second = startJob(config, checkpoint);
            post(lineage, runs, 80, 120, base, finishedRunIds, brokenAcked);
            // a last event at the present moves the watermark past every finish still waiting for its start
            postClosingEvent(lineage, runs.get(0), base.plusSeconds(180), finishedRunIds);

            await(() -> rows(VigilTables.PIPELINE_RUNS).size() >= finishedRunIds.size()
                    && rows(VigilTables.DEAD_LETTER).size() >= brokenAcked.size(), () -> "every acknowledged event: "
                    + rows(VigilTables.PIPELINE_RUNS).size() + " of " + finishedRunIds.size() + " runs, "
                    + rows(VigilTables.DEAD_LETTER).stream().map(r -> r.getField("reason") + " " + r.getField("payload"))
                            .collect(Collectors.toList()) + " dead, " + brokenAcked.size() + " broken acknowledged");
            Thread.sleep(3000); // a repeat would be committed by the next checkpoints
            second.cancel().get(30, TimeUnit.SECONDS);

            List<String> runIds = rows(VigilTables.PIPELINE_RUNS).stream()
                    .map(r -> (String) r.getField("run_id")).collect(Collectors.toList());
            assertThat(runIds).as("one pipeline_runs row per acknowledged finish")
                    .containsExactlyInAnyOrderElementsOf(finishedRunIds.keySet());
            for (Record r : rows(VigilTables.PIPELINE_RUNS)) {
                assertThat(r.getField("status")).isEqualTo(finishedRunIds.get((String) r.getField("run_id")));
            }
            List<String> dead = rows(VigilTables.DEAD_LETTER).stream()
                    .map(r -> r.getField("reason") + " " + r.getField("payload")).collect(Collectors.toList());
            assertThat(dead).as("each acknowledged broken body dead-lettered once, no valid event among them")
                    .containsExactlyInAnyOrderElementsOf(brokenAcked.stream()
                            .map(b -> "MALFORMED_JSON " + b.replace('\n', ' ')).collect(Collectors.toList()));
            System.out.printf("receiver: %d lines in %d fsyncs%n",
                    receiver.lineageSpool().lines(), receiver.lineageSpool().syncs());
        }
    }

    @Test
    void aBearerTokenIsRequiredAndOversizedBodiesAreRefused() throws Exception {
        VigilConfig config = config(Map.of("max-body", "64KiB"));
        String event = runTemplates().get(0).get(0);
        try (HttpReceiver receiver = HttpReceiver.start(config.receiver)) {
            URI lineage = URI.create("http://127.0.0.1:" + receiver.port() + HttpReceiver.LINEAGE_PATH);
            assertThat(send(lineage, null, event.getBytes(StandardCharsets.UTF_8), Map.of())).isEqualTo(401);
            assertThat(send(lineage, "Bearer wrong", event.getBytes(StandardCharsets.UTF_8), Map.of())).isEqualTo(401);
            assertThat(send(lineage, "Bearer " + TOKEN, event.getBytes(StandardCharsets.UTF_8), Map.of())).isEqualTo(200);

            byte[] big = ("{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(send(lineage, "Bearer " + TOKEN, big, Map.of())).isEqualTo(413);
            // small on the wire, too big once decompressed
            assertThat(send(lineage, "Bearer " + TOKEN, gzip(big), Map.of("Content-Encoding", "gzip"))).isEqualTo(413);
            // pretty-printed and gzipped, as the OpenLineage clients can send it: spooled as one compact line
            String pretty = json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(event));
            assertThat(send(lineage, "Bearer " + TOKEN, gzip(pretty.getBytes(StandardCharsets.UTF_8)),
                    Map.of("Content-Encoding", "gzip"))).isEqualTo(200);
            assertThat(send(lineage, "Bearer " + TOKEN, "[" + event + ", " + event + "]", Map.of())).isEqualTo(200);
            assertThat(send(lineage, "Bearer " + TOKEN, new byte[0], Map.of())).isEqualTo(400);
            assertThat(send(URI.create("http://127.0.0.1:" + receiver.port() + "/api/v1/other"), "Bearer " + TOKEN,
                    event.getBytes(StandardCharsets.UTF_8), Map.of())).isEqualTo(404);
        }
        List<String> spooled = spooled(config.receiver.lineageSpool());
        assertThat(spooled).as("only the accepted requests, each event one line").hasSize(4);
        for (String line : spooled) {
            assertThat(json.readTree(line)).isEqualTo(json.readTree(event));
        }
        assertThat(spooled.get(0)).isEqualTo(spooled.get(1)).doesNotContain("\n", "  ");
    }

    @Test
    void gitHubDeliveriesAreSpooledOnlyWithAValidSignature() throws Exception {
        VigilConfig config = config(Map.of("github.secret", GITHUB_SECRET));
        byte[] body = "{\"action\":\"completed\",\n \"workflow_run\": {\"id\": 30433642, \"conclusion\": \"failure\"}}"
                .getBytes(StandardCharsets.UTF_8);
        WebhookSignature sig = new WebhookSignature(GITHUB_SECRET);
        try (HttpReceiver receiver = HttpReceiver.start(config.receiver)) {
            URI github = URI.create("http://127.0.0.1:" + receiver.port() + HttpReceiver.GITHUB_PATH);
            Map<String, String> headers = new HashMap<>();
            headers.put("X-GitHub-Event", "workflow_run");
            headers.put("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
            assertThat(send(github, null, body, headers)).as("no signature").isEqualTo(401);
            headers.put(WebhookSignature.HEADER, new WebhookSignature("another secret").sign(body));
            assertThat(send(github, null, body, headers)).as("signed with another secret").isEqualTo(401);
            headers.put(WebhookSignature.HEADER, sig.sign(body));
            byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("failure", "success")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(send(github, null, tampered, headers)).as("body changed after signing").isEqualTo(401);
            assertThat(send(github, null, body, headers)).isEqualTo(200);
        }
        List<String> spooled = spooled(config.receiver.githubSpool());
        assertThat(spooled).hasSize(1);
        JsonNode line = json.readTree(spooled.get(0));
        assertThat(line.get("event").asText()).isEqualTo("workflow_run");
        assertThat(line.get("delivery").asText()).isEqualTo("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(line.get("payload")).isEqualTo(json.readTree(body));
    }

    /** The config of these tests: the receiver and the watched inputs reading its spools, tables in the warehouse. */
    private VigilConfig config(Map<String, String> receiverKeys) {
        Map<String, Properties> groups = new TreeMap<>();
        groups.put("vigil", props("output.dir", dir.resolve("out").toString(), "checkpoint.interval", "1s",
                "parallelism", "2", "watchdog.interval", "off"));
        groups.put("input.lineage", props("type", "file", "format", "openlineage",
                "path", dir.resolve("spool/openlineage").toString(), "watch", "500ms"));
        groups.put("input.github", props("type", "file", "format", "openlineage",
                "path", dir.resolve("spool/github").toString(), "watch", "500ms"));
        groups.put("iceberg", props("type", "hadoop", "warehouse", warehouse.warehouse().toString()));
        Properties r = props("port", "0", "token", TOKEN, "spool-dir", dir.resolve("spool").toString(),
                "roll-interval", "300ms");
        r.putAll(receiverKeys);
        groups.put("receiver", r);
        return VigilConfig.from(groups);
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private JobClient startJob(VigilConfig config, Path restoreFrom) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        conf.setString("state.checkpoints.dir", dir.resolve("checkpoints").toUri().toString());
        conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        if (restoreFrom != null) {
            conf.setString("execution.savepoint.path", restoreFrom.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        VigilJob.configure(env, config);
        VigilJob.live(env, config);
        return env.executeAsync("receiver-it");
    }

    /** The newest completed checkpoint of a job (its _metadata written). */
    private Path latestCheckpoint(String jobId) throws Exception {
        Path jobDir = dir.resolve("checkpoints").resolve(jobId);
        try (Stream<Path> s = Files.list(jobDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.exists(p.resolve("_metadata")))
                    .max((a, b) -> Long.compare(number(a), number(b)))
                    .orElseThrow(() -> new AssertionError("no completed checkpoint in " + jobDir));
        }
    }

    private static long number(Path chk) {
        return Long.parseLong(chk.getFileName().toString().substring(4));
    }

    /**
     * The run events of the real recordings, grouped by run in file order (START before its finish);
     * dataset and job events (no run) left out.
     */
    private List<List<String>> runTemplates() throws Exception {
        List<List<String>> runs = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(REAL)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().collect(Collectors.toList());
        }
        for (Path f : files) {
            Map<String, List<String>> byRun = new LinkedHashMap<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                JsonNode e = json.readTree(line);
                if (e.hasNonNull("eventType") && e.path("run").hasNonNull("runId")) {
                    byRun.computeIfAbsent(e.get("run").get("runId").asText(), k -> new ArrayList<>()).add(line);
                }
            }
            runs.addAll(byRun.values());
        }
        return runs;
    }

    /**
     * Posts copies {@code from..to} of the run templates from 8 threads, each copy's events in
     * order, with fresh run ids and event times; every 10th copy also posts a broken body. Records
     * what was acknowledged.
     */
    private void post(URI lineage, List<List<String>> runs, int from, int to, Instant base,
            Map<String, String> finished, Set<String> brokenAcked) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int copy = from; copy < to; copy++) {
                final int c = copy;
                done.add(pool.submit(() -> {
                    List<String> run = runs.get(c % runs.size());
                    String runId = UUID.nameUUIDFromBytes(("copy-" + c).getBytes(StandardCharsets.UTF_8)).toString();
                    for (int i = 0; i < run.size(); i++) {
                        ObjectNode e = (ObjectNode) json.readTree(run.get(i));
                        ((ObjectNode) e.get("run")).put("runId", runId);
                        e.put("eventTime", base.plusMillis(c * 1000L + i * 10L).toString());
                        if (send(lineage, "Bearer " + TOKEN, json.writeValueAsString(e), Map.of()) == 200) {
                            String type = e.get("eventType").asText();
                            if (type.equals("COMPLETE") || type.equals("FAIL") || type.equals("ABORT")) {
                                finished.put(runId, type);
                            }
                        }
                    }
                    if (c % 10 == 0) {
                        String broken = "broken body " + c + "\n{not json";
                        if (send(lineage, "Bearer " + TOKEN, broken, Map.of()) == 200) {
                            brokenAcked.add(broken);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void postClosingEvent(URI lineage, List<String> run, Instant at, Map<String, String> finished)
            throws Exception {
        String runId = UUID.randomUUID().toString();
        for (String line : run) {
            ObjectNode e = (ObjectNode) json.readTree(line);
            ((ObjectNode) e.get("run")).put("runId", runId);
            e.put("eventTime", at.toString());
            assertThat(send(lineage, "Bearer " + TOKEN, json.writeValueAsString(e), Map.of())).isEqualTo(200);
            String type = e.get("eventType").asText();
            if (type.equals("COMPLETE") || type.equals("FAIL") || type.equals("ABORT")) {
                finished.put(runId, type);
            }
        }
    }

    private int send(URI uri, String auth, String body, Map<String, String> headers) throws Exception {
        return send(uri, auth, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private int send(URI uri, String auth, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] gzip(byte[] body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        }
        return out.toByteArray();
    }

    /** The lines of a spool's closed files, in file name order. */
    private static List<String> spooled(Path spool) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> s = Files.list(spool)) {
            for (Path f : s.sorted().collect(Collectors.toList())) {
                assertThat(f.getFileName().toString()).as("closed on shutdown").doesNotStartWith(".");
                lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    private List<Record> rows(io.vigil.iceberg.CuratedTable t) {
        try {
            return warehouse.rows(t);
        } catch (org.apache.iceberg.exceptions.NoSuchTableException e) {
            return Collections.emptyList();
        }
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        await(done, () -> what);
    }

    private static void await(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.sleep(250);
        }
    }
}
