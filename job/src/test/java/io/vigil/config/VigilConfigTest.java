package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.InputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilConfigTest {
    @TempDir Path dir;

    private static Map<String, Properties> groups(String... groupKeyValue) {
        Map<String, Properties> g = new TreeMap<>();
        for (int i = 0; i < groupKeyValue.length; i += 3) {
            g.computeIfAbsent(groupKeyValue[i], k -> new Properties()).setProperty(groupKeyValue[i + 1], groupKeyValue[i + 2]);
        }
        return g;
    }

    @Test
    void theShippedLocalConfigIsValid() throws Exception {
        VigilConfig c = VigilConfig.from(PropertyGroups.fromFile(Paths.get("../conf/local.yaml")));
        assertThat(c.inputs).extracting(i -> i.name).containsExactly("auth", "commerce", "metrics", "pipelines");
        assertThat(c.inputs).extracting(i -> i.format.family()).doesNotHaveDuplicates();
        assertThat(c.webPort).isEqualTo(8081);
        assertThat(c.inputs).allSatisfy(i -> assertThat(i.eventTime.idleness()).isEqualTo(Duration.ofMinutes(1)));
    }

    @Test
    void managedFlinkJsonAndYamlGiveTheSameGroups() throws Exception {
        Path json = dir.resolve("app.json");
        Files.writeString(json, "[{\"PropertyGroupId\":\"vigil\",\"PropertyMap\":{\"parallelism\":\"4\"}},"
                + "{\"PropertyGroupId\":\"input.auth\",\"PropertyMap\":{\"type\":\"file\",\"format\":\"lanl-auth\",\"path\":\"/data/auth.txt\",\"watermark.out-of-orderness\":\"2m\"}}]");
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, "vigil:\n  parallelism: 4\ninput.auth:\n  type: file\n  format: lanl-auth\n  path: /data/auth.txt\n  watermark.out-of-orderness: 2m\n");
        assertThat(PropertyGroups.fromFile(json)).isEqualTo(PropertyGroups.fromFile(yaml));
        VigilConfig c = VigilConfig.from(PropertyGroups.fromFile(json));
        assertThat(c.parallelism).isEqualTo(4);
        assertThat(c.inputs.get(0).format).isEqualTo(InputFormat.LANL_AUTH);
        assertThat(c.inputs.get(0).eventTime.outOfOrderness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.inputs.get(0).eventTime.idleness()).isNull(); // files are never idle
    }

    @Test
    void theTablesGroupChoosesTheCatalogAndNamesTheBadKey() {
        String[] in = {"input.a", "type", "generator", "input.a", "format", "metrics"};
        VigilConfig local = VigilConfig.from(groups(in));
        assertThat(local.tables.type()).isEqualTo("hadoop");
        assertThat(local.tables.warehouse()).isEqualTo("./warehouse");
        assertThat(local.tables.namespace()).isEqualTo("vigil");
        assertThat(VigilConfig.from(groups(concat(in, "iceberg", "enabled", "false"))).tables).isNull();
        VigilConfig glue = VigilConfig.from(groups(concat(in, "iceberg", "type", "glue", "iceberg", "warehouse",
                "s3://bucket/warehouse", "iceberg", "client.region", "eu-west-1", "iceberg", "namespace", "monitoring")));
        assertThat(glue.tables.type()).isEqualTo("glue");
        assertThat(glue.tables.namespace()).isEqualTo("monitoring");
        assertThat(glue.tables.properties()).containsEntry("client.region", "eu-west-1");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(in, "iceberg", "type", "glue"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group 'iceberg', key 'warehouse': required");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(in, "iceberg", "type", "jdbc", "iceberg", "warehouse", "/w"))))
                .hasMessageContaining("group 'iceberg', key 'uri': required");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(in, "iceberg", "wherehouse", "/w"))))
                .hasMessageContaining("group 'iceberg', key 'wherehouse': unknown catalog property");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(in, "iceberg", "enabled", "yes"))))
                .hasMessageContaining("group 'iceberg', key 'enabled': 'yes' is not true or false");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void errorsNameTheGroupAndKey() {
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "generator", "input.a", "format", "csv")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("group 'input.a', key 'format'").hasMessageContaining("lanl-auth");
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "generator", "input.a", "format", "metrics",
                "input.a", "rat", "5")))
                .hasMessageContaining("group 'input.a', key 'rat': unknown key").hasMessageContaining("rate");
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "file", "input.a", "format", "metrics")))
                .hasMessageContaining("group 'input.a', key 'path': is required");
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "kafka", "input.a", "format", "metrics")))
                .hasMessageContaining("key 'type'").hasMessageContaining("generator, file, kinesis, pubsub, prometheus, cloudwatch, cloud-monitoring or databricks-events");
        assertThatThrownBy(() -> VigilConfig.from(groups("vigil", "parallelism", "two", "input.a", "type", "generator",
                "input.a", "format", "metrics")))
                .hasMessageContaining("group 'vigil', key 'parallelism': 'two' is not a number");
        assertThatThrownBy(() -> VigilConfig.from(groups("vigil", "checkpoint.interval", "10", "input.a", "type",
                "generator", "input.a", "format", "metrics")))
                .hasMessageContaining("key 'checkpoint.interval'").hasMessageContaining("30s");
        assertThatThrownBy(() -> VigilConfig.from(groups("vigl", "parallelism", "2")))
                .hasMessageContaining("unknown property group 'vigl'");
        assertThatThrownBy(() -> VigilConfig.from(groups("vigil", "parallelism", "2")))
                .hasMessageContaining("no input");
    }

    @Test
    void theCloudExampleIsValid() throws Exception {
        VigilConfig c = VigilConfig.from(PropertyGroups.fromFile(Paths.get("../conf/cloud-example.json")));
        // Managed Flink's own parallelism (autoscaling) and checkpoint settings apply
        assertThat(c.parallelism).isNull();
        assertThat(c.checkpointInterval).isNull();
        assertThat(c.inputs).extracting(i -> i.type).containsExactly(
                InputConfig.Type.KINESIS, InputConfig.Type.PUBSUB, InputConfig.Type.KINESIS);
        InputConfig auth = c.inputs.get(0);
        assertThat(auth.kinesis.streamArn).endsWith(":stream/vigil-auth");
        assertThat(auth.kinesis.region).isEqualTo("eu-west-1"); // from the ARN
        assertThat(auth.kinesis.initialPosition).isEqualTo("LATEST");
        assertThat(auth.kinesis.endpoint).isNull();
        assertThat(auth.eventTime.idleness()).isEqualTo(Duration.ofMinutes(1));
        InputConfig metrics = c.inputs.get(2);
        assertThat(metrics.kinesis.initialTimestamp).isEqualTo(java.time.Instant.parse("2026-11-01T00:00:00Z"));
        InputConfig lineage = c.inputs.get(1);
        assertThat(lineage.pubsub.project).isEqualTo("analytics-prod");
        assertThat(lineage.pubsub.dedupTtl).isEqualTo(Duration.ofMinutes(15));
        assertThat(lineage.pubsub.credentials).isNull();
        assertThat(c.tables.type()).isEqualTo("glue");
        assertThat(c.tables.warehouse()).isEqualTo("s3://vigil-lake/warehouse");
        assertThat(c.tables.properties()).containsEntry("client.region", "eu-west-1");
        assertThat(c.alertOutputs).extracting(o -> o.name + ":" + o.type)
                .containsExactly("oncall:SLACK", "pager:SNS", "risk:SLACK");
        assertThat(c.delivery.toString()).containsSubsequence("risk [INFO, WARNING, CRITICAL]", "oncall [WARNING, CRITICAL]",
                "sns {WARNING=arn:aws:sns:eu-west-1:123456789012:vigil-warning");
    }

    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/s";

    @Test
    void kinesisKeysAreCheckedWithTheKeyNamed() {
        String[] k = {"input.k", "type", "kinesis", "input.k", "format", "metrics"};
        assertThatThrownBy(() -> VigilConfig.from(groups(k)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group 'input.k', key 'stream.arn': is required");
        String[] ok = concat(k, "input.k", "stream.arn", ARN);
        assertThat(VigilConfig.from(groups(ok)).inputs.get(0).kinesis.initialPosition).isEqualTo("LATEST");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(k, "input.k", "stream.arn", "vigil-auth"))))
                .hasMessageContaining("key 'stream.arn': 'vigil-auth' is not a Kinesis stream ARN");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.k", "stream.name", "s"))))
                .hasMessageContaining("key 'stream.name': unknown key for a kinesis input; known keys are ")
                .hasMessageContaining("stream.arn").hasMessageContaining("initial.position").hasMessageNotContaining("rate");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.k", "path", "/x"))))
                .hasMessageContaining("key 'path': unknown key for a kinesis input");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.k", "initial.position", "EARLIEST"))))
                .hasMessageContaining("key 'initial.position'").hasMessageContaining("TRIM_HORIZON");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.k", "initial.position", "AT_TIMESTAMP"))))
                .hasMessageContaining("key 'initial.timestamp': is required");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.k", "initial.position", "AT_TIMESTAMP",
                "input.k", "initial.timestamp", "yesterday"))))
                .hasMessageContaining("key 'initial.timestamp': 'yesterday' is not an ISO-8601 instant");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.k", "initial.timestamp", "2026-11-01T00:00:00Z"))))
                .hasMessageContaining("key 'initial.timestamp': only used with initial.position AT_TIMESTAMP");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.k", "aws.region", "us-east-1"))))
                .hasMessageContaining("key 'aws.region': 'us-east-1' differs from the region of stream.arn (eu-west-1)");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.k", "aws.endpoint", "localhost:4567"))))
                .hasMessageContaining("key 'aws.endpoint'").hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.k", "efo.consumer", "vigil"))))
                .hasMessageContaining("key 'efo.consumer': enhanced fan-out is not available");
        VigilConfig local = VigilConfig.from(groups(concat(ok, "input.k", "aws.endpoint", "http://127.0.0.1:4567",
                "input.k", "initial.position", "trim_horizon")));
        assertThat(local.inputs.get(0).kinesis.endpoint).isEqualTo("http://127.0.0.1:4567");
        assertThat(local.inputs.get(0).kinesis.initialPosition).isEqualTo("TRIM_HORIZON");
    }

    @Test
    void pubsubKeysAreCheckedWithTheKeyNamed() throws Exception {
        String[] p = {"input.p", "type", "pubsub", "input.p", "format", "openlineage", "input.p", "project", "proj-1"};
        assertThatThrownBy(() -> VigilConfig.from(groups(p)))
                .hasMessageContaining("group 'input.p', key 'subscription': is required");
        String[] ok = concat(p, "input.p", "subscription", "sub");
        InputConfig in = VigilConfig.from(groups(ok)).inputs.get(0);
        assertThat(in.pubsub.dedupTtl).isEqualTo(Duration.ofMinutes(10));
        assertThat(in.eventTime.idleness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(VigilConfig.from(groups(concat(ok, "input.p", "dedup.ttl", "0s"))).inputs.get(0).pubsub.dedupTtl).isNull();
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(p, "input.p", "subscription", "projects/proj-1/subscriptions/sub"))))
                .hasMessageContaining("key 'subscription'").hasMessageContaining("not a bare name");
        String[] metrics = {"input.p", "type", "pubsub", "input.p", "format", "metrics", "input.p", "project", "proj-1",
            "input.p", "subscription", "sub"};
        assertThat(VigilConfig.from(groups(metrics)).inputs.get(0).pubsub.dedupTtl).as("no event id: no dedup").isNull();
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(metrics, "input.p", "dedup.ttl", "5m"))))
                .hasMessageContaining("key 'dedup.ttl': only openlineage run events carry an id");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.p", "credentials", "env:VIGIL_TEST_UNSET_VARIABLE"))))
                .hasMessageContaining("key 'credentials': environment variable 'VIGIL_TEST_UNSET_VARIABLE' is not set");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.p", "credentials", dir.resolve("none.json").toString()))))
                .hasMessageContaining("key 'credentials': no such file");
        Path key = dir.resolve("sa.json");
        Files.writeString(key, "{}");
        assertThat(VigilConfig.from(groups(concat(ok, "input.p", "credentials", key.toString()))).inputs.get(0).pubsub.credentials)
                .isEqualTo(key.toString());
        String sm = "secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/pubsub#key";
        InputConfig fromSecret = VigilConfig.from(groups(concat(ok, "input.p", "credentials", sm,
                "input.p", "secretsmanager.endpoint", "http://127.0.0.1:4566"))).inputs.get(0);
        assertThat(fromSecret.pubsub.credentials).isEqualTo(sm);
        assertThat(fromSecret.pubsub.secretsManagerEndpoint).isEqualTo("http://127.0.0.1:4566");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.p", "credentials", "secretsmanager:"))))
                .hasMessageContaining("key 'credentials': secretsmanager: needs a secret ARN");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.p", "secretsmanager.endpoint", "http://127.0.0.1:4566"))))
                .hasMessageContaining("key 'secretsmanager.endpoint': only used with credentials from secretsmanager:");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.p", "credentials", key.toString(),
                "input.p", "emulator.host", "127.0.0.1:8085"))))
                .hasMessageContaining("key 'emulator.host': an emulator takes no credentials");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.p", "emulator.host", "127.0.0.1"))))
                .hasMessageContaining("key 'emulator.host': '127.0.0.1' is not host:port");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.p", "stream.arn", ARN))))
                .hasMessageContaining("key 'stream.arn': unknown key for a pubsub input").hasMessageContaining("subscription");
    }

    @Test
    void githubSecretIsAReferenceOfAGitHubActionsInputOnly() throws Exception {
        String[] k = {"input.gh", "type", "kinesis", "input.gh", "format", "github-actions",
            "input.gh", "stream.arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/vigil-pipeline"};
        assertThat(VigilConfig.from(groups(k)).inputs.get(0).githubSecret).isNull();
        InputConfig in = VigilConfig.from(groups(concat(k, "input.gh", "github.secret",
                "secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/github#secret"))).inputs.get(0);
        assertThat(in.githubSecret).isEqualTo("secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/github#secret");
        // the parse step gets the reference only: the job graph holds no secret value
        io.vigil.source.InputSpec spec = io.vigil.VigilJob.input(in);
        assertThat(spec.githubSecret()).hasToString("secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/github#secret");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(k, "input.gh", "github.secret", "It's a Secret to Everybody"))))
                .hasMessageContaining("key 'github.secret': expected env:VAR or secretsmanager:ARN")
                .hasMessageNotContaining("Everybody");
        String[] metrics = {"input.m", "type", "file", "input.m", "format", "metrics", "input.m", "path", "x.jsonl",
            "input.m", "github.secret", "env:GITHUB_WEBHOOK_SECRET"};
        assertThatThrownBy(() -> VigilConfig.from(groups(metrics))).hasMessageContaining("key 'github.secret': unknown key");
    }

    @Test
    void databricksEventsKeysAreCheckedAndTheTokenIsOnlyAReference() {
        String[] db = {"input.d", "type", "databricks-events", "input.d", "url", "https://adb-1.2.azuredatabricks.net"};
        assertThatThrownBy(() -> VigilConfig.from(groups(db))).hasMessageContaining("group 'input.d', key 'clusters': is required");
        String[] withClusters = concat(db, "input.d", "clusters", "1202-211320-brick1, 0802-034608-aloe926");
        assertThatThrownBy(() -> VigilConfig.from(groups(withClusters))).hasMessageContaining("key 'token': is required");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(withClusters, "input.d", "token", "dapi0123456789"))))
                .hasMessageContaining("key 'token': expected env:VAR or secretsmanager:ARN")
                .hasMessageNotContaining("dapi0123456789");
        InputConfig in = VigilConfig.from(groups(concat(withClusters, "input.d", "token", "env:DATABRICKS_TOKEN"))).inputs.get(0);
        assertThat(in.format.id()).isEqualTo("databricks-cluster-events");
        assertThat(in.poll.clusters).containsExactly("1202-211320-brick1", "0802-034608-aloe926");
        assertThat(in.poll.pageSize).isEqualTo(500);
        assertThat(in.poll.delay).isEqualTo(Duration.ofMinutes(3));
        String[] ok = concat(withClusters, "input.d", "token", "env:DATABRICKS_TOKEN");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.d", "page.size", "501"))))
                .hasMessageContaining("key 'page.size': the Clusters API pages at most 500 events");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.d", "format", "metrics"))))
                .hasMessageContaining("key 'format': a databricks-events poller emits databricks-cluster-events records");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(db, "input.d", "clusters", "a,a", "input.d", "token", "env:T"))))
                .hasMessageContaining("key 'clusters': cluster a is given twice");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(ok, "input.d", "queries", "a=b"))))
                .hasMessageContaining("key 'queries': unknown key for a databricks-events input");
    }

    @Test
    void pollerKeysAreCheckedWithTheKeyNamed() throws Exception {
        String[] prom = {"input.p", "type", "prometheus", "input.p", "url", "http://prom:9090"};
        assertThatThrownBy(() -> VigilConfig.from(groups(prom)))
                .hasMessageContaining("group 'input.p', key 'queries': is required");
        InputConfig in = VigilConfig.from(groups(concat(prom, "input.p", "queries",
                "up=up{job=\"potato\"}; last_run = max(last_successful_run_timestamp)"))).inputs.get(0);
        assertThat(in.format.id()).isEqualTo("metrics");
        assertThat(in.poll.queries).containsExactly(java.util.Map.entry("up", "up{job=\"potato\"}"),
                java.util.Map.entry("last_run", "max(last_successful_run_timestamp)"));
        assertThat(in.poll.step).isEqualTo(Duration.ofMinutes(1));
        assertThat(in.poll.delay).isEqualTo(Duration.ofSeconds(30));
        assertThat(in.poll.retryAttempts).isEqualTo(5);
        Path file = dir.resolve("queries.txt");
        Files.writeString(file, "# potato pipeline\nfailed = sum(tasks_failed_total)\n\n");
        assertThat(VigilConfig.from(groups(concat(prom, "input.p", "queries", file.toString()))).inputs.get(0).poll.queries)
                .containsOnlyKeys("failed");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(prom, "input.p", "queries", "up"))))
                .hasMessageContaining("key 'queries': 'up' is not NAME=QUERY");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(prom, "input.p", "queries", "a=up;a=down"))))
                .hasMessageContaining("key 'queries': query a is given twice");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(prom, "input.p", "queries", "a=up", "input.p", "step", "1500ms"))))
                .hasMessageContaining("key 'step': must be whole seconds");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(prom, "input.p", "queries", "a=up", "input.p", "format", "openlineage"))))
                .hasMessageContaining("key 'format': a poller emits metric samples");
        assertThatThrownBy(() -> VigilConfig.from(groups("input.s", "type", "prometheus", "input.s", "scrape.urls", "app:8000/metrics")))
                .hasMessageContaining("key 'scrape.urls'").hasMessageContaining("not an http(s) URL");
        InputConfig scrape = VigilConfig.from(groups("input.s", "type", "prometheus", "input.s", "scrape.urls",
                "http://a:1/metrics, http://b:2/metrics")).inputs.get(0);
        assertThat(scrape.poll.scrapeUrls).containsExactly("http://a:1/metrics", "http://b:2/metrics");
        assertThat(scrape.poll.url).isNull();
        String[] cw = {"input.c", "type", "cloudwatch", "input.c", "queries", "age=AWS/Kinesis GetRecords.IteratorAgeMilliseconds Maximum"};
        assertThatThrownBy(() -> VigilConfig.from(groups(cw))).hasMessageContaining("group 'input.c', key 'aws.region': is required");
        InputConfig c = VigilConfig.from(groups(concat(cw, "input.c", "aws.region", "eu-west-1"))).inputs.get(0);
        assertThat(c.poll.delay).isEqualTo(Duration.ofMinutes(3));
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(cw, "input.c", "aws.region", "eu-west-1", "input.c", "url", "http://x"))))
                .hasMessageContaining("key 'url': unknown key for a cloudwatch input");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(cw, "input.c", "aws.region", "eu-west-1", "input.c", "step", "2s"))))
                .hasMessageContaining("key 'step': CloudWatch periods are 1s, 5s, 10s, 30s or a multiple of 60s");
        assertThatThrownBy(() -> VigilConfig.from(groups("input.c", "type", "cloudwatch", "input.c", "aws.region", "eu-west-1",
                "input.c", "queries", "age=AWS/Kinesis GetRecords.IteratorAgeMilliseconds Biggest")))
                .hasMessageContaining("key 'queries': query age: 'Biggest' is not a CloudWatch statistic");
        String[] gcp = {"input.g", "type", "cloud-monitoring", "input.g", "queries", "state=metric.type=\"dataflow.googleapis.com/job/is_failed\""};
        assertThatThrownBy(() -> VigilConfig.from(groups(gcp))).hasMessageContaining("group 'input.g', key 'project': is required");
        InputConfig g = VigilConfig.from(groups(concat(gcp, "input.g", "project", "shop-prod"))).inputs.get(0);
        assertThat(g.poll.aligner).isEqualTo("ALIGN_MEAN");
        assertThat(g.poll.credentials).isNull();
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(gcp, "input.g", "project", "shop-prod", "input.g", "aligner", "mean"))))
                .hasMessageContaining("key 'aligner': 'mean' is not a Cloud Monitoring aligner");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(gcp, "input.g", "project", "shop-prod", "input.g", "credentials",
                dir.resolve("none.json").toString())))).hasMessageContaining("key 'credentials': no such file");
    }

    @Test
    void theFutureTimeBoundIsPerInputWithDefaults() {
        VigilConfig c = VigilConfig.from(groups("input.a", "type", "file", "input.a", "format", "metrics",
                "input.a", "path", "/x", "input.b", "type", "generator", "input.b", "format", "metrics",
                "input.b", "event-time.max-ahead", "90s", "input.b", "event-time.confirm-records", "12"));
        InputConfig a = c.inputs.stream().filter(i -> i.name.equals("a")).findFirst().orElseThrow();
        InputConfig b = c.inputs.stream().filter(i -> i.name.equals("b")).findFirst().orElseThrow();
        assertThat(a.eventTime.maxAhead()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(a.eventTime.confirmRecords()).isEqualTo(5);
        assertThat(b.eventTime.maxAhead()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(b.eventTime.confirmRecords()).isEqualTo(12);
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "generator", "input.a", "format", "metrics",
                "input.a", "event-time.confirm-records", "0")))
                .hasMessageContaining("group 'input.a', key 'event-time.confirm-records'");
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "generator", "input.a", "format", "metrics",
                "input.a", "event-time.max-ahead", "soon")))
                .hasMessageContaining("group 'input.a', key 'event-time.max-ahead'");
    }

    @Test
    void everyKeyAnInputTypeReadsIsDocumented() {
        java.util.Set<String> documented = new java.util.TreeSet<>();
        for (String[] k : VigilConfig.KEYS) {
            if (k[0].equals("input.NAME")) {
                documented.add(k[1]);
            }
        }
        // an unknown key's message lists every key the type reads
        String[][] types = {
            {"input.a", "type", "generator", "input.a", "format", "metrics"},
            {"input.a", "type", "file", "input.a", "format", "metrics", "input.a", "path", "/x"},
            {"input.a", "type", "kinesis", "input.a", "format", "metrics", "input.a", "stream.arn", ARN},
            {"input.a", "type", "pubsub", "input.a", "format", "openlineage", "input.a", "project", "p", "input.a", "subscription", "s"},
            {"input.a", "type", "prometheus", "input.a", "url", "http://prom:9090", "input.a", "queries", "up=up"},
            {"input.a", "type", "prometheus", "input.a", "scrape.urls", "http://app:8000/metrics"},
            {"input.a", "type", "cloudwatch", "input.a", "aws.region", "eu-west-1", "input.a", "queries",
                "age=AWS/Kinesis GetRecords.IteratorAgeMilliseconds Maximum StreamName=s"},
            {"input.a", "type", "cloud-monitoring", "input.a", "project", "my-project", "input.a", "queries",
                "backlog=metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\""},
        };
        for (String[] t : types) {
            String msg = catchMessage(concat(t, "input.a", "zzz", "1"));
            String known = msg.substring(msg.indexOf("known keys are ") + "known keys are ".length());
            assertThat(documented).as(msg).containsAll(java.util.Arrays.asList(known.split(", ")));
        }
    }

    private static final String[] ONE_INPUT = {"input.a", "type", "generator", "input.a", "format", "metrics"};
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:vigil-critical";

    @Test
    void withoutAlertGroupsAlertsGoToOneFileAndNothingIsDelivered() {
        VigilConfig c = VigilConfig.from(groups(concat(ONE_INPUT, "vigil", "output.dir", "/var/vigil")));
        assertThat(c.alertOutputs).hasSize(1);
        assertThat(c.alertOutputs.get(0).type).isEqualTo(AlertOutput.Type.FILE);
        assertThat(c.alertOutputs.get(0).path).isEqualTo(Paths.get("/var/vigil", "alerts.jsonl").toString());
        assertThat(c.delivery).isNull();
        assertThat(c.watchdogInterval).isEqualTo(Duration.ofMinutes(5));
        assertThat(VigilConfig.from(groups(concat(ONE_INPUT, "vigil", "watchdog.interval", "off"))).watchdogInterval).isNull();
        assertThat(catchMessage(concat(ONE_INPUT, "vigil", "watchdog.interval", "0s")))
                .contains("group 'vigil', key 'watchdog.interval': must be longer than 0");
    }

    @Test
    void alertSinksOfEveryTypeCombineAndSlackRoutesAreTriedByOrderThenName() {
        VigilConfig c = VigilConfig.from(groups(concat(ONE_INPUT,
                "alerts.zz-pipelines", "type", "slack", "alerts.zz-pipelines", "webhook", "env:SLACK_PIPELINES",
                "alerts.zz-pipelines", "labels", "team=data-platform",
                "alerts.risk", "type", "slack", "alerts.risk", "webhook", "secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/slack#risk",
                "alerts.risk", "labels", "team=risk", "alerts.risk", "continue", "true", "alerts.risk", "severities", "critical",
                "alerts.everything", "type", "slack", "alerts.everything", "webhook", "https://hooks.slack.com/services/T0/B0/secret",
                "alerts.everything", "order", "9",
                "alerts.pager", "type", "sns", "alerts.pager", "topic", TOPIC, "alerts.pager", "topic.info", "none",
                "alerts.audit", "type", "file", "alerts.audit", "path", "/tmp/audit.jsonl",
                "alerts.console", "type", "stdout", "alerts.console", "format", "text",
                "delivery", "retry.attempts", "3", "delivery", "retry.every", "1m")));
        assertThat(c.alertOutputs).extracting(o -> o.name + ":" + o.type)
                .containsExactly("audit:FILE", "console:STDOUT", "everything:SLACK", "pager:SNS", "risk:SLACK", "zz-pipelines:SLACK");
        assertThat(c.alertOutputs.get(1).json).isFalse();
        String delivery = c.delivery.toString();
        // order 0 routes by name, then the order-9 catch-all; the webhook values never shown
        assertThat(delivery).containsSubsequence("risk [CRITICAL] {team=risk} -> secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/slack#risk (continue)",
                "zz-pipelines [INFO, WARNING, CRITICAL] {team=data-platform} -> env:SLACK_PIPELINES",
                "everything [INFO, WARNING, CRITICAL] -> literal:****", "sns {WARNING=" + TOPIC + ", CRITICAL=" + TOPIC + "}",
                "retry 3 attempts", "then every PT1M");
        assertThat(delivery).doesNotContain("hooks.slack.com");
    }

    @Test
    void alertmanagerGroupsAreTheRoutesOfOneChannelWithTheirResendAndMessagesTakeAZone() {
        VigilConfig c = VigilConfig.from(groups(concat(ONE_INPUT,
                "alerts.am-risk", "type", "alertmanager", "alerts.am-risk", "url", "http://alertmanager.risk:9093/",
                "alerts.am-risk", "labels", "team=risk", "alerts.am-risk", "severities", "critical,warning",
                "alerts.am-risk", "resend", "30s", "alerts.am-risk", "generator.url", "https://vigil.example.com/a/{alert_id}",
                "alerts.am", "type", "alertmanager", "alerts.am", "url", "https://alertmanager.internal",
                "alerts.oncall", "type", "slack", "alerts.oncall", "webhook", "env:W", "alerts.oncall", "timezone", "Europe/Paris",
                "alerts.pager", "type", "sns", "alerts.pager", "topic", TOPIC, "alerts.pager", "timezone", "America/New_York")));
        io.vigil.delivery.AlertmanagerRoute risk = c.alertOutputs.get(1).alertmanager;
        assertThat(risk.name()).isEqualTo("am-risk");
        assertThat(risk.alertsEndpoint()).hasToString("http://alertmanager.risk:9093/api/v2/alerts");
        assertThat(risk.resend()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(risk.labels()).containsExactly(java.util.Map.entry("team", "risk"));
        assertThat(risk.generatorUrl()).isEqualTo("https://vigil.example.com/a/{alert_id}");
        assertThat(c.alertOutputs.get(0).alertmanager.resend()).as("the default, as Prometheus").isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(c.alertOutputs.get(2).route.timezone()).isEqualTo(java.time.ZoneId.of("Europe/Paris"));
        assertThat(c.delivery.toString()).containsSubsequence("slack [oncall", "sns {",
                "alertmanager [am [INFO, WARNING, CRITICAL] -> https://alertmanager.internal (resend every 1m)",
                "am-risk [WARNING, CRITICAL] {team=risk} -> http://alertmanager.risk:9093 (resend every 30s)");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "alertmanager")))
                .contains("group 'alerts.x', key 'url': is required");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "alertmanager", "alerts.x", "url", "alertmanager:9093")))
                .contains("key 'url': 'alertmanager:9093' is not an http(s) URL");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "alertmanager", "alerts.x", "url", "http://am:9093",
                "alerts.x", "resend", "0s"))).contains("key 'resend'");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack", "alerts.x", "webhook", "env:W",
                "alerts.x", "timezone", "Mars/Olympus"))).contains("key 'timezone': 'Mars/Olympus' is not a time zone");
    }

    @Test
    void routeMatchersTakeAlertmanagerSyntaxAndABadOneIsNamedAtStartUp() {
        VigilConfig c = VigilConfig.from(groups(concat(ONE_INPUT,
                "alerts.l2", "type", "slack", "alerts.l2", "webhook", "env:W",
                "alerts.l2", "match", "severity=~\"warning|critical\", team!=loans,escalation_level=\"L2\",entity=~\"a{1,2}\"",
                "alerts.am", "type", "alertmanager", "alerts.am", "url", "http://am:9093", "alerts.am", "match", "pack!~abaco.*")));
        assertThat(c.alertOutputs.get(1).route.matchers()).extracting(Object::toString)
                .containsExactly("severity=~warning|critical", "team!=loans", "escalation_level=L2", "entity=~a{1,2}");
        assertThat(c.alertOutputs.get(0).alertmanager.matchers()).extracting(Object::toString).containsExactly("pack!~abaco.*");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack", "alerts.x", "webhook", "env:W",
                "alerts.x", "match", "severity=~\"(warning\""))).contains("group 'alerts.x', key 'match'")
                .contains("not a regular expression");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "alertmanager", "alerts.x", "url", "http://am:9093",
                "alerts.x", "match", "team"))).contains("group 'alerts.x', key 'match'").contains("expected name=value");
    }

    @Test
    void slackAndSnsRoutesGroupWithAlertmanagersOptionsAndDefaults() {
        VigilConfig c = VigilConfig.from(groups(concat(ONE_INPUT,
                "alerts.oncall", "type", "slack", "alerts.oncall", "webhook", "env:W",
                "alerts.oncall", "group_by", "alertname, team", "alerts.oncall", "group_wait", "0s",
                "alerts.oncall", "repeat_interval", "12h", "alerts.oncall", "digest_at", "08:00",
                "alerts.oncall", "timezone", "Europe/Madrid",
                "alerts.plain", "type", "slack", "alerts.plain", "webhook", "env:W", "alerts.plain", "group_by", "...",
                "alerts.pager", "type", "sns", "alerts.pager", "topic", TOPIC, "alerts.pager", "group_by", "severity")));
        io.vigil.delivery.Grouping oncall = c.alertOutputs.get(0).route.grouping();
        assertThat(oncall.labels()).containsExactly("alertname", "team");
        assertThat(oncall.waitMillis()).isZero();
        assertThat(oncall.intervalMillis()).as("the default").isEqualTo(300_000);
        assertThat(oncall.repeatMillis()).isEqualTo(12 * 3_600_000L);
        assertThat(c.alertOutputs.get(2).route.grouping().groups()).as("... : one message per state change").isFalse();
        assertThat(c.alertOutputs.get(0).route.digest()).hasToString("digest daily at 08:00 Europe/Madrid");
        assertThat(c.alertOutputs.get(2).route.digest()).as("no digest unless asked").isNull();
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack", "alerts.x", "webhook", "env:W",
                "alerts.x", "digest_at", "8am"))).contains("key 'digest_at': '8am' is not a time of day HH:mm");
        io.vigil.delivery.Grouping pager = c.alertOutputs.get(1).sns.grouping("any topic");
        assertThat(pager.labels()).containsExactly("severity");
        assertThat(pager.waitMillis()).isEqualTo(30_000);
        assertThat(pager.repeatMillis()).isEqualTo(4 * 3_600_000L);
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack", "alerts.x", "webhook", "env:W",
                "alerts.x", "group_wait", "10s"))).contains("group 'alerts.x', key 'group_wait': only applies with a group_by");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack", "alerts.x", "webhook", "env:W",
                "alerts.x", "group_by", "team,"))).contains("key 'group_by'");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "alertmanager", "alerts.x", "url", "http://am:9093",
                "alerts.x", "group_by", "alertname"))).contains("key 'group_by': unknown key");
    }

    @Test
    void validationErrorsNeverQuoteAUserOrPasswordOfAUri() {
        // each value is refused with a message that quotes it: the quote is where a credential would leak
        String jdbc = catchMessage(concat(ONE_INPUT, "iceberg", "type", "jdbc", "iceberg", "warehouse", "/tmp/w",
                "iceberg", "uri", "postgresql://vigil:pg-s3cr3t@db.internal/catalog?password=pg-s3cr3t2"));
        assertThat(jdbc).contains("group 'iceberg', key 'uri'", "postgresql://****@db.internal/catalog?password=****")
                .doesNotContain("pg-s3cr3t");
        String sns = catchMessage(concat(ONE_INPUT, "alerts.p", "type", "sns", "alerts.p", "topic", TOPIC,
                "alerts.p", "aws.endpoint", "ftp://AKIAVIGIL:sns-s3cr3t@sns.internal"));
        assertThat(sns).contains("group 'alerts.p', key 'aws.endpoint'", "ftp://****@sns.internal").doesNotContain("sns-s3cr3t")
                .doesNotContain("AKIAVIGIL");
        String kinesis = catchMessage(concat(new String[] {"input.k", "type", "kinesis", "input.k", "format", "metrics",
                "input.k", "stream.arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/s"},
                "input.k", "aws.endpoint", "mailto://kin:kin-s3cr3t@kinesis.internal"));
        assertThat(kinesis).contains("group 'input.k', key 'aws.endpoint'", "mailto://****@kinesis.internal")
                .doesNotContain("kin-s3cr3t");
    }

    @Test
    void alertSinkErrorsNameTheGroupAndKeyAndNeverQuoteAWebhook() {
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "pagerduty")))
                .contains("group 'alerts.x', key 'type'").contains("file, stdout, slack, sns or alertmanager");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack")))
                .contains("group 'alerts.x', key 'webhook': is required");
        String plain = catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack", "alerts.x", "webhook",
                "http://hooks.example.com/services/T0/B0/s3cr3t"));
        assertThat(plain).contains("group 'alerts.x', key 'webhook': not an https URL").doesNotContain("s3cr3t");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack", "alerts.x", "webhook", "env:W",
                "alerts.x", "severities", "critical,fatal"))).contains("key 'severities': 'fatal' is not a severity");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack", "alerts.x", "webhook", "env:W",
                "alerts.x", "labels", "team"))).contains("key 'labels': 'team' is not key=value");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "slack", "alerts.x", "webhook", "env:W",
                "alerts.x", "topic", TOPIC))).contains("key 'topic': unknown key for a slack alert sink")
                .contains("continue, digest_at, group_by, group_interval, group_wait, labels, match, order, repeat_interval, severities, timezone, type, webhook");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "sns")))
                .contains("group 'alerts.x', key 'topic': is required");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.x", "type", "sns", "alerts.x", "topic", "vigil-critical")))
                .contains("key 'topic': 'vigil-critical' is not an SNS topic ARN");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.a", "type", "sns", "alerts.a", "topic", TOPIC,
                "alerts.b", "type", "sns", "alerts.b", "topic", TOPIC)))
                .contains("group 'alerts.b', key 'type': group 'alerts.a' is already the sns sink");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.a", "type", "file", "alerts.b", "type", "file")))
                .contains("group 'alerts.b', key 'path'").contains("already written by group 'alerts.a'");
        assertThat(catchMessage(concat(ONE_INPUT, "alerts.a", "type", "stdout", "delivery", "retry.backoff", "10s",
                "delivery", "retry.max-backoff", "1s"))).contains("group 'delivery', key 'retry.max-backoff': is shorter");
        assertThat(catchMessage(concat(ONE_INPUT, "delivery", "slack.timout", "5s")))
                .contains("group 'delivery', key 'slack.timout': unknown key").contains("slack.timeout");
    }

    @Test
    void everyKeyAnAlertSinkTypeReadsIsDocumented() {
        java.util.Set<String> documented = new java.util.TreeSet<>();
        for (String[] k : VigilConfig.KEYS) {
            if (k[0].equals("alerts.NAME")) {
                documented.addAll(java.util.Arrays.asList(k[1].split(", ")));
            }
        }
        String[][] types = {
            {"alerts.a", "type", "file"},
            {"alerts.a", "type", "stdout"},
            {"alerts.a", "type", "slack", "alerts.a", "webhook", "env:W"},
            {"alerts.a", "type", "sns", "alerts.a", "topic", TOPIC},
            {"alerts.a", "type", "alertmanager", "alerts.a", "url", "http://alertmanager:9093"},
        };
        for (String[] t : types) {
            String msg = catchMessage(concat(concat(ONE_INPUT, t), "alerts.a", "zzz", "1"));
            String known = msg.substring(msg.indexOf("known keys are ") + "known keys are ".length());
            assertThat(documented).as(msg).containsAll(java.util.Arrays.asList(known.split(", ")));
        }
    }

    private static String catchMessage(String[] groupKeyValue) {
        try {
            VigilConfig.from(groups(groupKeyValue));
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void unreadableFilesAreReportedAsConfigErrors() throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "vigil: [unclosed\n");
        assertThatThrownBy(() -> PropertyGroups.fromFile(broken)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> PropertyGroups.fromFile(dir.resolve("none.yaml"))).hasMessageContaining("no such file");
    }
}
