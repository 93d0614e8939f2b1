package io.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.Label;
import io.vigil.rules.AlertMatcher;
import io.vigil.rules.ControlLines;
import io.vigil.rules.RuleSetException;
import io.vigil.rules.Silence;
import io.vigil.source.control.ControlStore;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil silence add|list|expire}: silences for the people on call, one control file per
 * change in the control location (a directory or s3://bucket/prefix/) the running job polls.
 */
@Command(name = "silence", header = "add, list or expire silences ('vigil silence add|list|expire')",
        mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        customSynopsis = {"vigil silence add --matcher M... (--duration D | --end T) --comment TEXT --control LOC",
            "vigil silence list --control LOC", "vigil silence expire ID --control LOC"},
        description = {
            "Writes silences into the control location the running job polls (vigil.control.path): a",
            "directory or s3://bucket/prefix/. Each add or expire is a new file, so people silencing at",
            "the same time never lose one. Matchers use Alertmanager's syntax: name=value, name!=value",
            "(globs with *), name=~regex, name!~regex (anchored), over the rule's labels, rule_id, entity",
            "and severity. Exits 0 on success, 1 when the location cannot be read or written or the",
            "silence does not exist, 2 on a bad option or matcher."})
public final class SilenceCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final PrintStream out;

    public SilenceCommand(PrintStream out) {
        this.out = out;
    }

    /** Where the control files go, and the S3 client settings for an s3:// location. */
    static final class Location {
        @Option(names = "--control", required = true, paramLabel = "LOC",
                description = "the control location: a directory or s3://bucket/prefix/ (vigil.control.path)")
        String control;
        @Option(names = "--aws-region", paramLabel = "REGION",
                description = "region of an s3:// location (default: the default region chain's)")
        String region;
        @Option(names = "--aws-endpoint", paramLabel = "URL",
                description = "S3 endpoint URL override (tests, VPC endpoints)")
        String endpoint;

        ControlStore open() {
            return ControlStore.at(control, region, endpoint);
        }
    }

    @Override
    public Integer call() throws UsageException {
        throw new UsageException("expected 'silence add', 'silence list' or 'silence expire ID'");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "add a silence; prints its id")
    int add(@Option(names = "--matcher", required = true, paramLabel = "M",
                    description = "a matcher, e.g. rule_id=auth_bruteforce or 'entity=~dest.*'; repeat for more") List<String> matchers,
            @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
                    description = "how long from --start, e.g. 2h") Duration duration,
            @Option(names = "--start", paramLabel = "T", description = "ISO-8601 start (default: now)") String start,
            @Option(names = "--end", paramLabel = "T", description = "ISO-8601 end, instead of --duration") String end,
            @Option(names = "--author", paramLabel = "NAME", description = "who sets it (default: the user name)") String author,
            @Option(names = "--comment", required = true, paramLabel = "TEXT", description = "why, e.g. the incident") String comment,
            @Option(names = "--id", paramLabel = "ID", description = "the silence's id (default: a new one)") String id,
            @Mixin Location location) throws UsageException, IOException {
        Instant now = Instant.now();
        Instant from = start == null ? now : time("--start", start);
        Instant to;
        if ((duration == null) == (end == null)) {
            throw new UsageException("give one of --duration and --end");
        }
        to = end != null ? time("--end", end) : from.plus(duration);
        List<String> parsed = new ArrayList<>();
        for (String m : matchers) {
            try {
                parsed.add(AlertMatcher.parse(m).toString());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        String silenceId = id != null ? id : UUID.randomUUID().toString().substring(0, 8);
        ObjectNode s = JSON.createObjectNode();
        s.put("id", silenceId);
        ArrayNode ms = s.putArray("matchers");
        parsed.forEach(ms::add);
        s.put("starts_at", from.toString());
        s.put("ends_at", to.toString());
        s.put("author", author != null ? author : System.getProperty("user.name"));
        s.put("comment", comment);
        String line = line(s);
        try {
            ControlLines.parse(line); // as the job will read it
        } catch (RuleSetException e) {
            throw new UsageException(e.getMessage());
        }
        try (ControlStore store = location.open()) {
            store.write(name(now, silenceId), line + "\n");
        }
        out.println(silenceId);
        return VigilCli.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "list the silences in force or to come")
    int list(@Option(names = "--all", description = "expired ones too") boolean all, @Mixin Location location)
            throws IOException {
        long now = System.currentTimeMillis();
        Map<String, Silence> silences = read(location);
        out.println(String.format("%-10s %-8s %-24s %-12s %s", "ID", "STATE", "ENDS", "AUTHOR", "MATCHERS / COMMENT"));
        for (Silence s : silences.values()) {
            String state = s.endsAt <= now ? "expired" : s.startsAt > now ? "pending" : "active";
            if (all || s.endsAt > now) {
                out.println(String.format("%-10s %-8s %-24s %-12s %s  # %s", s.id, state, Instant.ofEpochMilli(s.endsAt),
                        s.author == null ? "-" : s.author, String.join(",", matchers(s)), s.comment == null ? "" : s.comment));
            }
        }
        return VigilCli.OK;
    }

    @Command(name = "expire", mixinStandardHelpOptions = true, description = "end silence ID now")
    int expire(@Parameters(paramLabel = "ID", description = "the silence's id (vigil silence list)") String id,
            @Mixin Location location) throws IOException {
        Instant now = Instant.now();
        Silence s = read(location).get(id);
        if (s == null) {
            out.println("no silence '" + id + "' in " + location.control);
            return VigilCli.FAILED;
        }
        if (s.endsAt <= now.toEpochMilli()) {
            out.println("silence '" + id + "' already ended at " + Instant.ofEpochMilli(s.endsAt));
            return VigilCli.OK;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        ArrayNode ms = n.putArray("matchers");
        matchers(s).forEach(ms::add);
        n.put("starts_at", Instant.ofEpochMilli(Math.min(s.startsAt, now.toEpochMilli() - 1)).toString());
        n.put("ends_at", now.toString());
        n.put("author", s.author);
        n.put("comment", s.comment);
        try (ControlStore store = location.open()) {
            store.write(name(now, id), line(n) + "\n");
        }
        out.println("expired " + id);
        return VigilCli.OK;
    }

    /** The silences of the location by id, each as its newest file has it. */
    private static Map<String, Silence> read(Location location) throws IOException {
        Map<String, Silence> byId = new LinkedHashMap<>();
        try (ControlStore store = location.open()) {
            for (String name : store.names()) {
                for (String l : store.read(name).split("\n")) {
                    if (!l.contains("\"silence\"")) {
                        continue;
                    }
                    try {
                        Silence s = ControlLines.parse(l.trim()).silence;
                        byId.remove(s.id);
                        byId.put(s.id, s);
                    } catch (RuleSetException bad) {
                        // the job refuses it too: not a silence in force
                    }
                }
            }
        }
        return byId;
    }

    private static List<String> matchers(Silence s) {
        List<String> out = new ArrayList<>();
        for (Label l : s.matchers) {
            out.add(l.key + "=" + l.value);
        }
        for (AlertMatcher m : s.conditions) {
            out.add(m.toString());
        }
        return out;
    }

    private static String line(ObjectNode silence) {
        ObjectNode root = JSON.createObjectNode();
        root.set("silence", silence);
        return root.toString();
    }

    /** Names sort by time: an expiry is applied after the silence it ends. */
    private static String name(Instant at, String id) {
        return NAME_TIME.format(at) + "-silence-" + id.replaceAll("[^A-Za-z0-9_.-]", "_") + ".jsonl";
    }

    private static Instant time(String option, String value) throws UsageException {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new UsageException(option + ": '" + value + "' is not an ISO-8601 time, e.g. 2026-11-02T10:00:00Z");
        }
    }
}
