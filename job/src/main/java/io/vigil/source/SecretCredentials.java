package io.vigil.source;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import io.vigil.delivery.SecretRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClientBuilder;

/**
 * Google credentials whose service-account key is a Secrets Manager secret, fetched on first use
 * on the task manager (with the application's role). The job graph and every message carry only
 * the reference ({@code secretsmanager:ARN[#key]}); Managed Flink has no files or environment
 * variables to hold the key otherwise.
 */
final class SecretCredentials extends Credentials {
    private static final long serialVersionUID = 1L;

    private final SecretRef ref;
    private final String scope;
    /** Secrets Manager endpoint override (tests, VPC endpoints), or null. */
    private final String endpoint;
    private transient volatile GoogleCredentials delegate;

    SecretCredentials(SecretRef ref, String scope, String endpoint) {
        this.ref = ref;
        this.scope = scope;
        this.endpoint = endpoint;
    }

    private GoogleCredentials delegate() throws IOException {
        GoogleCredentials d = delegate;
        if (d == null) {
            synchronized (this) {
                if (delegate == null) {
                    delegate = fetch();
                }
                d = delegate;
            }
        }
        return d;
    }

    private GoogleCredentials fetch() throws IOException {
        SecretsManagerAsyncClientBuilder b = SecretsManagerAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)));
        if (ref.region() != null) {
            b.region(Region.of(ref.region()));
        }
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        String json;
        try (SecretsManagerAsyncClient client = b.build()) {
            json = ref.resolve(region -> client).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // SecretRef's messages name the reference only
            throw new IOException("credentials: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IOException("credentials: " + ref + " not fetched within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("credentials: interrupted fetching " + ref);
        }
        try {
            return GoogleCredentials.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
                    .createScoped(scope);
        } catch (IOException | RuntimeException e) {
            // the parser's message may quote the JSON: say only where it came from
            throw new IOException("credentials from " + ref + " are not a service-account JSON key");
        }
    }

    @Override
    public String getAuthenticationType() {
        return "OAuth2";
    }

    @Override
    public Map<String, List<String>> getRequestMetadata(URI uri) throws IOException {
        return delegate().getRequestMetadata(uri);
    }

    @Override
    public boolean hasRequestMetadata() {
        return true;
    }

    @Override
    public boolean hasRequestMetadataOnly() {
        return true;
    }

    @Override
    public void refresh() throws IOException {
        delegate().refresh();
    }

    @Override
    public String toString() {
        return "service-account key from " + ref;
    }
}
