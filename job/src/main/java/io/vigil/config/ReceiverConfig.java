package io.vigil.config;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * The {@code receiver} group: the local HTTP endpoint of {@code bin/vigil run} for OpenLineage
 * events and GitHub webhooks. Secrets are kept as references ({@code env:VAR}, or the value as a
 * property); {@link #toString()} never shows them.
 */
public final class ReceiverConfig {
    public static final String GROUP = "receiver";
    /** Spool subdirectories the two endpoints write to; a watched file input reads each. */
    public static final String LINEAGE_DIR = "openlineage";
    public static final String GITHUB_DIR = "github";

    public final String bind;
    public final int port;
    /** Reference to the bearer token; null: no token asked for. */
    public final String token;
    /** Reference to the GitHub webhook secret; null: the GitHub endpoint is off. */
    public final String githubSecret;
    public final String spoolDir;
    public final long maxBody;
    public final long rollBytes;
    public final Duration rollInterval;

    ReceiverConfig(String bind, int port, String token, String githubSecret, String spoolDir, long maxBody,
            long rollBytes, Duration rollInterval) {
        this.bind = bind;
        this.port = port;
        this.token = token;
        this.githubSecret = githubSecret;
        this.spoolDir = spoolDir;
        this.maxBody = maxBody;
        this.rollBytes = rollBytes;
        this.rollInterval = rollInterval;
    }

    public Path lineageSpool() {
        return Paths.get(spoolDir, LINEAGE_DIR);
    }

    public Path githubSpool() {
        return Paths.get(spoolDir, GITHUB_DIR);
    }

    /** A secret reference as it may be shown: the variable of env:VAR, else a mask. */
    static String shown(String ref) {
        if (ref == null) {
            return "none";
        }
        return ref.startsWith("env:") || ref.startsWith("secretsmanager:") ? ref : Redaction.MASK;
    }

    @Override
    public String toString() {
        return "http://" + bind + ":" + port + " (POST /api/v1/lineage -> " + lineageSpool() + ", token " + shown(token)
                + (githubSecret == null ? "; GitHub off" : "; POST /api/v1/github -> " + githubSpool()
                        + ", secret " + shown(githubSecret))
                + "; bodies up to " + maxBody + " bytes; spool files closed every "
                + Durations.format(rollInterval.toMillis()) + " or " + rollBytes + " bytes)";
    }
}
