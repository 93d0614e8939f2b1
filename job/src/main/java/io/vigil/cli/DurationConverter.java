package io.vigil.cli;

import io.vigil.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads an option's duration as the config does ({@code 500ms 30s 5m 2h 1d}); a bad one is a usage error. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
