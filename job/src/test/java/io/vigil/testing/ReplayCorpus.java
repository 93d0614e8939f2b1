package io.vigil.testing;

import io.vigil.model.InputFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that writes a replay corpus into a fresh temp directory: per format, the
 * real-shaped sample lines shuffled within a small time bound, plus known bad and late lines,
 * and records how many of each it wrote so tests can check exact counts.
 */
public class ReplayCorpus implements BeforeEachCallback, AfterEachCallback {
    private Path dir;

    /** What one written input holds. */
    public static final class Input {
        public final String name;
        public final InputFormat format;
        public final Path path;
        public final int valid;
        public final int invalid;

        Input(String name, InputFormat format, Path path, int valid, int invalid) {
            this.name = name;
            this.format = format;
            this.path = path;
            this.valid = valid;
            this.invalid = invalid;
        }

        public int records() {
            return valid + invalid;
        }

        public String arg() {
            return name + "=" + format.id() + ":" + path;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("vigil-corpus");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public Path dir() {
        return dir;
    }

    /** LANL auth: many valid lines out of order within 20 s, bad lines, two events minutes late. */
    public Input lanlAuth(String name, int validCount, long seed) {
        Random rnd = new Random(seed);
        List<String> lines = new ArrayList<>();
        long t = 1_000_000;
        for (int i = 0; i < validCount - 2; i++) {
            t += rnd.nextInt(3);
            long shown = t - rnd.nextInt(20); // out of order, within a 30 s bound
            lines.add(shown + ",U" + rnd.nextInt(50) + "@DOM1,U" + rnd.nextInt(50) + "@DOM1,C" + rnd.nextInt(100)
                    + ",C586,NTLM,Network,LogOn," + (rnd.nextInt(10) == 0 ? "Fail" : "Success"));
        }
        lines.add(lines.size() / 2, (t / 2) + ",U1@DOM1,U1@DOM1,C1,C2,?,?,TGS,Success"); // late
        lines.add((t - 600) + ",U1@DOM1,U1@DOM1,C1,C2,?,?,TGT,Success"); // late
        List<String> bad = List.of(
                "garbage",
                "1,U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn",
                t + ",U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn,Perhaps",
                "-7,U1@DOM1,U1@DOM1,C1,C2,NTLM,Network,LogOn,Success",
                "");
        return write(name, InputFormat.LANL_AUTH, "auth.txt", mix(lines, bad, rnd), validCount, bad.size(), rnd, true);
    }

    /** REES46 with its header, bad rows, a BOM and CRLF line ends, invalid UTF-8, a 2 MiB line. */
    public Input rees46(String name, long seed) {
        Random rnd = new Random(seed);
        List<String> valid = Samples.records(InputFormat.REES46);
        List<String> lines = new ArrayList<>(valid);
        List<String> bad = List.of(
                "2019-10-01 00:00:03 UTC,refund,1,2,,,1.0,3,s",
                "2019-10-01 00:00:03 UTC,view,1,2,,,-1.0,3,s",
                "2019-10-01 00:00:03 UTC,view,1,2,,,NaN,3,s",
                "2019-10-01 00:00:03 UTC,view,1,2,,,1.0,,s",
                "9999-12-31 23:59:59 UTC,view,1,2,,,1.0,3,s");
        List<String> all = mix(lines, bad, rnd);
        all.add(0, "\uFEFF" + io.vigil.parse.Rees46Parser.HEADER);
        Input in = write(name, InputFormat.REES46, "rees46.csv", all, valid.size(), bad.size(), rnd, false);
        try {
            byte[] badUtf8 = {'2', '0', '1', '9', (byte) 0xC3, (byte) 0x28, ',', 'x', '\r', '\n'};
            byte[] huge = new byte[(2 << 20) + 1];
            java.util.Arrays.fill(huge, (byte) 'z');
            huge[huge.length - 1] = '\n';
            Files.write(in.path, badUtf8, java.nio.file.StandardOpenOption.APPEND);
            Files.write(in.path, huge, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Input(in.name, in.format, in.path, in.valid, in.invalid + 2);
    }

    /** OpenLineage events split over two files of a directory, read in name order. */
    public Input openLineageDir(String name) {
        List<String> events = Samples.records(InputFormat.OPENLINEAGE);
        Path d = dir.resolve(name);
        try {
            Files.createDirectories(d);
            Files.write(d.resolve("a.jsonl"), events.subList(0, 2), StandardCharsets.UTF_8);
            List<String> second = new ArrayList<>(events.subList(2, events.size()));
            second.add("{\"eventType\":\"COMPLETE\"");
            second.add("{\"eventType\":\"DONE\",\"eventTime\":\"2026-11-02T11:00:00Z\",\"run\":{\"runId\":\"r\"},\"job\":{\"namespace\":\"n\",\"name\":\"j\"}}");
            Files.write(d.resolve("b.jsonl"), second, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Input(name, InputFormat.OPENLINEAGE, d, events.size(), 2);
    }

    /** A source with nothing but broken records. */
    public Input allBroken(String name) {
        List<String> bad = List.of("{", "[]", "{\"name\":1}", "null");
        return write(name, InputFormat.METRICS, name + ".jsonl", new ArrayList<>(bad), 0, bad.size(), new Random(1), false);
    }

    private static List<String> mix(List<String> good, List<String> bad, Random rnd) {
        List<String> all = new ArrayList<>(good);
        for (String b : bad) {
            all.add(rnd.nextInt(all.size() + 1), b);
        }
        return all;
    }

    private Input write(String name, InputFormat f, String file, List<String> lines, int valid, int invalid,
            Random rnd, boolean crlf) {
        Path p = dir.resolve(name + "-" + file);
        String sep = crlf ? "\r\n" : "\n";
        try {
            Files.writeString(p, String.join(sep, lines) + sep, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Input(name, f, p, valid, invalid);
    }
}
