package io.vigil.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Where a secret (a Slack webhook URL) comes from, as configured: {@code env:NAME} (an environment
 * variable of the task manager), {@code secretsmanager:ARN} or {@code secretsmanager:ARN#key} (AWS
 * Secrets Manager; {@code #key} picks a field of a JSON secret), or the value itself, from
 * properties ({@code literal:VALUE}, or any other string). The job graph carries only this
 * reference; the value is fetched on the task manager, and neither {@link #toString()} nor any
 * error message shows it.
 */
public final class SecretRef implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How the value is found. */
    public enum Kind {
        ENV,
        SECRETS_MANAGER,
        LITERAL
    }

    private final Kind kind;
    /** The variable name, the secret id, or the literal value. */
    private final String name;
    /** The JSON field of a Secrets Manager secret, or null for the whole secret string. */
    private final String jsonKey;

    private SecretRef(Kind kind, String name, String jsonKey) {
        this.kind = kind;
        this.name = name;
        this.jsonKey = jsonKey;
    }

    /** Reads a configured reference; an empty one is refused (without echoing it). */
    public static SecretRef parse(String spec) {
        if (spec == null || spec.trim().isEmpty()) {
            throw new IllegalArgumentException("empty secret reference");
        }
        String s = spec.trim();
        if (s.startsWith("env:")) {
            String var = s.substring(4);
            if (!var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("env: needs a variable name, e.g. env:SLACK_WEBHOOK_URL");
            }
            return new SecretRef(Kind.ENV, var, null);
        }
        if (s.startsWith("secretsmanager:")) {
            String id = s.substring("secretsmanager:".length());
            String key = null;
            int hash = id.indexOf('#');
            if (hash >= 0) {
                key = id.substring(hash + 1);
                id = id.substring(0, hash);
            }
            if (id.isEmpty() || (key != null && key.isEmpty())) {
                throw new IllegalArgumentException("secretsmanager: needs a secret ARN, e.g. secretsmanager:arn:aws:"
                        + "secretsmanager:eu-west-1:123456789012:secret:vigil/slack#url");
            }
            return new SecretRef(Kind.SECRETS_MANAGER, id, key);
        }
        if (s.startsWith("literal:")) {
            return new SecretRef(Kind.LITERAL, s.substring("literal:".length()), null);
        }
        return new SecretRef(Kind.LITERAL, s, null);
    }

    public static SecretRef env(String variable) {
        return parse("env:" + variable);
    }

    public static SecretRef literal(String value) {
        return new SecretRef(Kind.LITERAL, value, null);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The region of a Secrets Manager ARN ({@code arn:aws:secretsmanager:REGION:...}); null for a
     * secret given by name (the SDK's default region then) and for other kinds.
     */
    public String region() {
        if (kind != Kind.SECRETS_MANAGER || !name.startsWith("arn:")) {
            return null;
        }
        String[] parts = name.split(":", 6);
        return parts.length > 3 && !parts[3].isEmpty() ? parts[3] : null;
    }

    /**
     * Fetches the value. {@code clients} gives the Secrets Manager client of a region (null: the
     * default region); it is only asked for secretsmanager references. Fails with a message that
     * names this reference, never the value.
     */
    public CompletableFuture<String> resolve(Function<String, SecretsManagerAsyncClient> clients) {
        switch (kind) {
            case LITERAL:
                return CompletableFuture.completedFuture(name);
            case ENV:
                String value = System.getenv(name);
                if (value == null || value.isEmpty()) {
                    return failed("environment variable " + name + " is not set");
                }
                return CompletableFuture.completedFuture(value);
            default:
                CompletableFuture<String> out = new CompletableFuture<>();
                try {
                    clients.apply(region())
                            .getSecretValue(GetSecretValueRequest.builder().secretId(name).build())
                            .whenComplete((r, e) -> {
                                if (e != null) {
                                    out.completeExceptionally(new IllegalStateException(this + ": " + describe(e)));
                                } else {
                                    try {
                                        out.complete(pick(r.secretString()));
                                    } catch (RuntimeException bad) {
                                        out.completeExceptionally(bad);
                                    }
                                }
                            });
                } catch (RuntimeException e) {
                    out.completeExceptionally(new IllegalStateException(this + ": " + describe(e)));
                }
                return out;
        }
    }

    /** The whole secret string, or the field {@link #jsonKey} of it. */
    private String pick(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalStateException(this + " has no secret string");
        }
        if (jsonKey == null) {
            return secret;
        }
        JsonNode field;
        try {
            field = MAPPER.readTree(secret).get(jsonKey);
        } catch (Exception e) {
            // the parser's message quotes the secret: say only what was wrong
            throw new IllegalStateException(this + " is not a JSON object");
        }
        if (field == null || !field.isTextual() || field.asText().isEmpty()) {
            throw new IllegalStateException(this + " has no string field '" + jsonKey + "'");
        }
        return field.asText();
    }

    /** An SDK failure in words that cannot hold the secret (it was never received). */
    private static String describe(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof AwsServiceException && ((AwsServiceException) t).awsErrorDetails() != null) {
            AwsServiceException a = (AwsServiceException) t;
            return a.awsErrorDetails().errorCode() + " (HTTP " + a.statusCode() + ")";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static CompletableFuture<String> failed(String message) {
        CompletableFuture<String> f = new CompletableFuture<>();
        f.completeExceptionally(new IllegalStateException(message));
        return f;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SecretRef)) {
            return false;
        }
        SecretRef r = (SecretRef) o;
        return kind == r.kind && name.equals(r.name) && java.util.Objects.equals(jsonKey, r.jsonKey);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, name, jsonKey);
    }

    /** The reference, never a value: {@code env:NAME}, {@code secretsmanager:ARN#key}, {@code literal:****}. */
    @Override
    public String toString() {
        switch (kind) {
            case ENV:
                return "env:" + name;
            case SECRETS_MANAGER:
                return "secretsmanager:" + name + (jsonKey == null ? "" : "#" + jsonKey);
            default:
                return "literal:****";
        }
    }
}
