package io.vigil.testing;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Real-shaped sample lines of every input format, shared by the test suites of all modules. */
public final class Samples {
    private Samples() {}

    /** The sample file for a format, as shipped in test resources under {@code samples/}. */
    public static String fileName(InputFormat f) {
        switch (f) {
            case OPENLINEAGE:
                return "openlineage.jsonl";
            case METRICS:
                return "metrics.jsonl";
            case LANL_AUTH:
                return "lanl-auth.txt";
            case AUTH_JSON:
                return "auth.jsonl";
            case REES46:
                return "rees46.csv";
            case COMMERCE_JSON:
                return "commerce.jsonl";
            // the event formats of outside producers: their published examples
            case GITHUB_ACTIONS:
                return "../github-actions/real/workflow_run.jsonl";
            case EVENTBRIDGE:
                return "../eventbridge/real/cloudwatch-alarm-state-change.jsonl";
            case DATABRICKS_CLUSTER_EVENTS:
                return "../databricks-cluster-events/real/cluster-events.jsonl";
            case PIP_AUDIT:
                return "../pip-audit/real/json-format-tests.jsonl";
            default:
                throw new IllegalArgumentException(f.toString());
        }
    }

    /** All lines of a format's sample file, header included. */
    public static List<String> lines(InputFormat f) {
        String file = fileName(f);
        String name = file.startsWith("../") ? file.substring(2) : "/samples/" + file;
        try (InputStream in = Samples.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new ArrayList<>(Arrays.asList(all.split("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample lines that are records (the REES46 header is not). */
    public static List<String> records(InputFormat f) {
        List<String> l = lines(f);
        if (f == InputFormat.REES46) {
            l.remove(0);
        }
        return l;
    }

    public static RawRecord raw(InputFormat f, String text) {
        return RawRecord.of("test-" + f.id(), f, text.getBytes(StandardCharsets.UTF_8), 1_000L, "test");
    }

    public static RawRecord replayed(String source, InputFormat f, String text) {
        return RawRecord.of(
                source, f, text.getBytes(StandardCharsets.UTF_8), RawRecord.NO_RECEIVE_TIME, "test");
    }
}
