package io.vigil.source;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.io.Serializable;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;

/** The built-in live source of {@code bin/vigil run}: synthetic records at a steady rate. */
public final class GeneratorInputs {
    private GeneratorInputs() {}

    public static Source<RawRecord, ?, ?> synthetic(
            String source, InputFormat format, double recordsPerSecond, double badRatio, long seed, boolean incidents) {
        LongSupplier clock = (LongSupplier & Serializable) System::currentTimeMillis;
        return new DataGeneratorSource<>(
                new SyntheticTelemetry(source, format, badRatio, seed, clock, incidents),
                Long.MAX_VALUE,
                RateLimiterStrategy.perSecond(recordsPerSecond),
                TypeInformation.of(RawRecord.class));
    }
}
