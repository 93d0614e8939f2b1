package io.vigil.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Slack incoming webhooks on loopback: a WireMock server on a free port, started once per test
 * class and emptied before each test. Each webhook has its own secret path, as Slack's do
 * ({@code /services/T…/B…/token}); tests make it answer as Slack does.
 */
public class SlackWebhookExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private static final java.util.regex.Pattern ALERT_ID = java.util.regex.Pattern.compile("alert ([0-9a-f]{16,})");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private WireMockServer server;
    private final List<String> secrets = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(20));
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.resetAll();
    }

    /** A new webhook that answers 200 "ok" until told otherwise. */
    public Webhook webhook(String name) {
        String token = name + "-" + UUID.randomUUID().toString().replace("-", "");
        Webhook w = new Webhook("/services/T0VIGIL/B0" + name.toUpperCase() + "/" + token, token);
        secrets.add(w.url());
        secrets.add(token);
        w.answer(aResponse().withStatus(200).withBody("ok"));
        return w;
    }

    /** Every webhook URL and token handed out: none may appear in records or logs. */
    public List<String> secrets() {
        return secrets;
    }

    public WireMockServer server() {
        return server;
    }

    /** One webhook: its URL (the secret), what it answers, and what it received. */
    public final class Webhook {
        private final String path;
        private final String token;

        Webhook(String path, String token) {
            this.path = path;
            this.token = token;
        }

        public String url() {
            return "http://localhost:" + server.port() + path;
        }

        public String token() {
            return token;
        }

        public SecretRef ref() {
            return SecretRef.literal(url());
        }

        /** From now on, every request gets this answer. */
        public Webhook answer(ResponseDefinitionBuilder response) {
            server.stubFor(post(urlPathEqualTo(path)).willReturn(response));
            return this;
        }

        /** Answers these in turn, then the last one for ever. */
        public Webhook answerInTurn(ResponseDefinitionBuilder... responses) {
            String scenario = "scenario-" + token;
            for (int i = 0; i < responses.length; i++) {
                ScenarioMappingBuilder m = post(urlPathEqualTo(path)).inScenario(scenario)
                        .whenScenarioStateIs(i == 0 ? com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED : "step-" + i);
                if (i < responses.length - 1) {
                    m = m.willSetStateTo("step-" + (i + 1));
                }
                server.stubFor(m.willReturn(responses[i]));
            }
            return this;
        }

        /**
         * The distinct state changes received, as "ALERT_ID firing|resolved", read from each Block
         * Kit body (its context line names the alert); a retried request may have arrived twice.
         */
        public java.util.Set<String> alertStates() throws java.io.IOException {
            java.util.Set<String> got = new java.util.TreeSet<>();
            for (LoggedRequest r : requests()) {
                String body = r.getBodyAsString();
                java.util.regex.Matcher m = ALERT_ID.matcher(body);
                if (!m.find()) {
                    throw new AssertionError("no alert id in " + body);
                }
                String text = JSON.readTree(body).get("text").asText();
                got.add(m.group(1) + " " + (text.startsWith("[RESOLVED]") ? "resolved" : "firing"));
            }
            return got;
        }

        /** Requests received, oldest first. */
        public List<LoggedRequest> requests() {
            return server.findAll(postRequestedFor(urlPathEqualTo(path)));
        }
    }
}
