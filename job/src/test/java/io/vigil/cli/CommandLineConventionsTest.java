package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every command shares, as docs/cli.md states it: --version, --opt=value, the exit codes (0
 * ok, 1 findings or failure, 2 usage), no colour unless a terminal without NO_COLOR, and paths
 * resolved from the invoking directory or vigil.home. None of these start a Flink cluster.
 */
class CommandLineConventionsTest {
    private static final String BAD_RULES = String.join("\n",
            "rules:",
            "  - id: too_many_failures",
            "    kind: failure_rate",
            "    window: 1h",
            "    warning: 50%",
            "    critical: 5%",
            "");

    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return VigilCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void versionIsTheProjectVersionFilledInAtBuildTime() throws Exception {
        String version = VigilVersion.properties().getProperty("version");
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"); // filtered: no ${project.version} left
        assertThat(run("--version")).isZero();
        assertThat(out()).startsWith("vigil " + version + "\n").contains("Flink 1.20");
        assertThat(run("replay", "--version")).isZero();
        assertThat(out()).startsWith("vigil " + version);
    }

    @Test
    void optionsTakeTheirValueAfterAnEqualsSignToo() {
        assertThat(run("run", "--config=../conf/cloud-example.json", "--dry-run")).as(err()).isZero();
        assertThat(out()).contains("../conf/cloud-example.json is valid");
        assertThat(run("rules", "check", "--help")).isZero();
        assertThat(run("run", "--for=soon", "--dry-run")).isEqualTo(2);
        assertThat(err()).contains("'soon' is not a duration");
    }

    @Test
    void aBadRulesFileIsAFindingWhicheverCommandReadsIt() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, BAD_RULES);
        assertThat(run("rules", "check", rules.toString())).isEqualTo(1);
        String finding = out().trim();
        assertThat(finding).contains("too_many_failures");

        assertThat(run("replay", "--input", "a=metrics:../operators/src/test/resources/samples/metrics.jsonl",
                "--out", dir.resolve("out").toString(), "--rules", rules.toString(), "--no-tables")).isEqualTo(1);
        assertThat(err()).contains(finding);

        Path config = dir.resolve("local.yaml");
        Files.writeString(config, String.join("\n", "vigil:", "  rules.file: " + rules, "input.a:", "  type: generator",
                "  format: metrics", "  rate: 1", ""));
        assertThat(run("run", "--config", config.toString(), "--for", "1s")).isEqualTo(1);
        assertThat(err()).contains(finding);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("rules", "check", dir.resolve("missing.yaml").toString())).isEqualTo(2);
        assertThat(err()).contains("no such file");
        assertThat(run("rules")).isEqualTo(2);
        assertThat(err()).contains("expected 'rules check FILE'");
        assertThat(run("replay", "--inptu", "a=metrics:x")).isEqualTo(2);
        assertThat(err()).contains("'--inptu'", "Possible solutions: --input", "'vigil replay --help' for usage");
        assertThat(run("maintain", "--retain-last", "0")).isEqualTo(2);
        assertThat(err()).contains("--retain-last takes a whole number of at least 1");
        assertThat(run("replay", "--input", "a=metrics:../operators/src/test/resources/samples/metrics.jsonl",
                "--out", dir.toString(), "--silences", dir.resolve("none.jsonl").toString())).isEqualTo(2);
        assertThat(err()).contains("--silences: no such file");
        assertThat(run("query", "--warehouse", dir.toString(), "--typo")).isEqualTo(2);
        assertThat(err()).contains("unknown option '--typo'");
    }

    @Test
    void colourOnlyOnATerminalWithoutNoColor() {
        assertThat(Terminal.colour(Map.of(), true)).isTrue();
        assertThat(Terminal.colour(Map.of("NO_COLOR", "1"), true)).isFalse();
        assertThat(Terminal.colour(Map.of("NO_COLOR", ""), true)).isTrue(); // no-color.org: set and not empty
        assertThat(Terminal.colour(Map.of(), false)).isFalse();
        // here stdout is no terminal (a test's output is captured): no escape codes, even in help
        assertThat(System.console()).isNull();
        assertThat(run("replay", "--help")).isZero();
        assertThat(out()).contains("--input").doesNotContain("\u001b[");
    }

    @Test
    void relativePathsResolveFromTheInvokingDirectoryAndTheDefaultConfigFromVigilHome() {
        // the tests run in job/: a path given relative to it is found
        assertThat(run("rules", "check", "../conf/rules.yaml")).as(err()).isZero();
        String home = System.getProperty("vigil.home");
        try {
            System.setProperty("vigil.home", Path.of("..").toAbsolutePath().normalize().toString());
            assertThat(run("run", "--dry-run")).as(err()).isZero();
            assertThat(out()).contains(Path.of("..", "conf", "local.yaml").toAbsolutePath().normalize() + " is valid");
            assertThat(ReplayCommand.defaultRules()).isEqualTo(Path.of("..", "conf", "rules.yaml").toAbsolutePath().normalize());
            System.setProperty("vigil.home", dir.toString()); // a home without conf/: no default config to find
            assertThat(run("run", "--dry-run")).isEqualTo(2);
            assertThat(err()).contains("no such file " + dir.resolve("conf/local.yaml"));
        } finally {
            if (home == null) {
                System.clearProperty("vigil.home");
            } else {
                System.setProperty("vigil.home", home);
            }
        }
    }
}
