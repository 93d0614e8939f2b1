package io.vigil.delivery;

import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClientBuilder;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Amazon SNS: one topic per severity (a severity without a topic is not sent to SNS), published
 * with the SDK's async client (see {@link SnsMessage} for the request). The SDK's own retries are
 * off, so every request is one attempt the delivery operator counts, backs off and records;
 * throttling ({@code Throttling}, {@code ThrottledException}, HTTP 429), 5xx and timeouts are
 * retried, other refusals are rejections. Each topic's region is the one in its ARN; credentials
 * come from the SDK's default chain (the application's role on Managed Flink).
 */
public final class SnsChannel implements Channel {
    private static final long serialVersionUID = 1L;
    private static final Set<String> THROTTLING = new HashSet<>(Arrays.asList("Throttling", "ThrottledException",
            "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "KMSThrottlingException"));

    private final EnumMap<Severity, String> topics = new EnumMap<>(Severity.class);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration minInterval = Duration.ZERO;
    private URI endpointOverride;
    private String timezone = "UTC";
    private Grouping grouping = Grouping.NONE;
    private java.time.LocalTime digestAt;

    private SnsChannel(Map<Severity, String> topics) {
        for (Map.Entry<Severity, String> t : topics.entrySet()) {
            String arn = t.getValue();
            if (arn == null || !arn.startsWith("arn:") || arn.split(":", -1).length != 6) {
                throw new IllegalArgumentException("the SNS topic of " + t.getKey().wire()
                        + " is not a topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME): " + arn);
            }
            this.topics.put(t.getKey(), arn);
        }
        if (this.topics.isEmpty()) {
            throw new IllegalArgumentException("an SNS channel needs a topic for at least one severity");
        }
    }

    /** The topic ARN of each severity that goes to SNS. */
    public static SnsChannel topics(Map<Severity, String> topicArnBySeverity) {
        return new SnsChannel(topicArnBySeverity);
    }

    /** One topic for every severity. */
    public static SnsChannel topic(String topicArn) {
        Map<Severity, String> all = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            all.put(s, topicArn);
        }
        return new SnsChannel(all);
    }

    /** How long one Publish may take, connection included, before it counts as a timeout. */
    public SnsChannel requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    /** The least time between two publishes to one topic; none by default (SNS takes thousands a second). */
    public SnsChannel minInterval(Duration interval) {
        this.minInterval = interval;
        return this;
    }

    /** Where SNS is reached instead of AWS (a stand-in in tests). */
    public SnsChannel endpointOverride(URI endpoint) {
        this.endpointOverride = endpoint;
        return this;
    }

    /** The zone the e-mail text shows times in; UTC unless set. */
    public SnsChannel timezone(java.time.ZoneId zone) {
        this.timezone = zone.getId();
        return this;
    }

    /** How alerts are grouped into notifications, per topic; {@link Grouping#NONE} unless set. */
    public SnsChannel grouping(Grouping g) {
        this.grouping = java.util.Objects.requireNonNull(g, "grouping");
        return this;
    }

    @Override
    public Grouping grouping(String route) {
        return grouping;
    }

    /** Sends each topic a daily digest at this local time in the channel's time zone. */
    public SnsChannel digestAt(java.time.LocalTime at) {
        this.digestAt = at;
        return this;
    }

    @Override
    public List<String> routeNames() {
        return new java.util.ArrayList<>(new java.util.TreeSet<>(topics.values()));
    }

    @Override
    public DigestSchedule digest(String route) {
        return digestAt == null || !topics.containsValue(route) ? null
                : DigestSchedule.daily(digestAt, java.time.ZoneId.of(timezone));
    }

    public Map<Severity, String> topicMap() {
        return Collections.unmodifiableMap(topics);
    }

    @Override
    public String sink() {
        return "sns";
    }

    @Override
    public List<String> routes(AlertEvent alert) {
        String arn = topics.get(alert.severity);
        return arn == null ? Collections.emptyList() : Collections.singletonList(arn);
    }

    @Override
    public Connection open() {
        return new Live(this);
    }

    @Override
    public String toString() {
        return "sns " + topics + (grouping.groups() ? ", " + grouping : "");
    }

    /** The topic's region, from its ARN ({@code arn:aws:sns:REGION:ACCOUNT:NAME}). */
    static String region(String topicArn) {
        return topicArn.split(":", -1)[3];
    }

    /** One async client per region, made on first use. */
    private static final class Live implements Connection {
        private final SnsChannel config;
        private final Map<String, SnsAsyncClient> clients = new ConcurrentHashMap<>();
        /**
         * The default chain, refreshing in the background: the SDK resolves credentials on the
         * calling thread, which here is the task thread, so an expiring role's refresh must not
         * happen there.
         */
        private final DefaultCredentialsProvider credentials =
                DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(true).build();

        Live(SnsChannel config) {
            this.config = config;
        }

        @Override
        public String lane(String route) {
            return route;
        }

        @Override
        public long minIntervalMillis() {
            return config.minInterval.toMillis();
        }

        @Override
        public CompletableFuture<Outcome> send(String route, Notification notification) {
            PublishRequest request;
            SnsAsyncClient client;
            try {
                request = SnsMessage.publish(route, notification, java.time.ZoneId.of(config.timezone));
                client = client(region(route));
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(Outcome.retryable(null, describe(e)));
            }
            try {
                return client.publish(request).handle((response, err) -> err == null
                        ? Outcome.delivered(response.sdkHttpResponse().statusCode(), response.messageId())
                        : judge(err));
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(judge(e));
            }
        }

        private Outcome judge(Throwable err) {
            Throwable t = err;
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof AwsServiceException) {
                AwsServiceException e = (AwsServiceException) t;
                int status = e.statusCode();
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
                String error = (code == null ? "HTTP " + status : code) + (message == null ? "" : ": " + message);
                if (status == 429 || status >= 500 || THROTTLING.contains(code) || e.isThrottlingException()) {
                    return Outcome.retryable(status, error);
                }
                return Outcome.rejected(status, error);
            }
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
                return Outcome.retryable(null, "timed out after " + config.requestTimeout.toMillis() + " ms");
            }
            return Outcome.retryable(null, describe(t));
        }

        private static String describe(Throwable t) {
            return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }

        private SnsAsyncClient client(String region) {
            return clients.computeIfAbsent(region, r -> {
                SnsAsyncClientBuilder b = SnsAsyncClient.builder()
                        .region(Region.of(r))
                        .credentialsProvider(credentials)
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                                .connectionTimeout(config.requestTimeout))
                        .overrideConfiguration(o -> o
                                // every request is an attempt the operator counts: the SDK must not retry
                                .retryStrategy(AwsRetryStrategy.doNotRetry())
                                .apiCallTimeout(config.requestTimeout));
                if (config.endpointOverride != null) {
                    b.endpointOverride(config.endpointOverride);
                }
                return b.build();
            });
        }

        @Override
        public void close() {
            for (SnsAsyncClient c : clients.values()) {
                c.close();
            }
            clients.clear();
            credentials.close();
        }
    }
}
