package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.Rule;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RulesFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule packs of conf/packs: each passes {@code vigil rules check} alone and all of them together
 * with the default rules, and each pack's rule ids carry its prefix.
 */
class PacksTest {
    static final Path PACKS = Paths.get("..", "conf", "packs");

    /** Pack file name → the id prefix its rules carry. */
    static Stream<String[]> packs() {
        return Stream.of(
                new String[] {"abaco-loans", "abaco_"},
                new String[] {"potato-pipeline", "potato_"},
                new String[] {"authpulse", "authpulse_"},
                new String[] {"ecommerce-streaming", "ecommerce_"},
                new String[] {"stock-release", "stock_"});
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int check(List<Path> files) {
        List<String> args = new ArrayList<>(List.of("rules", "check"));
        files.forEach(f -> args.add(f.toString()));
        return VigilCli.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packs")
    void eachPackPassesRulesCheckAloneWithItsPrefix(String pack, String prefix) throws Exception {
        Path file = PACKS.resolve(pack + ".yaml");
        assertThat(check(List.of(file))).as(out.toString()).isZero();
        RuleSet set = RulesFile.load(file);
        assertThat(set.rules).isNotEmpty();
        assertThat(set.rules).extracting(r -> r.id).allMatch(id -> id.startsWith(prefix));
        for (Rule r : set.rules) {
            assertThat(r.runbookUrl).as(r.id).startsWith("deploy/rules-runbook.md#" + prefix);
        }
    }

    @Test
    void allPacksTogetherWithTheDefaultRulesMakeOneSet() throws Exception {
        List<Path> files = new ArrayList<>();
        files.add(Paths.get("..", "conf", "rules.yaml"));
        packs().forEach(p -> files.add(PACKS.resolve(p[0] + ".yaml")));
        assertThat(check(files)).as(out.toString()).isZero();
        int sum = 0;
        for (Path f : files) {
            sum += RulesFile.load(f).rules.length;
        }
        assertThat(RulesFile.loadAll(files).rules).hasSize(sum);
        assertThat(out.toString()).contains(files.size() + " files: " + sum + " rules OK");
    }

    @Test
    void everyPackFileIsListed() throws Exception {
        try (Stream<Path> s = Files.list(PACKS)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()))
                    .containsExactlyElementsOf(packs().map(p -> p[0] + ".yaml").sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void aPackLoadedTwiceIsRefusedNamingBothFiles() {
        Path a = PACKS.resolve("abaco-loans.yaml");
        assertThat(check(List.of(a, a))).isEqualTo(VigilCli.FAILED);
        assertThat(out.toString()).contains("rule 'abaco_par_90': defined in both " + a + " and " + a);
    }

    @Test
    void aMissingScopeValueIsAnErrorOfRulesCheck(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String text = Files.readString(PACKS.resolve("potato-pipeline.yaml")).replace("  silver: [", "  silvr: [");
        Path broken = Files.writeString(dir.resolve("potato.yaml"), text);
        assertThat(check(List.of(broken))).isEqualTo(VigilCli.FAILED);
        assertThat(out.toString()).contains("'${silver}': no 'silver' in 'scope'");
    }

    @Test
    void everyPackRuleHasItsRunbookSection() throws Exception {
        String runbook = Files.readString(Paths.get("..", "deploy", "rules-runbook.md"));
        for (String[] p : packs().collect(Collectors.toList())) {
            for (Rule r : RulesFile.load(PACKS.resolve(p[0] + ".yaml")).rules) {
                String anchor = r.runbookUrl.substring(r.runbookUrl.indexOf('#') + 1);
                assertThat(runbook).as(r.id).containsPattern("\n##+ " + anchor + "\n");
            }
        }
    }

    /** docs/rules.md's pack table lists each pack's rule ids, each once, in file order. */
    @Test
    void theRulesDocsPackTableListsEveryRuleOnce() throws Exception {
        String doc = Files.readString(Paths.get("..", "docs", "rules.md"));
        for (String[] p : packs().collect(Collectors.toList())) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n\\| `" + p[0] + "\\.yaml` \\|[^|]*\\|([^\n]*)\\|\n")
                    .matcher(doc);
            assertThat(m.find()).as(p[0]).isTrue();
            List<String> listed = java.util.Arrays.stream(m.group(1).split(","))
                    .map(id -> id.trim().replace("`", "")).collect(Collectors.toList());
            List<String> ids = java.util.Arrays.stream(RulesFile.load(PACKS.resolve(p[0] + ".yaml")).rules)
                    .map(r -> r.id).collect(Collectors.toList());
            assertThat(listed).as(p[0]).containsExactlyElementsOf(ids);
        }
    }

    private static java.util.Map<String, java.util.Properties> config(String... vigilKeys) {
        java.util.Properties vigil = new java.util.Properties();
        for (int i = 0; i < vigilKeys.length; i += 2) {
            vigil.setProperty(vigilKeys[i], vigilKeys[i + 1]);
        }
        java.util.Properties in = new java.util.Properties();
        in.setProperty("type", "generator");
        in.setProperty("format", "metrics");
        return java.util.Map.of("vigil", vigil, "input.kpi", in);
    }

    @Test
    void packsInTheConfigAreJudgedAsOneSetWithoutTheBundledRules() throws Exception {
        String abaco = PACKS.resolve("abaco-loans.yaml").toString();
        String potato = PACKS.resolve("potato-pipeline.yaml").toString();
        io.vigil.config.VigilConfig c = io.vigil.config.VigilConfig.from(config("packs", abaco + ", " + potato));
        assertThat(c.packs).containsExactly(abaco, potato);
        RuleSet set = io.vigil.VigilJob.rules(c);
        assertThat(set.rules.length).isEqualTo(RulesFile.load(Paths.get(abaco)).rules.length
                + RulesFile.load(Paths.get(potato)).rules.length);
        assertThat(set.rule("dataset_freshness")).as("bundled rules are not added").isNull();

        // with rules.file, both: the default ids and the packs' prefixed ones do not clash
        String defaults = Paths.get("..", "conf", "rules.yaml").toString();
        assertThat(io.vigil.VigilJob.rules(io.vigil.config.VigilConfig.from(config("rules.file", defaults, "packs", abaco)))
                .rule("dataset_freshness")).isNotNull();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.vigil.config.VigilConfig.from(config("packs", "nope.yaml")))
                .hasMessageContaining("group 'vigil', key 'packs': no such file nope.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.vigil.VigilJob.rules(
                io.vigil.config.VigilConfig.from(config("rules.file", abaco, "packs", abaco))))
                .hasMessageContaining("defined in both " + abaco + " and " + abaco);
    }
}
