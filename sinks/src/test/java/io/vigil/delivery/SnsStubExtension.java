package io.vigil.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * SNS on loopback: a WireMock server speaking the SNS Query protocol as the SDK uses it
 * (form-encoded {@code Action=Publish&...} in, {@code <PublishResponse>} or an
 * {@code <ErrorResponse>} out), and a reader of the Publish requests the real SDK sent. Use with
 * {@link AwsTestCredentials}.
 */
public class SnsStubExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    public static final String NS = "http://sns.amazonaws.com/doc/2010-03-31/";
    private final AnswersInTurn turns = new AnswersInTurn();
    private WireMockServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .extensions(turns));
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
        turns.script(List.of());
        answer(published("00000000-0000-0000-0000-000000000001"));
    }

    public URI endpoint() {
        return URI.create("http://localhost:" + server.port());
    }

    /** SNS's answer to a successful Publish. */
    public static ResponseDefinitionBuilder published(String messageId) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody("<PublishResponse xmlns=\"" + NS + "\"><PublishResult><MessageId>" + messageId
                        + "</MessageId></PublishResult><ResponseMetadata><RequestId>req-" + messageId
                        + "</RequestId></ResponseMetadata></PublishResponse>");
    }

    /** SNS's error answer, e.g. 400 Throttling "Rate exceeded" (how SNS throttles). */
    public static ResponseDefinitionBuilder error(int status, String type, String code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                .withBody("<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>" + type + "</Type><Code>" + code
                        + "</Code><Message>" + message + "</Message></Error><RequestId>req-err</RequestId></ErrorResponse>");
    }

    /** Every Publish gets this answer. */
    public void answer(ResponseDefinitionBuilder response) {
        server.stubFor(publish().willReturn(response));
    }

    /**
     * Publishes get these answers in turn, then the last for ever: one answer per request even when
     * two topics publish at once (WireMock's scenarios would give both the same step).
     */
    public void answerInTurn(ResponseDefinitionBuilder... responses) {
        List<ResponseDefinition> script = new ArrayList<>();
        for (ResponseDefinitionBuilder r : responses) {
            script.add(r.build());
        }
        turns.script(script);
        server.stubFor(publish().willReturn(aResponse().withTransformers(AnswersInTurn.NAME)));
    }

    /** Takes the next scripted answer atomically, per request. */
    private static final class AnswersInTurn implements ResponseDefinitionTransformerV2 {
        static final String NAME = "sns-answers-in-turn";
        private final AtomicInteger next = new AtomicInteger();
        private volatile List<ResponseDefinition> script = List.of();

        void script(List<ResponseDefinition> answers) {
            script = List.copyOf(answers);
            next.set(0);
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            List<ResponseDefinition> answers = script;
            if (answers.isEmpty()) {
                return event.getResponseDefinition();
            }
            return answers.get(Math.min(next.getAndIncrement(), answers.size() - 1));
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    private static MappingBuilder publish() {
        return post(urlPathEqualTo("/")).withRequestBody(containing("Action=Publish"));
    }

    /** The Publish requests received, oldest first, as their decoded form parameters. */
    public List<Map<String, String>> publishes() {
        List<Map<String, String>> out = new ArrayList<>();
        for (LoggedRequest r : server.findAll(postRequestedFor(urlPathEqualTo("/")))) {
            out.add(form(r.getBodyAsString()));
        }
        return out;
    }

    public static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    /**
     * One protocol's message of a decoded Publish sent with {@code MessageStructure=json}:
     * {@code default} (the alert JSON SQS and Lambda get), {@code email} or {@code email-json}.
     */
    public static String message(Map<String, String> publish, String protocol) {
        if (!"json".equals(publish.get("MessageStructure"))) {
            throw new AssertionError("not a per-protocol message: MessageStructure " + publish.get("MessageStructure"));
        }
        try {
            com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(publish.get("Message"));
            if (!m.has(protocol)) {
                throw new AssertionError("no " + protocol + " message in " + publish.get("Message"));
            }
            return m.get(protocol).asText();
        } catch (java.io.IOException e) {
            throw new AssertionError("the Message is not JSON: " + publish.get("Message"), e);
        }
    }

    /** The alert JSON of a decoded Publish: its {@code default} message. */
    public static String alertJson(Map<String, String> publish) {
        return message(publish, "default");
    }

    /** The message attributes of a decoded Publish: name to "DataType:StringValue". */
    public static Map<String, String> attributes(Map<String, String> publish) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 1; publish.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
            String p = "MessageAttributes.entry." + i;
            out.put(publish.get(p + ".Name"),
                    publish.get(p + ".Value.DataType") + ":" + publish.get(p + ".Value.StringValue"));
        }
        return out;
    }
}
