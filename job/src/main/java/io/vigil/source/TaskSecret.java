package io.vigil.source;

import io.vigil.delivery.SecretRef;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClientBuilder;

/**
 * A secret an input needs (a token, a webhook secret), named by an {@code env:} or
 * {@code secretsmanager:} reference and fetched on the task manager: the job graph carries only
 * the reference, and messages name only the reference.
 */
public final class TaskSecret implements Serializable, io.vigil.parse.WebhookSecretSource {
    private static final long serialVersionUID = 1L;

    private final SecretRef ref;
    /** Secrets Manager endpoint override (tests, VPC endpoints), or null. */
    private final String endpoint;

    private TaskSecret(SecretRef ref, String endpoint) {
        this.ref = ref;
        this.endpoint = endpoint;
    }

    /**
     * The secret {@code spec} names: env:VAR or secretsmanager:ARN[#key]. A value written in the
     * config is refused: it would travel in the job graph.
     */
    public static TaskSecret of(String spec, String secretsManagerEndpoint) {
        String s = spec == null ? "" : spec.trim();
        if (!s.startsWith("env:") && !s.startsWith("secretsmanager:")) {
            throw new IllegalArgumentException("expected env:VAR or secretsmanager:ARN[#json-key]"
                    + " (a value written in the config would travel in the job graph)");
        }
        return new TaskSecret(SecretRef.parse(s), secretsManagerEndpoint);
    }

    /** Fetches the value (each call fetches again); fails with a message naming the reference only. */
    public String fetch() throws java.io.IOException {
        if (ref.kind() == SecretRef.Kind.ENV) {
            return await(ref.resolve(region -> {
                throw new IllegalStateException("env: needs no Secrets Manager");
            }));
        }
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

    @Override
    public byte[] secret() throws java.io.IOException {
        return fetch().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private String await(java.util.concurrent.CompletableFuture<String> value) throws java.io.IOException {
        try {
            return value.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new java.io.IOException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new java.io.IOException(ref + " not fetched within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted fetching " + ref);
        }
    }

    @Override
    public String toString() {
        return ref.toString();
    }
}
