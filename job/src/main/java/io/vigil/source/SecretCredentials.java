package io.vigil.source;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import io.vigil.delivery.SecretRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
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
 * Google credentials whose service-account key is read on first use on the task manager: from a
 * Secrets Manager secret (with the application's role; the way on Managed Flink, which has no
 * files or environment variables to hold the key otherwise), an environment variable of the task
 * manager, or a file there. The job graph and every message carry only the reference
 * ({@code secretsmanager:ARN[#key]}, {@code env:NAME}, the path), never the key.
 */
public final class SecretCredentials extends Credentials {
    private static final long serialVersionUID = 1L;

    /** Where the key is: a secretsmanager: or env: reference; null for a file. */
    private final SecretRef ref;
    /** The key file's path on the task manager; null for a reference. */
    private final String file;
    private final String scope;
    /** Secrets Manager endpoint override (tests, VPC endpoints), or null. */
    private final String endpoint;
    private transient volatile GoogleCredentials delegate;

    SecretCredentials(SecretRef ref, String scope, String endpoint) {
        this(ref, null, scope, endpoint);
    }

    private SecretCredentials(SecretRef ref, String file, String scope, String endpoint) {
        this.ref = ref;
        this.file = file;
        this.scope = scope;
        this.endpoint = endpoint;
    }

    /**
     * The credentials configured as {@code spec}: {@code secretsmanager:ARN[#key]}, {@code env:NAME}
     * or a file path; nothing is read until first use.
     */
    public static SecretCredentials of(String spec, String scope, String secretsManagerEndpoint) {
        if (spec.startsWith("secretsmanager:") || spec.startsWith("env:")) {
            return new SecretCredentials(SecretRef.parse(spec), null, scope, secretsManagerEndpoint);
        }
        return new SecretCredentials(null, spec, scope, null);
    }

    /** How messages name the key's place. */
    private String where() {
        return ref != null ? ref.toString() : file;
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
        String json;
        if (file != null) {
            try {
                json = new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("credentials: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        } else if (ref.kind() == SecretRef.Kind.ENV) {
            json = await(ref.resolve(region -> {
                throw new IllegalStateException("env: needs no Secrets Manager");
            }));
        } else {
            json = fromSecretsManager();
        }
        try {
            return GoogleCredentials.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
                    .createScoped(scope);
        } catch (IOException | RuntimeException e) {
            // the parser's message may quote the JSON: say only where it came from
            throw new IOException("credentials from " + where() + " are not a service-account JSON key");
        }
    }

    private String fromSecretsManager() throws IOException {
        SecretsManagerAsyncClientBuilder b = SecretsManagerAsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)));
        if (ref.region() != null) {
            b.region(Region.of(ref.region()));
        }
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
        }
        try (SecretsManagerAsyncClient client = b.build()) {
            return await(ref.resolve(region -> client));
        }
    }

    private String await(java.util.concurrent.CompletableFuture<String> value) throws IOException {
        try {
            return value.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // SecretRef's messages name the reference only
            throw new IOException("credentials: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IOException("credentials: " + ref + " not fetched within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("credentials: interrupted fetching " + ref);
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
        return "service-account key from " + where();
    }
}
