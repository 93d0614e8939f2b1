package io.vigil.config;

import io.vigil.delivery.AlertDelivery;
import io.vigil.delivery.AlertmanagerChannel;
import io.vigil.delivery.AlertmanagerRoute;
import io.vigil.delivery.Channel;
import io.vigil.delivery.RetryPolicy;
import io.vigil.delivery.SlackChannel;
import io.vigil.delivery.SlackRoute;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.model.InputFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Vigil's validated configuration, read from property groups. Every key, its default and its
 * meaning is listed in {@link #KEYS}; an unknown group or key, or a bad value, is refused at
 * start-up with a message naming the group and key.
 */
public final class VigilConfig {
    public static final String JOB_GROUP = "vigil";
    public static final String INPUT_PREFIX = "input.";
    public static final String TABLES_GROUP = "iceberg";
    public static final String ALERTS_PREFIX = "alerts.";
    public static final String DELIVERY_GROUP = "delivery";
    public static final String RECEIVER_GROUP = ReceiverConfig.GROUP;

    /** Documented keys: group pattern, key, default, meaning (rendered in the README). */
    public static final String[][] KEYS = {
        {"vigil", "parallelism", "(the runtime's; 2 in bin/vigil run)", "default operator parallelism; leave unset on Managed Flink, whose parallelism settings (and autoscaling) then apply"},
        {"vigil", "checkpoint.interval", "(the runtime's; 10s in bin/vigil run)", "exactly-once checkpoint interval, also the commit interval of file and table outputs; leave unset on Managed Flink (its checkpoint configuration, 60 s by default)"},
        {"vigil", "output.dir", "vigil-out", "local directory for dead-letter and other file outputs"},
        {"vigil", "dead-letter.max-bytes", "256MiB", "live runs: OUTPUT_DIR/dead-letter.jsonl is rotated to dead-letter.jsonl.1 before it would pass this size (bytes, or with KiB, MiB, GiB); written whether or not the tables are on"},
        {"vigil", "dead-letter.keep-files", "4", "live runs: rotated dead-letter files kept (.1 newest); the one beyond is deleted and counted (deadLetterFilesDeleted)"},
        {"vigil", "status.interval", "5s", "how often `bin/vigil run` prints its status line"},
        {"vigil", "web.port", "8081", "Flink web UI port of the local MiniCluster (`bin/vigil run`)"},
        {"vigil", "rules.file", "(the rules bundled in the jar; none when packs is set)", "rules file to judge the inputs by; checked at start-up. A local path, or s3://bucket/key: then polled every control.poll-interval and a new version (new ETag) applied without restart once it validates"},
        {"vigil", "packs", "(none)", "comma-separated rule pack files (e.g. conf/packs/abaco-loans.yaml), judged together with rules.file as one rule set; rule ids must be unique across all files"},
        {"vigil", "watchdog.interval", "5m", "live runs: the monitor_watchdog heartbeat (an always-firing info alert) is sent this often; off to send none"},
        {"vigil", "control.path", "(none)", "directory, or s3://bucket/prefix/, watched every control.poll-interval for control files (JSON lines: rule updates, silences; bin/vigil silence writes them), each read once and applied without restart"},
        {"vigil", "control.poll-interval", "10s", "how often an s3:// rules.file and the control location are checked for changes"},
        {"vigil", "control.aws.region", "(the default region chain's; us-east-1 if none)", "region of the s3:// rules.file and control.path bucket"},
        {"vigil", "control.aws.endpoint", "(the region's endpoint)", "S3 endpoint URL override for s3:// rules.file and control.path (tests, VPC endpoints); path-style addressing"},
        {"iceberg", "enabled", "true", "write the curated Iceberg tables"},
        {"iceberg", "type", "hadoop", "catalog: hadoop (a filesystem), glue (with S3FileIO) or jdbc"},
        {"iceberg", "warehouse", "./warehouse (hadoop), required otherwise", "where data and metadata files go: a path, s3://bucket/prefix, ..."},
        {"iceberg", "namespace", "vigil", "the database (Glue/Athena) the tables are in"},
        {"iceberg", "uri", "(required for jdbc)", "JDBC URL of the catalog database"},
        {"iceberg", "io-impl, s3.*, client.*, glue.*, jdbc.*, ...", "(none)", "Iceberg catalog properties, passed through (e.g. s3.endpoint, client.region, jdbc.user)"},
        {"input.NAME", "type", "(required)", "generator, file, kinesis, pubsub, or a poller: prometheus, cloudwatch, cloud-monitoring, databricks-events (docs/inputs-pollers.md)"},
        {"input.NAME", "format", "(required; metrics for pollers, databricks-cluster-events for databricks-events)", "openlineage, metrics, lanl-auth, auth-json, rees46, commerce-json, github-actions, eventbridge, databricks-cluster-events, pip-audit (docs/inputs-events.md)"},
        {"input.NAME", "path", "(required for file)", "file or directory of files read in name order"},
        {"input.NAME", "rate", "100", "generator: records per second"},
        {"input.NAME", "bad.ratio", "0.005", "generator: share of deliberately broken records"},
        {"input.NAME", "seed", "1", "generator: seed of the synthetic records"},
        {"input.NAME", "incidents", "false", "generator: inject incidents (metrics: a PAR_90 spike every 5 minutes; commerce: a bad-record burst every 10)"},
        {"input.NAME", "stream.arn", "(required for kinesis)", "kinesis: the stream's ARN, arn:aws:kinesis:REGION:ACCOUNT:stream/NAME"},
        {"input.NAME", "initial.position", "LATEST", "kinesis: where a job without a checkpoint starts: LATEST, TRIM_HORIZON or AT_TIMESTAMP"},
        {"input.NAME", "initial.timestamp", "(required for AT_TIMESTAMP)", "kinesis: ISO-8601 instant to start at, e.g. 2026-11-01T00:00:00Z"},
        {"input.NAME", "efo.consumer", "(none)", "kinesis: enhanced fan-out consumer name; refused for now: the Kinesis connector available (4.3.0) only polls"},
        {"input.NAME", "aws.region", "(the stream ARN's region; required for cloudwatch)", "kinesis: AWS region of the stream; must match the ARN; cloudwatch: region of the metrics"},
        {"input.NAME", "aws.endpoint", "(the region's endpoint)", "kinesis, cloudwatch: endpoint URL override (tests, VPC endpoints)"},
        {"input.NAME", "project", "(required for pubsub, cloud-monitoring)", "pubsub: Google Cloud project id of the subscription; cloud-monitoring: the project whose time series are read"},
        {"input.NAME", "subscription", "(required for pubsub)", "pubsub: subscription name (not the projects/.../subscriptions/... path)"},
        {"input.NAME", "credentials", "(the environment's default credentials)", "pubsub, cloud-monitoring: service-account JSON key: a file path, env:VAR for a variable holding the JSON, or secretsmanager:ARN[#json-key] (fetched on the task managers; the way on Managed Flink); never logged"},
        {"input.NAME", "secretsmanager.endpoint", "(the region's endpoint)", "pubsub, databricks-events: Secrets Manager endpoint URL override for secretsmanager: credentials or token (tests, VPC endpoints)"},
        {"input.NAME", "emulator.host", "(none)", "pubsub: host:port of an emulator, plain text without credentials (tests)"},
        {"input.NAME", "dedup.ttl", "10m (openlineage), none (other formats)", "pubsub: how long a run event's id (runId, eventType, eventTime) and a dead letter's message id are remembered to drop redeliveries; 0s turns it off"},
        {"input.NAME", "github.secret", "(none: signatures not checked)", "github-actions format: the webhook secret (env:VAR or secretsmanager:ARN[#json-key], fetched on the task managers); each record must then be the request {headers, body} whose X-Hub-Signature-256 signs the body, else BAD_SIGNATURE"},
        {"input.NAME", "watermark.out-of-orderness", "30s", "bounded out-of-orderness of event time"},
        {"input.NAME", "event-time.max-ahead", "5m", "how far an event time may run ahead of its arrival (live) or of its source's clock (replay) before it is refused as FUTURE_TIME; see docs/event-time.md"},
        {"input.NAME", "event-time.confirm-records", "5", "replay: how many records ahead of the source's clock confirm a jump (then it is followed), or how many records behind refute one held record (then FUTURE_TIME)"},
        {"alerts.NAME", "type", "(no alerts.* group: one file sink, OUTPUT_DIR/alerts.jsonl)", "where alert state changes go: file, stdout, slack, sns or alertmanager; any number of groups, combined"},
        {"alerts.NAME", "path", "OUTPUT_DIR/alerts.jsonl", "file: the JSON-lines file alerts are appended to"},
        {"alerts.NAME", "format", "json", "stdout: json (the alert JSON, one per line) or text (one line for people)"},
        {"alerts.NAME", "webhook", "(required for slack)", "slack: the incoming webhook: env:VAR, secretsmanager:ARN[#json-key], or the https URL itself (a Managed Flink property); never logged"},
        {"alerts.NAME", "severities", "critical,warning,info", "slack, alertmanager: the severities this route takes"},
        {"alerts.NAME", "labels", "(none)", "slack, alertmanager: key=value,...: labels an alert must all carry to take this route, e.g. team=risk"},
        {"alerts.NAME", "match", "(none)", "slack, alertmanager: Alertmanager matchers (=, !=, =~, !~), comma-separated, all of which an alert must satisfy, e.g. severity=~\"warning|critical\",escalation_level=\"L2\""},
        {"alerts.NAME", "continue", "false", "slack: an alert this route takes also goes on to the next matching route (else the first match wins)"},
        {"alerts.NAME", "order", "0", "slack: where this route comes among the Slack routes, lowest first; ties by group name"},
        {"alerts.NAME", "topic", "(topic or topic.SEVERITY required for sns)", "sns: topic ARN for every severity (a .fifo topic gets group and dedup ids)"},
        {"alerts.NAME", "topic.critical, topic.warning, topic.info", "(the topic key)", "sns: topic ARN of one severity, or none to send that severity nowhere on SNS"},
        {"alerts.NAME", "timeout", "10s", "sns: how long one Publish may take before it counts as failed and is retried"},
        {"alerts.NAME", "aws.endpoint", "(the region's endpoint)", "sns: endpoint URL override (tests, VPC endpoints); the region is the topic ARN's"},
        {"alerts.NAME", "timezone", "UTC", "slack, sns: the time zone the message's times are shown in (e-mail text for sns), e.g. Europe/Paris"},
        {"alerts.NAME", "group_by", "...", "slack, sns: label names (alertname or rule_id, entity, severity, any alert label) whose values make a group: one message per group (docs/alerts.md#grouping); ... = none, one message per alert state change"},
        {"alerts.NAME", "group_wait", "30s", "slack, sns with group_by: a new group's first message waits this long for more alerts"},
        {"alerts.NAME", "group_interval", "5m", "slack, sns with group_by: a group that changed is sent again at most this often"},
        {"alerts.NAME", "repeat_interval", "4h", "slack, sns with group_by: an unchanged group is sent again this often while any of its alerts fires"},
        {"alerts.NAME", "digest_at", "(none: no digest)", "slack, sns: HH:mm: a daily digest of the route at this time in its timezone: alerts fired and resolved, still firing, top entities, time to resolve; also a row of alert_digests (docs/alerts.md#digests)"},
        {"alerts.NAME", "url", "(required for alertmanager)", "alertmanager: the Alertmanager's base URL, e.g. http://alertmanager:9093; alerts are posted to /api/v2/alerts (docs/alertmanager.md)"},
        {"alerts.NAME", "resend", "1m", "alertmanager: a firing alert is posted again this often, ending four of these ahead (as Prometheus), until it resolves"},
        {"alerts.NAME", "generator.url", "(the rule's runbook URL when absolute http(s))", "alertmanager: the alerts' generatorURL; {rule} and {alert_id} in it are replaced"},
        {"delivery", "retry.attempts", "6", "Slack, SNS and Alertmanager: fast attempts per alert before it is recorded failed and retried on the slow cadence"},
        {"delivery", "retry.backoff", "1s", "wait after the first failed attempt, doubling (with jitter) after each next one"},
        {"delivery", "retry.max-backoff", "30s", "longest wait between fast attempts"},
        {"delivery", "retry.every", "5m", "the slow cadence: a failed or refused alert is tried again this often, until delivered"},
        {"delivery", "retry.max-retry-after", "15m", "longest Retry-After (Slack 429) honoured"},
        {"delivery", "abandon.rejections", "20", "a delivery refused this many times (4xx other than 429) is recorded abandoned and counted (deliveriesAbandoned)"},
        {"delivery", "abandon.age", "24h", "a delivery not confirmed this long after it was queued is recorded abandoned and counted"},
        {"delivery", "pending.max", "10000", "most deliveries kept pending; beyond it the oldest waiting one is abandoned (queue full) and counted"},
        {"delivery", "slack.min-interval", "1s", "least time between two messages to one webhook (Slack allows one a second)"},
        {"delivery", "slack.timeout", "10s", "how long a webhook request may take before it counts as a timeout and is retried"},
        {"delivery", "slack.runbook.base", "(none)", "base URL that makes rules' relative runbook paths links, e.g. https://github.com/acme/vigil/blob/main/"},
        {"delivery", "secretsmanager.endpoint", "(the region's endpoint)", "Secrets Manager endpoint URL override (tests, VPC endpoints)"},
        {"input.NAME", "watermark.idleness", "1m (generator, kinesis, pubsub, watched file), none (file)", "after this long without records the input (kinesis: each shard) stops holding back the watermark"},
        {"input.NAME", "watch", "(none: read once)", "file: path is a directory read continuously: each file that appears in it is read once, checked this often (e.g. 2s); checkpointed, so a restart neither skips nor repeats a line. Hidden files (.name) are skipped. The way to read the receiver's spool"},
        {"receiver", "port", "5000", "bin/vigil run: port of the local HTTP receiver (POST /api/v1/lineage, POST /api/v1/github); no receiver group, no receiver. See docs/producers.md"},
        {"receiver", "bind", "127.0.0.1", "address the receiver listens on; 0.0.0.0 for other machines"},
        {"receiver", "token", "(none: no token asked for)", "bearer token OpenLineage clients must send (Authorization: Bearer ...): env:VAR, secretsmanager:ARN[#json-key], or the value; never logged"},
        {"receiver", "github.secret", "(none: /api/v1/github off)", "GitHub webhook secret X-Hub-Signature-256 is checked with: env:VAR, secretsmanager:ARN[#json-key], or the value; never logged"},
        {"receiver", "spool-dir", "OUTPUT_DIR/spool", "where acknowledged requests are kept: SPOOL/openlineage and SPOOL/github, each read by an input with type file, watch set and that path (checked at start-up)"},
        {"receiver", "max-body", "1MiB", "largest request body (after gzip decoding) taken; larger ones get 413"},
        {"receiver", "roll-interval", "2s", "a spool file is closed (and becomes readable by the job) this long after its first line"},
        {"receiver", "roll-size", "64MiB", "or once it is this big"},
        {"input.NAME", "queries", "(required for cloudwatch, cloud-monitoring; prometheus: this or scrape.urls)", "pollers: NAME=QUERY;NAME=QUERY... or the path of a file with one NAME=QUERY a line; NAME names the samples; QUERY is PromQL (prometheus), NAMESPACE METRIC STAT [DIM=VALUE,...] (cloudwatch) or a monitoring filter (cloud-monitoring)"},
        {"input.NAME", "url", "(required for prometheus queries, databricks-events)", "prometheus: the server's base URL the queries go to (/api/v1/query_range); databricks-events: the workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net"},
        {"input.NAME", "clusters", "(required for databricks-events)", "databricks-events: comma-separated cluster ids whose events are read (POST /api/2.1/clusters/events), each a split of the poller"},
        {"input.NAME", "token", "(required for databricks-events)", "databricks-events: the bearer token: env:VAR or secretsmanager:ARN[#json-key], fetched on the task managers; never logged"},
        {"input.NAME", "page.size", "500", "databricks-events: events asked for per page (limit, at most 500); next_page is followed"},
        {"input.NAME", "scrape.urls", "(none)", "prometheus: comma-separated /metrics endpoints (text format) scraped once per step"},
        {"input.NAME", "step", "60s", "pollers: the period: samples are fetched per period aligned to it (one point per series and step)"},
        {"input.NAME", "delay", "30s (prometheus), 3m (cloudwatch, cloud-monitoring, databricks-events)", "pollers: a period is polled this long after it ends, when the service has its data"},
        {"input.NAME", "lookback", "0s", "pollers: a job without a checkpoint starts this far before the present (0s: with the period running)"},
        {"input.NAME", "catch-up.max-periods", "60", "pollers: most periods one request fetches when catching up after downtime"},
        {"input.NAME", "retry.attempts", "5", "pollers: attempts of one poll on 429, 5xx, throttling or no connection before it counts as failed (pollFailures) and waits a step"},
        {"input.NAME", "retry.backoff", "1s", "pollers: wait after the first failed attempt, doubling after each next one (at least the Retry-After asked for)"},
        {"input.NAME", "retry.max-backoff", "30s", "pollers: longest wait between attempts"},
        {"input.NAME", "timeout", "10s", "pollers: how long one request may take"},
        {"input.NAME", "aligner", "ALIGN_MEAN", "cloud-monitoring: per-series aligner of every query (ALIGN_MEAN, ALIGN_MAX, ALIGN_RATE, ALIGN_NEXT_OLDER, ...)"},
        {"input.NAME", "endpoint", "https://monitoring.googleapis.com", "cloud-monitoring: API base URL override (tests)"},
    };

    /** Null: the Flink runtime's (Managed Flink's parallelism configuration). */
    public final Integer parallelism;
    /** Null: the Flink runtime's checkpoint configuration. */
    public final Duration checkpointInterval;
    public final String outputDir;
    public final Duration statusInterval;
    public final int webPort;
    /** Null: the rules bundled in the jar. */
    public final String rulesFile;
    /** Rule pack files loaded with {@link #rulesFile} as one rule set; empty: none. */
    public final List<String> packs;
    /** Null: no control input. */
    public final String controlPath;
    /** How often the live job sends its monitor_watchdog heartbeat; null: never. */
    public final Duration watchdogInterval;
    /** The live dead-letter file's byte cap, and how many rotated files are kept. */
    public final long deadLetterMaxBytes;
    public final int deadLetterKeepFiles;
    public final List<InputConfig> inputs;
    /** Where the curated tables go; null when they are switched off. */
    public final IcebergCatalogConfig tables;
    /** Every place alerts go, in group-name order (Slack and SNS ones are delivered by {@link #delivery}). */
    public final List<AlertOutput> alertOutputs;
    /** Delivery to the Slack routes and the SNS topics; null when no slack or sns group is configured. */
    public final AlertDelivery delivery;
    /** The local HTTP receiver of bin/vigil run; null when no receiver group is configured. */
    public final ReceiverConfig receiver;
    /** Polling of the rules and control locations, and their S3 client settings. */
    public final ControlConfig control;

    private VigilConfig(Integer parallelism, Duration checkpointInterval, String outputDir,
            Duration statusInterval, int webPort, String rulesFile, List<String> packs, String controlPath,
            Duration watchdogInterval, long deadLetterMaxBytes, int deadLetterKeepFiles, List<InputConfig> inputs,
            IcebergCatalogConfig tables, List<AlertOutput> alertOutputs, AlertDelivery delivery, ReceiverConfig receiver,
            ControlConfig control) {
        this.receiver = receiver;
        this.control = control;
        this.parallelism = parallelism;
        this.checkpointInterval = checkpointInterval;
        this.outputDir = outputDir;
        this.statusInterval = statusInterval;
        this.webPort = webPort;
        this.rulesFile = rulesFile;
        this.packs = Collections.unmodifiableList(new ArrayList<>(packs));
        this.controlPath = controlPath;
        this.watchdogInterval = watchdogInterval;
        this.deadLetterMaxBytes = deadLetterMaxBytes;
        this.deadLetterKeepFiles = deadLetterKeepFiles;
        this.inputs = Collections.unmodifiableList(inputs);
        this.tables = tables;
        this.alertOutputs = Collections.unmodifiableList(alertOutputs);
        this.delivery = delivery;
    }

    /** This configuration with {@code parallelism} and {@code checkpointInterval} where it leaves them to the runtime. */
    public VigilConfig withDefaults(int defaultParallelism, Duration defaultCheckpointInterval) {
        return new VigilConfig(parallelism != null ? parallelism : defaultParallelism,
                checkpointInterval != null ? checkpointInterval : defaultCheckpointInterval, outputDir, statusInterval,
                webPort, rulesFile, packs, controlPath, watchdogInterval, deadLetterMaxBytes, deadLetterKeepFiles,
                new ArrayList<>(inputs), tables,
                new ArrayList<>(alertOutputs), delivery, receiver, control);
    }

    /** This configuration judging by {@code file} (bin/vigil run: the checkout's conf/rules.yaml when none is named). */
    public VigilConfig withRulesFile(String file) {
        return new VigilConfig(parallelism, checkpointInterval, outputDir, statusInterval, webPort, file, packs, controlPath,
                watchdogInterval, deadLetterMaxBytes, deadLetterKeepFiles, new ArrayList<>(inputs), tables,
                new ArrayList<>(alertOutputs), delivery, receiver, control);
    }

    public static VigilConfig from(Map<String, Properties> groups) {
        for (String g : groups.keySet()) {
            if (!g.equals(JOB_GROUP) && !g.equals(TABLES_GROUP) && !g.equals(DELIVERY_GROUP) && !g.equals(RECEIVER_GROUP)
                    && !(g.startsWith(INPUT_PREFIX) && g.length() > INPUT_PREFIX.length())
                    && !(g.startsWith(ALERTS_PREFIX) && g.length() > ALERTS_PREFIX.length())) {
                throw new ConfigException("config: unknown property group '" + g + "'; expected '" + JOB_GROUP + "', '"
                        + TABLES_GROUP + "', '" + DELIVERY_GROUP + "', '" + RECEIVER_GROUP + "', '" + INPUT_PREFIX + "<name>' or '" + ALERTS_PREFIX + "<name>'");
            }
        }
        ConfigGroup job = new ConfigGroup(JOB_GROUP, groups.getOrDefault(JOB_GROUP, new Properties()));
        Integer parallelism = job.get("parallelism", null, s -> positiveInt(s));
        Duration checkpoint = job.get("checkpoint.interval", null, VigilConfig::positiveDuration);
        String out = job.get("output.dir", "vigil-out", Function.identity());
        Duration status = job.get("status.interval", "5s", VigilConfig::positiveDuration);
        int webPort = job.get("web.port", "8081", s -> port(s));
        String rulesFile = job.get("rules.file", null, s -> {
            if (io.vigil.source.control.S3Location.isS3(s)) {
                io.vigil.source.control.S3Location.parse(s, null, null);
                return s;
            }
            if (!java.nio.file.Files.isRegularFile(java.nio.file.Paths.get(s))) {
                throw new IllegalArgumentException("no such file " + s);
            }
            return s;
        });
        List<String> packs = job.get("packs", "", s -> {
            List<String> files = new ArrayList<>();
            for (String f : s.split(",")) {
                String t = f.trim();
                if (t.isEmpty()) {
                    continue;
                }
                if (!java.nio.file.Files.isRegularFile(java.nio.file.Paths.get(t))) {
                    throw new IllegalArgumentException("no such file " + t);
                }
                files.add(t);
            }
            return files;
        });
        String controlPath = job.get("control.path", null, s -> {
            if (io.vigil.source.control.S3Location.isS3(s)) {
                io.vigil.source.control.S3Location.parse(s, null, null);
                return s;
            }
            if (!java.nio.file.Files.isDirectory(java.nio.file.Paths.get(s))) {
                throw new IllegalArgumentException("no such directory " + s);
            }
            return s;
        });
        Duration watchdog = job.get("watchdog.interval", "5m", s -> s.equals("off") ? null : positiveDuration(s));
        long deadLetterMaxBytes = job.get("dead-letter.max-bytes", "256MiB", VigilConfig::bytes);
        int deadLetterKeepFiles = job.get("dead-letter.keep-files", "4", s -> {
            int n = Integer.parseInt(s.trim());
            if (n < 0) {
                throw new IllegalArgumentException("must be 0 or more, got " + n);
            }
            return n;
        });
        ControlConfig control = new ControlConfig(job.get("control.poll-interval", "10s", VigilConfig::positiveDuration),
                job.get("control.aws.region", null, Function.identity()),
                job.get("control.aws.endpoint", null, s -> java.net.URI.create(s).toString()));
        job.rejectUnknown();

        List<InputConfig> inputs = new ArrayList<>();
        Map<String, Properties> sorted = new LinkedHashMap<>();
        new TreeSet<>(groups.keySet()).forEach(k -> sorted.put(k, groups.get(k)));
        for (Map.Entry<String, Properties> e : sorted.entrySet()) {
            if (e.getKey().startsWith(INPUT_PREFIX)) {
                inputs.add(input(e.getKey().substring(INPUT_PREFIX.length()), new ConfigGroup(e.getKey(), e.getValue())));
            }
        }
        if (inputs.isEmpty()) {
            throw new ConfigException("config: no input; add a property group '" + INPUT_PREFIX + "<name>'");
        }
        IcebergCatalogConfig tables = tables(groups.getOrDefault(TABLES_GROUP, new Properties()));
        List<AlertOutput> outputs = new ArrayList<>();
        Map<String, String> filesWritten = new TreeMap<>();
        String snsGroup = null;
        for (Map.Entry<String, Properties> e : sorted.entrySet()) {
            if (e.getKey().startsWith(ALERTS_PREFIX)) {
                AlertOutput o = AlertOutput.read(e.getKey().substring(ALERTS_PREFIX.length()),
                        new ConfigGroup(e.getKey(), e.getValue()), out);
                String writer = o.type == AlertOutput.Type.FILE ? filesWritten.putIfAbsent(o.path, e.getKey()) : null;
                if (writer != null) {
                    throw ConfigException.at(e.getKey(), "path", "'" + o.path + "' is already written by group '" + writer + "'");
                }
                if (o.type == AlertOutput.Type.SNS) {
                    if (snsGroup != null) {
                        throw ConfigException.at(e.getKey(), "type", "group '" + snsGroup + "' is already the sns sink; "
                                + "one sns group gives each severity its topic (topic.critical, topic.warning, topic.info)");
                    }
                    snsGroup = e.getKey();
                }
                outputs.add(o);
            }
        }
        if (outputs.isEmpty()) {
            outputs.add(AlertOutput.defaultFile(out));
        }
        AlertDelivery delivery = delivery(outputs, new ConfigGroup(DELIVERY_GROUP,
                groups.getOrDefault(DELIVERY_GROUP, new Properties())));
        ReceiverConfig receiver = groups.containsKey(RECEIVER_GROUP)
                ? receiver(new ConfigGroup(RECEIVER_GROUP, groups.get(RECEIVER_GROUP)), out, inputs) : null;
        return new VigilConfig(parallelism, checkpoint, out, status, webPort, rulesFile, packs, controlPath, watchdog,
                deadLetterMaxBytes, deadLetterKeepFiles, inputs, tables, outputs, delivery, receiver, control);
    }

    /**
     * The {@code receiver} group; each spool it writes must be read by a watched file input, or
     * what it acknowledges would never reach the job.
     */
    private static ReceiverConfig receiver(ConfigGroup g, String outputDir, List<InputConfig> inputs) {
        int port = g.get("port", "5000", VigilConfig::port);
        String bind = g.get("bind", "127.0.0.1", s -> {
            if (!s.matches("[A-Za-z0-9.:-]+")) {
                throw new IllegalArgumentException("'" + s + "' is not an address");
            }
            return s;
        });
        Function<String, String> secret = s -> {
            io.vigil.delivery.SecretRef.parse(s); // checks the form; the value is read when the receiver starts
            if (s.startsWith("env:")) {
                String v = System.getenv(s.substring(4));
                if (v == null || v.isEmpty()) {
                    throw new IllegalArgumentException("environment variable '" + s.substring(4) + "' is not set");
                }
            }
            return s;
        };
        String token = g.get("token", null, secret);
        String github = g.get("github.secret", null, secret);
        String spool = g.get("spool-dir", java.nio.file.Paths.get(outputDir, "spool").toString(), Function.identity());
        long maxBody = g.get("max-body", "1MiB", VigilConfig::bytes);
        Duration roll = g.get("roll-interval", "2s", VigilConfig::positiveDuration);
        long rollSize = g.get("roll-size", "64MiB", VigilConfig::bytes);
        g.rejectUnknown();
        ReceiverConfig r = new ReceiverConfig(bind, port, token, github, spool, maxBody, rollSize, roll);
        requireReader(r.lineageSpool(), "openlineage", inputs);
        if (github != null) {
            requireReader(r.githubSpool(), "github-actions", inputs);
        }
        return r;
    }

    private static void requireReader(java.nio.file.Path spool, String format, List<InputConfig> inputs) {
        java.nio.file.Path want = spool.toAbsolutePath().normalize();
        for (InputConfig in : inputs) {
            if (in.watch != null && java.nio.file.Paths.get(in.path).toAbsolutePath().normalize().equals(want)) {
                return;
            }
        }
        throw new ConfigException("config: group '" + RECEIVER_GROUP + "': no input reads its spool " + spool
                + "; add e.g. input.NAME with type: file, format: " + format + ", path: " + spool + ", watch: 2s");
    }

    /**
     * One Slack channel of every slack group's route (by order, then name), the SNS channel, one
     * Alertmanager channel of every alertmanager group's route, and the retry policy.
     */
    private static AlertDelivery delivery(List<AlertOutput> outputs, ConfigGroup g) {
        List<AlertOutput> slack = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        List<AlertmanagerRoute> alertmanagers = new ArrayList<>();
        for (AlertOutput o : outputs) {
            if (o.type == AlertOutput.Type.SLACK) {
                slack.add(o);
            } else if (o.type == AlertOutput.Type.SNS) {
                channels.add(o.sns);
            } else if (o.type == AlertOutput.Type.ALERTMANAGER) {
                alertmanagers.add(o.alertmanager);
            }
        }
        if (!alertmanagers.isEmpty()) {
            channels.add(AlertmanagerChannel.routes(alertmanagers));
        }
        Duration backoff = g.get("retry.backoff", "1s", VigilConfig::positiveDuration);
        Duration maxBackoff = g.get("retry.max-backoff", "30s", VigilConfig::positiveDuration);
        if (maxBackoff.compareTo(backoff) < 0) {
            throw ConfigException.at(DELIVERY_GROUP, "retry.max-backoff", "is shorter than retry.backoff (" + backoff + ")");
        }
        RetryPolicy retry = RetryPolicy.defaults()
                .maxAttempts(g.get("retry.attempts", "6", VigilConfig::positiveInt))
                .backoff(backoff, maxBackoff)
                .slowRetry(g.get("retry.every", "5m", VigilConfig::positiveDuration))
                .maxRetryAfter(g.get("retry.max-retry-after", "15m", VigilConfig::positiveDuration))
                .maxRejections(g.get("abandon.rejections", "20", VigilConfig::positiveInt))
                .maxAge(g.get("abandon.age", "24h", VigilConfig::positiveDuration));
        int maxPending = g.get("pending.max", String.valueOf(AlertDelivery.DEFAULT_MAX_PENDING), VigilConfig::positiveInt);
        Duration minInterval = g.get("slack.min-interval", "1s", Durations::parse);
        Duration timeout = g.get("slack.timeout", "10s", VigilConfig::positiveDuration);
        String runbookBase = g.get("slack.runbook.base", null, VigilConfig::httpUrl);
        String secrets = g.get("secretsmanager.endpoint", null, VigilConfig::httpUrl);
        g.rejectUnknown();
        if (!slack.isEmpty()) {
            slack.sort(java.util.Comparator.<AlertOutput>comparingInt(o -> o.order).thenComparing(o -> o.name));
            List<SlackRoute> routes = new ArrayList<>();
            slack.forEach(o -> routes.add(o.route));
            SlackChannel channel = SlackChannel.routes(routes).minInterval(minInterval).requestTimeout(timeout);
            if (runbookBase != null) {
                channel.runbookBase(runbookBase);
            }
            if (secrets != null) {
                channel.secretsManagerEndpoint(java.net.URI.create(secrets));
            }
            channels.add(0, channel);
        }
        return channels.isEmpty() ? null : AlertDelivery.to(channels).retry(retry).maxPending(maxPending);
    }

    /** The {@code iceberg} group: {@code enabled}, then the catalog's own keys, checked by the catalog config. */
    private static IcebergCatalogConfig tables(Properties props) {
        ConfigGroup g = new ConfigGroup(TABLES_GROUP, props);
        if (!g.get("enabled", "true", VigilConfig::bool)) {
            return null;
        }
        Map<String, String> catalog = new TreeMap<>();
        for (String k : props.stringPropertyNames()) {
            if (!k.equals("enabled")) {
                catalog.put(k, props.getProperty(k));
            }
        }
        try {
            return IcebergCatalogConfig.fromProperties(catalog, "");
        } catch (IcebergCatalogConfig.InvalidProperty e) {
            throw ConfigException.at(TABLES_GROUP, e.key(), e.problem());
        }
    }

    private static InputConfig input(String name, ConfigGroup g) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new ConfigException("config: group '" + g.name + "': input names use letters, digits, _ and -");
        }
        InputConfig.Type type = g.required("type", s -> {
            try {
                return InputConfig.Type.valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("'" + s + "' is not an input type; expected generator, file, kinesis, "
                        + "pubsub, prometheus, cloudwatch, cloud-monitoring or databricks-events");
            }
        });
        g.type = type.name().toLowerCase(Locale.ROOT).replace('_', '-') + " input";
        InputFormat polled = type == InputConfig.Type.DATABRICKS_EVENTS ? InputFormat.DATABRICKS_CLUSTER_EVENTS
                : InputFormat.METRICS;
        InputFormat format = !type.polls() ? g.required("format", InputFormat::fromId) : g.get("format", polled.id(), s -> {
            if (InputFormat.fromId(s) != polled) {
                throw new IllegalArgumentException(polled == InputFormat.METRICS ? "a poller emits metric samples: format is metrics"
                        : "a databricks-events poller emits " + polled.id() + " records: format is " + polled.id());
            }
            return polled;
        });
        boolean generator = type == InputConfig.Type.GENERATOR;
        if (generator && !io.vigil.source.SyntheticTelemetry.supports(format)) {
            throw new ConfigException("config: group '" + g.name + "': a generator cannot write " + format.id()
                    + "; it writes openlineage, metrics, lanl-auth, auth-json, rees46 or commerce-json");
        }
        String path = type == InputConfig.Type.FILE ? g.required("path", Function.identity()) : null;
        Duration watch = type == InputConfig.Type.FILE ? g.get("watch", null, VigilConfig::positiveDuration) : null;
        double rate = generator ? g.get("rate", "100", s -> positiveDouble(s)) : 0;
        double bad = generator ? g.get("bad.ratio", "0.005", s -> ratio(s)) : 0;
        long seed = generator ? g.get("seed", "1", Long::parseLong) : 0;
        boolean incidents = generator && g.get("incidents", "false", VigilConfig::bool);
        InputConfig.Kinesis kinesis = type == InputConfig.Type.KINESIS ? kinesis(g) : null;
        InputConfig.PubSub pubsub = type == InputConfig.Type.PUBSUB ? pubsub(g, format) : null;
        Duration ooo = g.get("watermark.out-of-orderness", "30s", Durations::parse);
        Duration idle = g.get("watermark.idleness", type == InputConfig.Type.FILE && watch == null ? null : "1m",
                VigilConfig::positiveDuration);
        Duration maxAhead = g.get("event-time.max-ahead", "5m", Durations::parse);
        int confirm = g.get("event-time.confirm-records", "5", VigilConfig::positiveInt);
        InputConfig.Poll poll = type.polls() ? PollerKeys.read(g, type) : null;
        String githubSecret = format != InputFormat.GITHUB_ACTIONS ? null : g.get("github.secret", null, s -> {
            io.vigil.source.TaskSecret.of(s, null);
            return s.trim();
        });
        g.rejectUnknown();
        InputConfig in = new InputConfig(name, type, format, path, rate, bad, seed, incidents, ooo, idle, kinesis, pubsub, watch);
        return in.withFutureBound(maxAhead, confirm).withPoll(poll).withGitHubSecret(githubSecret);
    }

    private static final Pattern STREAM_ARN =
            Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/([A-Za-z0-9_.-]{1,128})");

    private static InputConfig.Kinesis kinesis(ConfigGroup g) {
        String arn = g.required("stream.arn", s -> {
            if (!STREAM_ARN.matcher(s).matches()) {
                throw new IllegalArgumentException("'" + s + "' is not a Kinesis stream ARN; expected "
                        + "arn:aws:kinesis:REGION:ACCOUNT:stream/NAME");
            }
            return s;
        });
        java.util.regex.Matcher m = STREAM_ARN.matcher(arn);
        m.matches();
        String arnRegion = m.group(1);
        String position = g.get("initial.position", "LATEST", s -> {
            String p = s.toUpperCase(Locale.ROOT);
            if (!p.equals("LATEST") && !p.equals("TRIM_HORIZON") && !p.equals("AT_TIMESTAMP")) {
                throw new IllegalArgumentException("'" + s + "' is not a start position; expected LATEST, TRIM_HORIZON or AT_TIMESTAMP");
            }
            return p;
        });
        java.time.Instant timestamp;
        if (position.equals("AT_TIMESTAMP")) {
            timestamp = g.required("initial.timestamp", VigilConfig::instant);
        } else {
            timestamp = g.get("initial.timestamp", null, s -> {
                throw new IllegalArgumentException("only used with initial.position AT_TIMESTAMP");
            });
        }
        // Kept as a key so the message says why: the FLIP-27 source of 4.3.0 has only the polling reader.
        g.get("efo.consumer", null, s -> {
            throw new IllegalArgumentException("enhanced fan-out is not available: the Kinesis connector "
                    + "Vigil can use (4.3.0-1.19) reads by polling only; remove the key to poll");
        });
        String region = g.get("aws.region", arnRegion, s -> {
            if (!s.equals(arnRegion)) {
                throw new IllegalArgumentException("'" + s + "' differs from the region of stream.arn (" + arnRegion + ")");
            }
            return s;
        });
        String endpoint = g.get("aws.endpoint", null, VigilConfig::httpUrl);
        return new InputConfig.Kinesis(arn, position, timestamp, region, endpoint);
    }

    private static InputConfig.PubSub pubsub(ConfigGroup g, InputFormat format) {
        Function<String, String> name = s -> {
            if (!s.matches("[A-Za-z0-9][A-Za-z0-9._~%+-]*")) {
                throw new IllegalArgumentException("'" + s + "' is not a bare name (no projects/.../ path, no spaces)");
            }
            return s;
        };
        String project = g.required("project", name);
        String subscription = g.required("subscription", name);
        // Only the reference is kept and shown: the JSON itself is read when the source is built.
        String credentials = g.get("credentials", null, s -> {
            if (s.startsWith("secretsmanager:")) {
                io.vigil.delivery.SecretRef.parse(s); // checks the form; fetched on the task managers
            } else if (s.startsWith("env:")) {
                String var = s.substring(4);
                String v = System.getenv(var);
                if (var.isEmpty() || v == null || v.isBlank()) {
                    throw new IllegalArgumentException("environment variable '" + var + "' is not set");
                }
            } else if (!java.nio.file.Files.isRegularFile(java.nio.file.Paths.get(s))) {
                throw new IllegalArgumentException("no such file " + s + " (or use env:VAR or secretsmanager:ARN)");
            }
            return s;
        });
        String emulator = g.get("emulator.host", null, s -> {
            if (!s.matches("[A-Za-z0-9.-]+:\\d{1,5}")) {
                throw new IllegalArgumentException("'" + s + "' is not host:port");
            }
            if (credentials != null) {
                throw new IllegalArgumentException("an emulator takes no credentials; remove the 'credentials' key");
            }
            return s;
        });
        boolean hasIds = format == InputFormat.OPENLINEAGE;
        Duration ttl = g.get("dedup.ttl", hasIds ? "10m" : null, s -> {
            Duration d = Durations.parse(s);
            if (!hasIds && !d.isZero()) {
                throw new IllegalArgumentException("only openlineage run events carry an id to drop redeliveries by; "
                        + format.id() + " has none");
            }
            return d.isZero() ? null : d;
        });
        String secrets = g.get("secretsmanager.endpoint", null, s -> {
            if (credentials == null || !credentials.startsWith("secretsmanager:")) {
                throw new IllegalArgumentException("only used with credentials from secretsmanager:");
            }
            return httpUrl(s);
        });
        return new InputConfig.PubSub(project, subscription, credentials, emulator, ttl, secrets);
    }

    private static java.time.Instant instant(String s) {
        try {
            return java.time.Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + s + "' is not an ISO-8601 instant such as 2026-11-01T00:00:00Z");
        }
    }

    /** An http(s) URL with a host: endpoint overrides and link bases. */
    static String httpUrl(String s) {
        java.net.URI u;
        try {
            u = java.net.URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "' is not an http(s) URL");
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("'" + s + "' is not an http(s) URL");
        }
        return s;
    }

    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

    /** A byte count: {@code 1048576}, {@code 512KiB}, {@code 256MiB}, {@code 1GiB}; at least 1 KiB. */
    static long bytes(String s) {
        java.util.regex.Matcher m = BYTES.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a size; write e.g. 1048576, 512KiB, 256MiB, 1GiB");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = unit.equals("GiB") ? 30 : unit.equals("MiB") ? 20 : unit.equals("KiB") ? 10 : 0;
        long n = Long.parseLong(m.group(1));
        if (n > (Long.MAX_VALUE >> shift) || (n << shift) < 1024) {
            throw new IllegalArgumentException("'" + s + "' is out of range (1KiB or more)");
        }
        return n << shift;
    }

    static boolean bool(String s) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("'" + s + "' is not true or false");
    }

    static int positiveInt(String s) {
        int n = Integer.parseInt(s.trim());
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1, got " + n);
        }
        return n;
    }

    private static int port(String s) {
        int n = Integer.parseInt(s.trim());
        if (n < 0 || n > 65535) {
            throw new IllegalArgumentException("not a port: " + n);
        }
        return n;
    }

    private static double positiveDouble(String s) {
        double d = Double.parseDouble(s.trim());
        if (!(d > 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("must be a positive number, got " + s);
        }
        return d;
    }

    private static double ratio(String s) {
        double d = Double.parseDouble(s.trim());
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("must be between 0 and 1, got " + s);
        }
        return d;
    }

    /** A duration longer than zero, as checkpoint intervals and the like must be. */
    public static Duration positiveDuration(String s) {
        Duration d = Durations.parse(s);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be longer than 0");
        }
        return d;
    }
}
