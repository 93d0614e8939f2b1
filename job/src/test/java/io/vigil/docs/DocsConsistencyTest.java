package io.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.config.VigilConfig;
import io.vigil.iceberg.CuratedTable;
import io.vigil.iceberg.VigilTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when the README and docs/ drift from the code: config keys against VigilConfig.KEYS,
 * curated tables against VigilTables, `bin/vigil` commands against the CLI's sources, relative
 * links and anchors against the files, the Layout against the packages.
 */
class DocsConsistencyTest {
    /** The project root: tests run in the job module's directory. */
    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

    /**
     * Pages other branches write (cli, report, formats, olhttp, pollers), linked from the README
     * already. Each entry is to be removed once its file is merged: the test fails when it exists.
     */
    private static final Set<String> PENDING = Set.of();

    private static final Pattern INLINE_CODE = Pattern.compile("`([^`\n]+)`");
    private static final Pattern DOTTED = Pattern.compile("[a-z][a-z0-9-]*(\\.[A-Za-z0-9*-]+)+");
    private static final Pattern GROUP_AND_KEY = Pattern.compile("^(input|alerts)\\.([A-Za-z0-9_-]+)(?:\\.([A-Za-z0-9.*-]+))?$");
    /** The groups of one name (vigil, iceberg, delivery, ...), as KEYS declares them. */
    private static final String FIXED_GROUPS = Arrays.stream(VigilConfig.KEYS).map(k -> k[0])
            .filter(g -> !g.contains(".")).distinct().map(Pattern::quote).collect(Collectors.joining("|"));
    private static final Pattern FIXED_GROUP_KEY = Pattern.compile("^(" + FIXED_GROUPS + ")\\.([A-Za-z0-9.*-]+)$");
    private static final Pattern GROUP_SLASH_KEY = Pattern.compile(
            "`(" + FIXED_GROUPS + "|input\\.[A-Za-z0-9_-]+|alerts\\.[A-Za-z0-9_-]+)` / `([^`]+)`");
    private static final Set<String> FILE_SUFFIXES = Set.of("jsonl", "json", "yaml", "yml", "md", "sql", "html",
            "txt", "csv", "png", "jar", "java", "properties", "log", "xml", "sh");
    private static final Pattern TABLE_MENTION = Pattern.compile("(?<=[\\s`\"(])vigil\\.([a-z_]+)(?:\\\\?\\$[a-z_]+)?(?![\\w.])");
    private static final Pattern TABLE_COUNT = Pattern.compile(
            "\\b(\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)"
                    + " curated (?:Iceberg )?tables\\b");
    private static final List<String> NUMBER_WORDS = Arrays.asList("zero", "one", "two", "three", "four", "five",
            "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen");
    private static final Pattern COMMAND = Pattern.compile("bin/vigil ([a-z][a-z-]*)");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+?) *#*$", Pattern.MULTILINE);
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a (?:id|name)=\"([^\"]+)\"");

    /** README.md and docs/*.md: the pages every check reads. */
    private static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rel(Path p) {
        return ROOT.relativize(p).toString().replace('\\', '/');
    }

    /** The text outside fenced code blocks (their lines blanked, so line numbers stay). */
    private static String prose(String text) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                fenced = !fenced;
                out.append('\n');
                continue;
            }
            out.append(fenced ? "" : line).append('\n');
        }
        return out.toString();
    }

    // ---- (a) config keys ----

    /** Group pattern (vigil, iceberg, delivery, input.NAME, alerts.NAME) → its documented keys. */
    private static Map<String, Set<String>> keysByGroup() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (String[] k : VigilConfig.KEYS) {
            for (String key : k[1].split(", ")) {
                if (!key.equals("...")) {
                    m.computeIfAbsent(k[0], g -> new TreeSet<>()).add(key);
                }
            }
        }
        return m;
    }

    private static String groupPattern(String group) {
        int dot = group.indexOf('.');
        return dot < 0 ? group : group.substring(0, dot + 1) + "NAME";
    }

    /**
     * Whether a documented key is one of the group's keys: exactly, through a wildcard of the code
     * (iceberg's s3.*), as a wildcard of the docs (retry.*), or with a placeholder segment
     * (topic.SEVERITY).
     */
    private static boolean known(Set<String> keys, String doc) {
        if (keys == null) {
            return false;
        }
        for (String k : keys) {
            if (k.equals(doc)
                    || k.endsWith(".*") && doc.startsWith(k.substring(0, k.length() - 1))
                    || doc.endsWith(".*") && k.startsWith(doc.substring(0, doc.length() - 1))
                    || placeholderMatch(k, doc)) {
                return true;
            }
        }
        return false;
    }

    private static boolean placeholderMatch(String key, String doc) {
        String[] k = key.split("\\.");
        String[] d = doc.split("\\.");
        if (k.length != d.length) {
            return false;
        }
        boolean placeholder = false;
        for (int i = 0; i < k.length; i++) {
            if (d[i].matches("[A-Z][A-Z_]*")) {
                placeholder = true;
            } else if (!d[i].equals(k[i])) {
                return false;
            }
        }
        return placeholder;
    }

    private static boolean looksLikeFile(String token) {
        String[] parts = token.split("\\.");
        for (int i = 1; i < parts.length; i++) {
            if (FILE_SUFFIXES.contains(parts[i]) || parts[i].matches("\\d+")) {
                return true;
            }
        }
        return false;
    }

    private static boolean tableName(String s) {
        return s.contains("$") || s.contains("_") || tables().contains(s);
    }

    /** Every config key a page names, in backticks, is a key of VigilConfig.KEYS. */
    static List<String> unknownKeys(String page, String text, List<String> checked) {
        Map<String, Set<String>> byGroup = keysByGroup();
        Set<String> firstSegments = new TreeSet<>();
        Set<String> all = new TreeSet<>();
        for (Set<String> ks : byGroup.values()) {
            for (String k : ks) {
                all.add(k);
                firstSegments.add(k.split("\\.")[0]);
            }
        }
        List<String> problems = new ArrayList<>();
        String prose = prose(text);
        Matcher m = INLINE_CODE.matcher(prose);
        while (m.find()) {
            String t = m.group(1).trim();
            Matcher g = GROUP_AND_KEY.matcher(t);
            Matcher f = FIXED_GROUP_KEY.matcher(t);
            if (g.matches()) {
                checked.add(t);
                if (g.group(3) != null && !looksLikeFile(t) && !known(byGroup.get(g.group(1) + ".NAME"), g.group(3))) {
                    problems.add(page + ": `" + t + "`: no key '" + g.group(3) + "' in group " + g.group(1) + ".NAME");
                }
            } else if (f.matches()) {
                checked.add(t);
                if (!(f.group(1).equals("vigil") && tableName(f.group(2))) && !looksLikeFile(t)
                        && !known(byGroup.get(f.group(1)), f.group(2))) {
                    problems.add(page + ": `" + t + "`: no key '" + f.group(2) + "' in group " + f.group(1));
                }
            } else if (DOTTED.matcher(t).matches() && firstSegments.contains(t.split("\\.")[0]) && !looksLikeFile(t)) {
                checked.add(t);
                if (!known(all, t)) {
                    problems.add(page + ": `" + t + "` looks like a config key but no group has it");
                }
            }
        }
        Matcher s = GROUP_SLASH_KEY.matcher(prose);
        while (s.find()) {
            String key = s.group(2).split(",")[0].trim();
            checked.add(key);
            if (!known(byGroup.get(groupPattern(s.group(1))), key)) {
                problems.add(page + ": `" + s.group(1) + "` / `" + key + "`: no such key");
            }
        }
        return problems;
    }

    @Test
    void everyConfigKeyTheDocsNameExists() {
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Path p : pages()) {
            problems.addAll(unknownKeys(rel(p), read(p), checked));
        }
        assertThat(checked).as("config keys found in the docs").hasSizeGreaterThan(50);
        assertThat(problems).as("config keys not in VigilConfig.KEYS").isEmpty();
    }

    @Test
    void theConfigurationTableIsVigilConfigKeys() {
        Map<String, String> documented = new TreeMap<>();
        Pattern row = Pattern.compile("^\\| `([^`|]+)` \\| ([^|]+) \\| ([^|]+) \\|", Pattern.MULTILINE);
        Matcher m = row.matcher(read(ROOT.resolve("docs/configuration.md")));
        while (m.find()) {
            documented.put(m.group(1) + " / " + m.group(2).replace("`", "").trim(), m.group(3).replace("`", "").trim());
        }
        Map<String, String> declared = new TreeMap<>();
        for (String[] k : VigilConfig.KEYS) {
            declared.put(k[0] + " / " + k[1], k[2]);
        }
        assertThat(declared).as("VigilConfig.KEYS").isNotEmpty();
        Set<String> onlyDocumented = new TreeSet<>();
        documented.forEach((k, d) -> {
            if (!d.equals(declared.get(k))) {
                onlyDocumented.add(k + " = " + d);
            }
        });
        Set<String> onlyDeclared = new TreeSet<>();
        declared.forEach((k, d) -> {
            if (!d.equals(documented.get(k))) {
                onlyDeclared.add(k + " = " + d);
            }
        });
        assertThat(onlyDocumented).as("rows (group / key = default) of docs/configuration.md not so in VigilConfig.KEYS")
                .isEmpty();
        assertThat(onlyDeclared).as("VigilConfig.KEYS (group / key = default) not so in docs/configuration.md").isEmpty();
    }

    // ---- (b) curated tables ----

    private static Set<String> tables() {
        return VigilTables.all().stream().map(CuratedTable::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every `vigil.TABLE` a page names is a curated table; every count of them is right. */
    static List<String> tableProblems(String page, String text, Set<String> seen) {
        List<String> problems = new ArrayList<>();
        Set<String> tables = tables();
        Matcher m = TABLE_MENTION.matcher(text);
        while (m.find()) {
            seen.add(m.group(1));
            if (!tables.contains(m.group(1))) {
                problems.add(page + ": vigil." + m.group(1) + " is not a curated table");
            }
        }
        Matcher c = TABLE_COUNT.matcher(text);
        while (c.find()) {
            String n = c.group(1);
            int count = n.matches("\\d+") ? Integer.parseInt(n) : NUMBER_WORDS.indexOf(n);
            if (count != tables.size()) {
                problems.add(page + ": '" + c.group() + "', but VigilTables has " + tables.size());
            }
        }
        return problems;
    }

    @Test
    void everyTableTheDocsNameExists() {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Path p : pages()) {
            problems.addAll(tableProblems(rel(p), read(p), seen));
        }
        assertThat(seen).as("tables named as vigil.TABLE").isNotEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void docsTablesListsExactlyTheCuratedTables() {
        // the first table of docs/tables.md: | `name` | one row per |
        String text = read(ROOT.resolve("docs/tables.md"));
        Matcher m = Pattern.compile("^\\| `([a-z_]+)` \\|", Pattern.MULTILINE).matcher(text);
        Set<String> listed = new TreeSet<>();
        while (m.find()) {
            listed.add(m.group(1));
        }
        assertThat(listed).as("tables listed in docs/tables.md").isEqualTo(tables());
    }

    // ---- (c) bin/vigil commands ----

    /** The commands the CLI knows: its case labels and picocli names, and those bin/vigil handles itself. */
    static Set<String> commands() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern java = Pattern.compile("case \"([a-z][a-z-]*)\"\\s*:|@Command\\(\\s*name\\s*=\\s*\"([a-z][a-z-]*)\"");
        try (Stream<Path> s = Files.list(ROOT.resolve("job/src/main/java/io/vigil/cli"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
                Matcher m = java.matcher(read(p));
                while (m.find()) {
                    names.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
        Matcher sh = Pattern.compile("\\$\\{1:-\\}\"? == \"?([a-z][a-z-]*)").matcher(read(ROOT.resolve("bin/vigil")));
        while (sh.find()) {
            names.add(sh.group(1));
        }
        names.remove("vigil");
        return names;
    }

    @Test
    void everyCommandTheDocsNameExists() throws IOException {
        Set<String> commands = commands();
        assertThat(commands).as("commands read from the CLI sources").contains("run", "replay");
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Path p : pages()) {
            Matcher m = COMMAND.matcher(read(p));
            while (m.find()) {
                seen.add(m.group(1));
                if (!commands.contains(m.group(1))) {
                    problems.add(rel(p) + ": bin/vigil " + m.group(1) + " (known: " + commands + ")");
                }
            }
        }
        assertThat(seen).as("commands the docs name").contains("run", "replay", "query");
        assertThat(problems).isEmpty();
    }

    // ---- (d) links ----

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        String s = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        s = s.replaceAll("[^\\p{L}\\p{N} _-]", "");
        return s.replace(' ', '-');
    }

    static Set<String> anchors(String text) {
        Set<String> out = new TreeSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher h = HEADING.matcher(prose(text));
        while (h.find()) {
            String s = slug(h.group(1));
            int n = seen.merge(s, 1, Integer::sum) - 1;
            out.add(n == 0 ? s : s + "-" + n);
        }
        Matcher a = HTML_ANCHOR.matcher(text);
        while (a.find()) {
            out.add(a.group(1));
        }
        return out;
    }

    /** Problems of one relative link from {@code from}; null when it resolves. */
    static String linkProblem(Path from, String target) {
        if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto:
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        String name = rel(file);
        if (PENDING.contains(name)) {
            return null;
        }
        if (!file.startsWith(ROOT) || !Files.exists(file)) {
            return target + ": no file " + name;
        }
        if (anchor != null && !anchor.isEmpty() && name.endsWith(".md") && !anchors(read(file)).contains(anchor)) {
            return target + ": no heading or anchor '" + anchor + "' in " + name;
        }
        return null;
    }

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> files = new ArrayList<>(pages());
        try (Stream<Path> s = Files.list(ROOT.resolve("deploy"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        files.add(ROOT.resolve("bench/README.md"));
        files.add(ROOT.resolve("ddl/README.md"));
        List<String> problems = new ArrayList<>();
        for (Path p : files) {
            Matcher m = LINK.matcher(prose(read(p)));
            while (m.find()) {
                String problem = linkProblem(p, m.group(1));
                if (problem != null) {
                    problems.add(rel(p) + ": " + problem);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRunbookUrlResolves() throws IOException {
        // rules' runbook_url and the watchdog's are relative to the project root
        List<String> urls = new ArrayList<>();
        try (Stream<Path> s = Files.list(ROOT.resolve("conf"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).collect(Collectors.toList())) {
                Matcher m = Pattern.compile("runbook_url: *\"?([^\"\\s]+)").matcher(read(p));
                while (m.find()) {
                    urls.add(m.group(1));
                }
            }
        }
        Matcher j = Pattern.compile("runbookUrl = \"([^\"]+)\"")
                .matcher(read(ROOT.resolve("job/src/main/java/io/vigil/source/Watchdog.java")));
        while (j.find()) {
            urls.add(j.group(1));
        }
        assertThat(urls).as("runbook URLs found").hasSizeGreaterThan(10);
        List<String> problems = new ArrayList<>();
        for (String u : urls) {
            String problem = linkProblem(ROOT.resolve("README.md"), u);
            if (problem != null) {
                problems.add(problem);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theReadmeLinksEveryDocsPage() throws IOException {
        String readme = prose(read(ROOT.resolve("README.md")));
        Set<String> linked = new TreeSet<>();
        Matcher m = LINK.matcher(readme);
        while (m.find()) {
            linked.add(m.group(1).replaceAll("#.*", ""));
        }
        Set<String> pages = new TreeSet<>();
        try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(p -> pages.add(rel(p)));
        }
        pages.removeAll(linked);
        assertThat(pages).as("docs pages the README does not link").isEmpty();
    }

    @Test
    void pendingPagesAreStillToCome() {
        for (String p : PENDING) {
            assertThat(Files.exists(ROOT.resolve(p)))
                    .as(p + " exists now: remove it from DocsConsistencyTest.PENDING so its links are checked")
                    .isFalse();
        }
    }

    // ---- (e) layout ----

    @Test
    void theLayoutNamesEveryPackage() throws IOException {
        String readme = read(ROOT.resolve("README.md"));
        int start = readme.indexOf("## Layout");
        int end = readme.indexOf("\n## ", start + 1);
        String layout = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> missing = new TreeSet<>();
        for (String module : new String[] {"operators", "sinks", "job", "bench"}) {
            for (String tree : new String[] {"main", "test"}) {
                Path base = ROOT.resolve(module + "/src/" + tree + "/java");
                if (!Files.isDirectory(base.resolve("io/vigil"))) {
                    continue;
                }
                try (Stream<Path> s = Files.walk(base.resolve("io/vigil"))) {
                    for (Path dir : s.filter(Files::isDirectory).collect(Collectors.toList())) {
                        if (!hasJava(dir)) {
                            continue;
                        }
                        String pkg = base.relativize(dir).toString().replace('/', '.').replace('\\', '.');
                        if (!Pattern.compile(Pattern.quote(pkg) + "(?![\\w.])").matcher(layout).find()) {
                            missing.add(module + ": " + pkg);
                        }
                    }
                }
            }
        }
        assertThat(missing).as("packages the README's Layout does not name").isEmpty();
    }

    private static boolean hasJava(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.toString().endsWith(".java"));
        }
    }
}
