package io.vigil.config;

import io.vigil.model.InputFormat;
import io.vigil.parse.EventTimePolicy;
import java.time.Duration;

/** One validated {@code input.<name>} group. */
public class InputConfig {
    /** Where an input's records come from. */
    public enum Type {
        GENERATOR,
        FILE
    }

    public final String name;
    public final Type type;
    public final InputFormat format;
    /** FILE: the file or directory. */
    public final String path;
    /** GENERATOR: records per second. */
    public final double rate;
    /** GENERATOR: share of deliberately broken records. */
    public final double badRatio;
    public final long seed;
    /** GENERATOR: inject incidents on a 5-minute cycle. */
    public final boolean incidents;
    public final EventTimePolicy eventTime;

    InputConfig(String name, Type type, InputFormat format, String path, double rate, double badRatio,
            long seed, boolean incidents, Duration outOfOrderness, Duration idleness) {
        this.name = name;
        this.type = type;
        this.format = format;
        this.path = path;
        this.rate = rate;
        this.badRatio = badRatio;
        this.seed = seed;
        this.incidents = incidents;
        this.eventTime = new EventTimePolicy(outOfOrderness, idleness);
    }
}
