package io.vigil.source;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.vigil.delivery.AwsTestCredentials;
import io.vigil.delivery.SecretRef;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pub/Sub credentials from Secrets Manager (the way on Managed Flink), against a loopback
 * stand-in for both Secrets Manager (GetSecretValue) and Google's OAuth token endpoint (the
 * service-account key's token_uri): fetched on first use only, exchanged for a token, never in the
 * serialized job graph or a message.
 */
class PubSubSecretCredentialsITCase {
    @RegisterExtension
    static final AwsTestCredentials AWS = new AwsTestCredentials();

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/pubsub-AbCdEf";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WireMockServer server;
    private static String privateKey;

    @BeforeAll
    static void start() throws Exception {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        privateKey = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
        server.stubFor(post(urlPathEqualTo("/token")).withRequestBody(containing("grant_type=urn"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"ya29.vigil-test\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
    }

    private static String serviceAccountKey() throws Exception {
        return JSON.writeValueAsString(Map.of("type", "service_account", "project_id", "analytics-prod",
                "private_key_id", "k1", "private_key", privateKey, "client_email", "vigil@analytics-prod.iam.gserviceaccount.com",
                "client_id", "1", "token_uri", "http://127.0.0.1:" + server.port() + "/token"));
    }

    private static void secret(String secretString) throws Exception {
        server.stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(JSON.writeValueAsString(Map.of("ARN", ARN, "Name", "vigil/pubsub", "SecretString", secretString)))));
    }

    private static int secretRequests() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))).size();
    }

    private static SecretCredentials credentials(String ref) {
        return new SecretCredentials(SecretRef.parse(ref), "https://www.googleapis.com/auth/pubsub",
                "http://127.0.0.1:" + server.port());
    }

    @Test
    void theKeyIsFetchedOnFirstUseOnlyAndExchangedForAToken() throws Exception {
        secret(JSON.writeValueAsString(Map.of("key", serviceAccountKey())));
        SecretCredentials c = credentials("secretsmanager:" + ARN + "#key");

        // built on the job manager and shipped in the job graph: no request, and only the reference
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        assertThat(secretRequests()).isZero();
        String shipped = bytes.toString(StandardCharsets.ISO_8859_1);
        assertThat(shipped).contains(ARN).doesNotContain("PRIVATE KEY").doesNotContain(privateKey.substring(40, 80));

        Map<String, List<String>> headers = c.getRequestMetadata(URI.create("https://pubsub.googleapis.com/"));
        assertThat(headers.get("Authorization")).containsExactly("Bearer ya29.vigil-test");
        c.getRequestMetadata(URI.create("https://pubsub.googleapis.com/"));
        assertThat(secretRequests()).as("fetched once, then kept").isEqualTo(1);
        assertThat(server.findAll(postRequestedFor(urlPathEqualTo("/token")))).hasSize(1);
        assertThat(c.toString()).isEqualTo("service-account key from secretsmanager:" + ARN + "#key");
    }

    @Test
    void aKeyFileIsReadOnTheTaskManagerNeverSerializedIntoTheJobGraph() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("vigil-sa", ".json");
        try {
            java.nio.file.Files.writeString(file, serviceAccountKey());
            // the source as the client builds it and Flink ships it in the job graph
            org.apache.flink.streaming.connectors.gcp.pubsub.PubSubSource<?> source = PubSubInputs.subscription("lineage",
                    io.vigil.model.InputFormat.OPENLINEAGE, "analytics-prod", "vigil-lineage", file.toString(), null);
            byte[] graph = org.apache.flink.util.InstantiationUtil.serializeObject(source);
            String shipped = new String(graph, StandardCharsets.ISO_8859_1);
            assertThat(shipped).contains(file.toString()).doesNotContain("PRIVATE KEY")
                    .doesNotContain(privateKey.substring(40, 80)).doesNotContain("vigil@analytics-prod");

            SecretCredentials c = SecretCredentials.of(file.toString(), "https://www.googleapis.com/auth/pubsub", null);
            byte[] credentials = org.apache.flink.util.InstantiationUtil.serializeObject(c);
            assertThat(new String(credentials, StandardCharsets.ISO_8859_1)).doesNotContain(privateKey.substring(40, 80));
            // on the task manager: read on first use and exchanged for a token
            SecretCredentials shippedCredentials = org.apache.flink.util.InstantiationUtil.deserializeObject(credentials,
                    getClass().getClassLoader());
            Map<String, List<String>> headers = shippedCredentials.getRequestMetadata(URI.create("https://pubsub.googleapis.com/"));
            assertThat(headers.get("Authorization")).containsExactly("Bearer ya29.vigil-test");
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void anEnvironmentVariableIsReadOnTheTaskManagerAndItsValueNeverEchoed() throws Exception {
        // HOME is set everywhere and is no key: building must not read it, first use must fail
        // naming the variable, never its value
        String home = System.getenv("HOME");
        assertThat(home).isNotBlank();
        org.apache.flink.streaming.connectors.gcp.pubsub.PubSubSource<?> source = PubSubInputs.subscription("lineage",
                io.vigil.model.InputFormat.OPENLINEAGE, "analytics-prod", "vigil-lineage", "env:HOME", null);
        assertThat(org.apache.flink.util.InstantiationUtil.serializeObject(source)).isNotEmpty();
        SecretCredentials c = SecretCredentials.of("env:HOME", "https://www.googleapis.com/auth/pubsub", null);
        assertThat(c.toString()).isEqualTo("service-account key from env:HOME");
        assertThatThrownBy(() -> c.getRequestMetadata(URI.create("https://pubsub.googleapis.com/")))
                .hasMessage("credentials from env:HOME are not a service-account JSON key");
        SecretCredentials unset = SecretCredentials.of("env:VIGIL_NO_SUCH_VARIABLE", "https://www.googleapis.com/auth/pubsub", null);
        assertThatThrownBy(() -> unset.getRequestMetadata(URI.create("https://pubsub.googleapis.com/")))
                .hasMessageContaining("environment variable VIGIL_NO_SUCH_VARIABLE is not set");
    }

    @Test
    void aSecretThatIsNoKeyFailsNamingTheReferenceNeverTheContent() throws Exception {
        secret("{\"type\":\"service_account\",\"private_key\":\"SECRET-KEY-MATERIAL\"}");
        SecretCredentials c = credentials("secretsmanager:" + ARN);
        assertThatThrownBy(() -> c.getRequestMetadata(URI.create("https://pubsub.googleapis.com/")))
                .hasMessage("credentials from secretsmanager:" + ARN + " are not a service-account JSON key")
                .hasMessageNotContaining("SECRET-KEY-MATERIAL");
    }
}
