package io.vigil.bench;

import io.vigil.config.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What the harness commands' options share: how counts and durations are read, and where outputs go. */
final class Options {
    private Options() {}

    /** A bad command line (a value out of range): the command prints its usage and exits 2. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** A count (0 or more), where {@code 2000000}, {@code 2,000,000}, {@code 2_000_000} and {@code 2M} (or {@code 500k}) are the same. */
    static final class Count implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            String s = v.replace(",", "").replace("_", "").toLowerCase(Locale.ROOT);
            long unit = 1;
            if (s.endsWith("k")) {
                unit = 1_000;
                s = s.substring(0, s.length() - 1);
            } else if (s.endsWith("m")) {
                unit = 1_000_000;
                s = s.substring(0, s.length() - 1);
            }
            try {
                long n = (long) (Double.parseDouble(s) * unit);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + v + "' is not a count (e.g. 2000000, 2M, 500k)");
            }
        }
    }

    /** A duration such as {@code 10s}, {@code 5m}, {@code 1h}, in ms. */
    static final class Millis implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            try {
                return Durations.parse(v).toMillis();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --out DIR}, {@code --keep} and {@code --help}: where every command's outputs go, whether they stay. */
    static final class Shared {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "print the options and exit")
        boolean help;

        @Option(names = "--out", paramLabel = "DIR", description = {"keep the outputs there; by default they go to a "
            + "temporary directory,", "deleted at the end unless --keep"})
        Path out;

        @Option(names = "--keep", description = "keep the temporary directory")
        boolean keep;

        /** The --out directory, or a new temporary one named {@code prefix...}. */
        Path dir(String prefix) throws java.io.IOException {
            return out != null ? out : Files.createTempDirectory(prefix);
        }

        /** Deletes the temporary directory unless --keep; an --out directory is the user's and stays. */
        void cleanUp(Path dir) throws java.io.IOException {
            if (out == null && !keep) {
                LocalRun.delete(dir);
            }
        }
    }
}
