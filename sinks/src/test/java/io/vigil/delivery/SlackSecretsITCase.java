package io.vigil.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vigil.model.AlertEvent;
import io.vigil.model.Severity;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhook secrets as the Slack channel fetches them on the task manager: from a Secrets Manager
 * stand-in on loopback (the real SDK's JSON protocol), resolved on first use, fetched again after a
 * failure, and never quoted in an outcome.
 */
class SlackSecretsITCase {
    @RegisterExtension
    static final AwsTestCredentials CREDENTIALS = new AwsTestCredentials();

    @RegisterExtension
    static final SlackWebhookExtension SLACK = new SlackWebhookExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/slack-AbCdEf";
    private static final AlertEvent ALERT = SampleAlerts.firing("freshness", Severity.CRITICAL, "dataset s3://lake/orders");

    private static URI endpoint() {
        return URI.create("http://localhost:" + SLACK.server().port());
    }

    /** Secrets Manager's GetSecretValue answers with this secret string. */
    private static void secret(String secretString) throws Exception {
        String body = MAPPER.writeValueAsString(Map.of("ARN", ARN, "Name", "vigil/slack", "VersionId", "v1",
                "SecretString", secretString));
        SLACK.server().stubFor(post(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(body)));
    }

    private static List<LoggedRequest> secretRequests() {
        return SLACK.server().findAll(postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue")));
    }

    private static Outcome send(SlackChannel channel, String route) throws Exception {
        try (Channel.Connection c = channel.open()) {
            return c.send(route, ALERT).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWebhookFromAJsonSecretIsFetchedOnceAndUsed() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("from-secret");
        secret(MAPPER.writeValueAsString(Map.of("url", hook.url())));
        SlackChannel channel = SlackChannel.routes(SlackRoute.named("oncall", SecretRef.parse("secretsmanager:" + ARN + "#url")))
                .secretsManagerEndpoint(endpoint());
        try (Channel.Connection c = channel.open()) {
            assertThat(c.send("oncall", ALERT).get(30, TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.DELIVERED);
            assertThat(c.send("oncall", SampleAlerts.resolved(ALERT)).get(30, TimeUnit.SECONDS).kind())
                    .isEqualTo(Outcome.Kind.DELIVERED);
        }
        assertThat(hook.requests()).hasSize(2);
        assertThat(secretRequests()).as("resolved once per connection").hasSize(1);
        assertThat(MAPPER.readTree(secretRequests().get(0).getBodyAsString()).get("SecretId").asText()).isEqualTo(ARN);
    }

    @Test
    void aSecretThatCannotBeFetchedIsRetriedLaterAndNamesTheReferenceOnly() throws Exception {
        SlackWebhookExtension.Webhook hook = SLACK.webhook("later");
        SLACK.server().stubFor(post(urlPathEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}")));
        SlackChannel channel = SlackChannel.routes(SlackRoute.named("oncall", SecretRef.parse("secretsmanager:" + ARN)))
                .secretsManagerEndpoint(endpoint());
        try (Channel.Connection c = channel.open()) {
            Outcome missing = c.send("oncall", ALERT).get(30, TimeUnit.SECONDS);
            assertThat(missing.kind()).isEqualTo(Outcome.Kind.RETRYABLE);
            assertThat(missing.error()).isEqualTo("webhook of route oncall unavailable: secretsmanager:" + ARN
                    + ": ResourceNotFoundException (HTTP 400)");
            secret(hook.url());
            assertThat(c.send("oncall", ALERT).get(30, TimeUnit.SECONDS).kind()).as("a failure is not cached")
                    .isEqualTo(Outcome.Kind.DELIVERED);
        }
        assertThat(hook.requests()).hasSize(1);
    }

    @Test
    void aSecretWithoutTheFieldOrWithAnUnsafeUrlIsNeverQuoted() throws Exception {
        secret("{\"webhook\":\"https://hooks.slack.com/services/T/B/LEAKED\"}");
        Outcome noField = send(SlackChannel.routes(SlackRoute.named("oncall",
                SecretRef.parse("secretsmanager:" + ARN + "#url"))).secretsManagerEndpoint(endpoint()), "oncall");
        assertThat(noField.kind()).isEqualTo(Outcome.Kind.RETRYABLE);
        assertThat(noField.error()).contains("has no string field 'url'").doesNotContain("LEAKED");

        Outcome plainHttp = send(SlackChannel.routes(SlackRoute.named("oncall",
                SecretRef.literal("http://hooks.example.com/services/T/B/LEAKED"))), "oncall");
        assertThat(plainHttp.kind()).isEqualTo(Outcome.Kind.REJECTED);
        assertThat(plainHttp.error()).isEqualTo("webhook of route oncall (literal:****) is not an https URL");

        Outcome notAUrl = send(SlackChannel.routes(SlackRoute.named("oncall", SecretRef.literal("https://ex ample/LEAKED"))),
                "oncall");
        assertThat(notAUrl.kind()).isEqualTo(Outcome.Kind.REJECTED);
        assertThat(notAUrl.error()).doesNotContain("LEAKED");
    }
}
