package io.vigil.source.control;

import java.io.Serializable;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * An {@code s3://bucket/key} (an object) or {@code s3://bucket/prefix/} (a control location), with
 * what its client needs: credentials come from the default chain, the region from the default
 * chain (us-east-1 if none) unless set, the endpoint from an override (tests, VPC endpoints).
 */
public final class S3Location implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String SCHEME = "s3://";

    public final String bucket;
    /** The object's key, or the prefix (empty, or ending in /). */
    public final String key;
    public final String region;
    public final String endpoint;

    private S3Location(String bucket, String key, String region, String endpoint) {
        this.bucket = bucket;
        this.key = key;
        this.region = region;
        this.endpoint = endpoint;
    }

    public static boolean isS3(String location) {
        return location != null && location.startsWith(SCHEME);
    }

    /** {@code s3://bucket/key}; {@code region} and {@code endpoint} may be null. */
    public static S3Location parse(String location, String region, String endpoint) {
        if (!isS3(location)) {
            throw new IllegalArgumentException("'" + location + "' is not an s3://bucket/key location");
        }
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,62}")) {
            throw new IllegalArgumentException("'" + location + "': '" + bucket + "' is not an S3 bucket name");
        }
        if (endpoint != null) {
            URI.create(endpoint);
        }
        return new S3Location(bucket, key, region, endpoint);
    }

    /** This location as a prefix: the key with a trailing / (none for the whole bucket). */
    public S3Location asPrefix() {
        return key.isEmpty() || key.endsWith("/") ? this : new S3Location(bucket, key + "/", region, endpoint);
    }

    /** A location in the same bucket, with the same client settings. */
    public S3Location child(String name) {
        return new S3Location(bucket, asPrefix().key + name, region, endpoint);
    }

    public S3Client client() {
        S3ClientBuilder b = S3Client.builder()
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(ApacheHttpClient.builder())
                .region(Region.of(region != null ? region : defaultRegion()));
        if (endpoint != null) {
            // stand-ins and VPC endpoints answer on one host: bucket in the path
            b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return b.build();
    }

    private static String defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (RuntimeException none) {
            return "us-east-1";
        }
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
