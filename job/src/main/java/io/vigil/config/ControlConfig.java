package io.vigil.config;

import io.vigil.source.control.S3Location;
import java.io.Serializable;
import java.time.Duration;

/** How rules and control locations are polled, and the S3 client settings for s3:// ones. */
public final class ControlConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final Duration pollInterval;
    /** Null: the default region chain's. */
    public final String awsRegion;
    /** Null: the region's endpoint. */
    public final String awsEndpoint;

    public ControlConfig(Duration pollInterval, String awsRegion, String awsEndpoint) {
        this.pollInterval = pollInterval;
        this.awsRegion = awsRegion;
        this.awsEndpoint = awsEndpoint;
    }

    /** {@code location} (s3://bucket/key) with this configuration's client settings. */
    public S3Location s3(String location) {
        return S3Location.parse(location, awsRegion, awsEndpoint);
    }
}
