package io.vigil.cli;

import io.vigil.rules.Rule;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RuleSetException;
import io.vigil.rules.RulesFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.source.control.S3Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil rules check FILE}: validates a rules file and prints every error; {@code rules push}
 * and {@code rules diff} upload one to, or compare one with, the rules a running job polls.
 */
@Command(name = "rules", header = "check, push or diff a rules file ('vigil rules check|push|diff FILE')",
        mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        customSynopsis = {"vigil rules check FILE...", "vigil rules push FILE --to LOC", "vigil rules diff FILE --against LOC"},
        description = {
            "check: validates a rules file: unknown keys, bad durations, thresholds in the wrong order, unknown",
            "kinds, missing windows. Exits 0 when the file is good, 1 with every error otherwise, each",
            "naming the rule id and field; 2 when FILE does not exist. Several files (rule packs) are",
            "checked as the one rule set they make together: a rule id in two files is an error.",
            "push: validates FILE, then replaces the rules object (vigil.rules.file: s3://bucket/key or a",
            "path) with it in one write. diff: what FILE would change against the rules there (exit 1 when",
            "anything would)."})
public final class RulesCommand implements Callable<Integer> {
    private final PrintStream out;

    public RulesCommand(PrintStream out) {
        this.out = out;
    }

    /** {@code vigil rules} alone: what it takes, as a usage error. */
    @Override
    public Integer call() throws UsageException {
        throw new UsageException("expected 'rules check FILE', 'rules push FILE --to LOC' or 'rules diff FILE --against LOC'");
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "validate FILE and print every error")
    int check(@Parameters(paramLabel = "FILE", arity = "1..*",
            description = "the rules file, e.g. conf/rules.yaml; or several, e.g. conf/packs/*.yaml") List<Path> files)
            throws UsageException, IOException {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new UsageException("no such file " + file);
            }
        }
        try {
            RuleSet set = RulesFile.loadAll(files);
            String name = files.size() == 1 ? files.get(0).toString() : files.size() + " files";
            out.println(name + ": " + set.rules.length + " rules OK (version " + set.version + ")");
            for (Rule r : set.rules) {
                out.println("  " + r.id + " (" + r.kind.id() + ")");
            }
            for (io.vigil.rules.EscalationPolicy p : set.escalations) {
                StringBuilder levels = new StringBuilder();
                for (int i = 0; i < p.levels.length; i++) {
                    levels.append(i == 0 ? "" : ", ").append(p.levels[i]).append(" after ")
                            .append(io.vigil.config.Durations.format(p.afterMs[i]));
                }
                out.println("  escalation " + p.id + ": " + levels);
            }
            if (set.mutes.length > 0) {
                out.println("  " + set.mutes.length + " mute(s) by time interval");
            }
            return VigilCli.OK;
        } catch (RuleSetException e) {
            out.println(e.getMessage());
            return VigilCli.FAILED;
        }
    }

    /** Where the rules object is, and the S3 client settings for an s3:// one. */
    static final class Target {
        @Option(names = {"--to", "--against"}, required = true, paramLabel = "LOC",
                description = "the rules the job polls (vigil.rules.file): s3://bucket/key or a path")
        String location;
        @Option(names = "--aws-region", paramLabel = "REGION", description = "region of an s3:// location")
        String region;
        @Option(names = "--aws-endpoint", paramLabel = "URL", description = "S3 endpoint URL override (tests, VPC endpoints)")
        String endpoint;

        String read() throws IOException {
            if (!S3Location.isS3(location)) {
                return Files.readString(Paths.get(location), StandardCharsets.UTF_8);
            }
            S3Location at = S3Location.parse(location, region, endpoint);
            try (S3Client s3 = at.client()) {
                return s3.getObjectAsBytes(b -> b.bucket(at.bucket).key(at.key)).asUtf8String();
            }
        }

        void write(String text) throws IOException {
            if (!S3Location.isS3(location)) {
                Path to = Paths.get(location).toAbsolutePath();
                Path hidden = to.resolveSibling("." + to.getFileName() + ".tmp");
                Files.writeString(hidden, text, StandardCharsets.UTF_8);
                Files.move(hidden, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            S3Location at = S3Location.parse(location, region, endpoint);
            try (S3Client s3 = at.client()) {
                s3.putObject(b -> b.bucket(at.bucket).key(at.key).contentType("application/yaml"),
                        RequestBody.fromString(text, StandardCharsets.UTF_8)); // one PUT: whole or not at all
            }
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "validate FILE, then replace the rules the job polls with it")
    int push(@Parameters(paramLabel = "FILE", description = "the rules file") Path file, @Mixin Target target)
            throws UsageException, IOException {
        RuleSet set = valid(file);
        if (set == null) {
            return VigilCli.FAILED;
        }
        target.write(Files.readString(file, StandardCharsets.UTF_8));
        out.println(file + " pushed to " + target.location + ": " + set.rules.length + " rules (version " + set.version + ")");
        return VigilCli.OK;
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "what FILE would change against the rules the job polls")
    int diff(@Parameters(paramLabel = "FILE", description = "the rules file") Path file, @Mixin Target target)
            throws UsageException, IOException {
        if (valid(file) == null) {
            return VigilCli.FAILED;
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode now = yaml.readTree(target.read());
        JsonNode next = yaml.readTree(Files.readString(file, StandardCharsets.UTF_8));
        Map<String, JsonNode> before = byId(now);
        Map<String, JsonNode> after = byId(next);
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : after.entrySet()) {
            JsonNode old = before.get(e.getKey());
            if (old == null) {
                changes.add("+ " + e.getKey() + " (new rule)");
            } else if (!old.equals(e.getValue())) {
                Set<String> fields = new TreeSet<>();
                old.fieldNames().forEachRemaining(fields::add);
                e.getValue().fieldNames().forEachRemaining(fields::add);
                for (String f : fields) {
                    JsonNode a = old.get(f);
                    JsonNode b = e.getValue().get(f);
                    if (a == null ? b != null : !a.equals(b)) {
                        changes.add("~ " + e.getKey() + "." + f + ": " + (a == null ? "(unset)" : a) + " -> "
                                + (b == null ? "(unset)" : b)
                                + ("pattern".equals(e.getValue().path("kind").asText()) ? "  (pattern rule: refused until a restart)" : ""));
                    }
                }
            }
        }
        for (String id : before.keySet()) {
            if (!after.containsKey(id)) {
                changes.add("- " + id + " (removed)");
            }
        }
        for (String k : new String[] {"inhibit", "escalations", "time_intervals", "mutes"}) {
            if (!now.path(k).equals(next.path(k))) {
                changes.add("~ " + k + ": " + now.path(k) + " -> " + next.path(k));
            }
        }
        changes.forEach(out::println);
        out.println(changes.isEmpty() ? "no changes against " + target.location
                : changes.size() + " change(s) against " + target.location);
        return changes.isEmpty() ? VigilCli.OK : VigilCli.FAILED;
    }

    private RuleSet valid(Path file) throws UsageException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file " + file);
        }
        try {
            return RulesFile.load(file);
        } catch (RuleSetException e) {
            out.println(e.getMessage());
            return null;
        }
    }

    private static Map<String, JsonNode> byId(JsonNode root) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode r : root.path("rules")) {
            out.put(r.path("id").asText(), r);
        }
        return out;
    }
}
