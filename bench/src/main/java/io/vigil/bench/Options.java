package io.vigil.bench;

import io.vigil.config.Durations;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The {@code --name value} and {@code --flag} options of a harness command. */
final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final Set<String> used = new HashSet<>();

    /**
     * @param flagNames the options that take no value
     * @throws Invalid on an argument that is not an option, or a value missing
     */
    Options(String[] args, String... flagNames) {
        Set<String> known = Set.of(flagNames);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new Invalid("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            if (known.contains(name) || name.equals("help")) {
                flags.add(name);
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new Invalid(a + " needs a value");
            }
        }
    }

    /** A bad command line: the command prints its usage. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    boolean flag(String name) {
        used.add(name);
        return flags.contains(name);
    }

    String text(String name, String dflt) {
        used.add(name);
        return values.getOrDefault(name, dflt);
    }

    /** A count (0 or more), where {@code 2000000}, {@code 2,000,000}, {@code 2_000_000} and {@code 2M} (or {@code 500k}) are the same. */
    long count(String name, long dflt) {
        String v = text(name, null);
        if (v == null) {
            return dflt;
        }
        return parseCount(name, v);
    }

    /** A comma-separated list of counts. */
    long[] counts(String name, long[] dflt) {
        String v = text(name, null);
        if (v == null) {
            return dflt;
        }
        String[] parts = v.split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parseCount(name, parts[i].trim());
        }
        return out;
    }

    double number(String name, double dflt) {
        String v = text(name, null);
        try {
            return v == null ? dflt : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new Invalid("--" + name + " takes a number, got '" + v + "'");
        }
    }

    /** A duration such as {@code 10s}, {@code 5m}, {@code 1h}, in ms. */
    long millis(String name, String dflt) {
        String v = text(name, dflt);
        try {
            return Durations.parse(v).toMillis();
        } catch (IllegalArgumentException e) {
            throw new Invalid("--" + name + ": " + e.getMessage());
        }
    }

    /** Fails on an option the command did not ask for (a typo would otherwise be ignored). */
    void checkAllUsed() {
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                throw new Invalid("unknown option --" + k);
            }
        }
        for (String k : flags) {
            if (!used.contains(k) && !k.equals("help")) {
                throw new Invalid("unknown option --" + k);
            }
        }
    }

    private static long parseCount(String name, String v) {
        String s = v.replace(",", "").replace("_", "").toLowerCase(java.util.Locale.ROOT);
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
            throw new Invalid("--" + name + " takes a count, got '" + v + "'");
        }
    }
}
