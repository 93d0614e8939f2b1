package io.vigil.config;

import io.vigil.model.InputFormat;
import io.vigil.parse.EventTimePolicy;
import java.time.Duration;
import java.time.Instant;

/** One validated {@code input.<name>} group. */
public class InputConfig {
    /** Where an input's records come from. */
    public enum Type {
        GENERATOR,
        FILE,
        KINESIS,
        PUBSUB,
        /** Metric pollers: Prometheus (range queries, scrapes), CloudWatch, Cloud Monitoring. */
        PROMETHEUS,
        CLOUDWATCH,
        CLOUD_MONITORING,
        /** The Databricks Clusters API events of configured clusters. */
        DATABRICKS_EVENTS;

        public boolean polls() {
            return this == PROMETHEUS || this == CLOUDWATCH || this == CLOUD_MONITORING || this == DATABRICKS_EVENTS;
        }
    }

    public final String name;
    public final Type type;
    public final InputFormat format;
    /** FILE: the file or directory. */
    public final String path;
    /** FILE: how often a watched directory is checked for new files; null: read once (replay). */
    public final Duration watch;
    /** GENERATOR: records per second. */
    public final double rate;
    /** GENERATOR: share of deliberately broken records. */
    public final double badRatio;
    public final long seed;
    /** GENERATOR: inject incidents on a 5-minute cycle. */
    public final boolean incidents;
    public final EventTimePolicy eventTime;
    /** KINESIS only, else null. */
    public final Kinesis kinesis;
    /** PUBSUB only, else null. */
    public final PubSub pubsub;
    /** The metric pollers only, else null. */
    public final Poll poll;
    /** GITHUB_ACTIONS format: the webhook secret's env: or secretsmanager: reference, or null (no check). */
    public final String githubSecret;

    InputConfig(String name, Type type, InputFormat format, String path, double rate, double badRatio,
            long seed, boolean incidents, Duration outOfOrderness, Duration idleness, Kinesis kinesis, PubSub pubsub,
            Duration watch) {
        this(name, type, format, path, rate, badRatio, seed, incidents,
                new EventTimePolicy(outOfOrderness, idleness), kinesis, pubsub, watch, null, null);
    }

    private InputConfig(String name, Type type, InputFormat format, String path, double rate, double badRatio,
            long seed, boolean incidents, EventTimePolicy eventTime, Kinesis kinesis, PubSub pubsub, Duration watch,
            Poll poll, String githubSecret) {
        this.name = name;
        this.githubSecret = githubSecret;
        this.watch = watch;
        this.type = type;
        this.format = format;
        this.path = path;
        this.rate = rate;
        this.badRatio = badRatio;
        this.seed = seed;
        this.incidents = incidents;
        this.eventTime = eventTime;
        this.kinesis = kinesis;
        this.pubsub = pubsub;
        this.poll = poll;
    }

    /** This input with the event-time.max-ahead and event-time.confirm-records keys applied. */
    InputConfig withFutureBound(Duration maxAhead, int confirmRecords) {
        return new InputConfig(name, type, format, path, rate, badRatio, seed, incidents,
                eventTime.withFutureBound(maxAhead, confirmRecords), kinesis, pubsub, watch, poll, githubSecret);
    }

    /** This input with its poller keys. */
    InputConfig withPoll(Poll p) {
        return new InputConfig(name, type, format, path, rate, badRatio, seed, incidents, eventTime, kinesis, pubsub, watch, p,
                githubSecret);
    }

    /** This input with its github.secret key. */
    InputConfig withGitHubSecret(String ref) {
        return new InputConfig(name, type, format, path, rate, badRatio, seed, incidents, eventTime, kinesis, pubsub, watch, poll,
                ref);
    }

    /** The keys of a poller input ({@code type: prometheus, cloudwatch, cloud-monitoring, databricks-events}). */
    public static final class Poll {
        /** Query name to query (PromQL; CloudWatch metric spec; Cloud Monitoring filter), in config order. */
        public final java.util.Map<String, String> queries;
        /** PROMETHEUS: the server the queries go to, else null. */
        public final String url;
        /** PROMETHEUS: /metrics endpoints scraped once per step. */
        public final java.util.List<String> scrapeUrls;
        public final Duration step;
        public final Duration delay;
        public final Duration lookback;
        public final int maxPeriods;
        public final int retryAttempts;
        public final Duration retryBackoff;
        public final Duration retryMaxBackoff;
        public final Duration timeout;
        /** CLOUDWATCH: the region; null otherwise. */
        public final String region;
        /** CLOUDWATCH, CLOUD_MONITORING: endpoint override (tests), or null. */
        public final String endpoint;
        /** CLOUD_MONITORING: the project; null otherwise. */
        public final String project;
        /** CLOUD_MONITORING: service-account JSON reference (as pubsub's), or null for default credentials. */
        public final String credentials;
        /** CLOUD_MONITORING: the per-series aligner, e.g. ALIGN_MEAN; null otherwise. */
        public final String aligner;
        /** DATABRICKS_EVENTS: the cluster ids whose events are read; empty otherwise. */
        public final java.util.List<String> clusters;
        /** DATABRICKS_EVENTS: the bearer token's env: or secretsmanager: reference; null otherwise. */
        public final String token;
        /** DATABRICKS_EVENTS: events per page asked for (limit). */
        public final int pageSize;
        /** DATABRICKS_EVENTS: Secrets Manager endpoint override for the token, or null. */
        public final String secretsManagerEndpoint;

        Poll(java.util.Map<String, String> queries, String url, java.util.List<String> scrapeUrls, Duration step,
                Duration delay, Duration lookback, int maxPeriods, int retryAttempts, Duration retryBackoff,
                Duration retryMaxBackoff, Duration timeout, String region, String endpoint, String project,
                String credentials, String aligner, java.util.List<String> clusters, String token, int pageSize,
                String secretsManagerEndpoint) {
            this.aligner = aligner;
            this.clusters = java.util.List.copyOf(clusters);
            this.token = token;
            this.pageSize = pageSize;
            this.secretsManagerEndpoint = secretsManagerEndpoint;
            this.queries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(queries));
            this.url = url;
            this.scrapeUrls = java.util.List.copyOf(scrapeUrls);
            this.step = step;
            this.delay = delay;
            this.lookback = lookback;
            this.maxPeriods = maxPeriods;
            this.retryAttempts = retryAttempts;
            this.retryBackoff = retryBackoff;
            this.retryMaxBackoff = retryMaxBackoff;
            this.timeout = timeout;
            this.region = region;
            this.endpoint = endpoint;
            this.project = project;
            this.credentials = credentials;
        }
    }

    /** The keys of a {@code type: kinesis} input. */
    public static final class Kinesis {
        public final String streamArn;
        /** LATEST, TRIM_HORIZON or AT_TIMESTAMP. */
        public final String initialPosition;
        /** AT_TIMESTAMP only, else null. */
        public final Instant initialTimestamp;
        public final String region;
        /** Null: the region's public endpoint. */
        public final String endpoint;

        Kinesis(String streamArn, String initialPosition, Instant initialTimestamp, String region, String endpoint) {
            this.streamArn = streamArn;
            this.initialPosition = initialPosition;
            this.initialTimestamp = initialTimestamp;
            this.region = region;
            this.endpoint = endpoint;
        }
    }

    /** The keys of a {@code type: pubsub} input. */
    public static final class PubSub {
        public final String project;
        public final String subscription;
        /**
         * Where the service-account JSON is: a file path, {@code env:VAR} or
         * {@code secretsmanager:ARN[#key]}; null for the
         * environment's default credentials. The reference, never the secret itself.
         */
        public final String credentials;
        /** host:port of an emulator (tests), else null. */
        public final String emulatorHost;
        /** How long run-event ids are remembered to drop redeliveries; null: no de-duplication. */
        public final Duration dedupTtl;
        /** Secrets Manager endpoint override for secretsmanager: credentials, or null. */
        public final String secretsManagerEndpoint;

        PubSub(String project, String subscription, String credentials, String emulatorHost, Duration dedupTtl,
                String secretsManagerEndpoint) {
            this.secretsManagerEndpoint = secretsManagerEndpoint;
            this.project = project;
            this.subscription = subscription;
            this.credentials = credentials;
            this.emulatorHost = emulatorHost;
            this.dedupTtl = dedupTtl;
        }
    }
}
