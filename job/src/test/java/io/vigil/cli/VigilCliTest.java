package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VigilCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
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
    void everyCommandHasHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("run", "replay");
        assertThat(run("replay", "--help")).isZero();
        assertThat(out()).contains("--input NAME=FORMAT:PATH", "openlineage, metrics, lanl-auth, auth-json, rees46, commerce-json",
                "dead-letter.jsonl", "summary.json");
        assertThat(run("run", "--help")).isZero();
        assertThat(out()).contains("--config FILE", "Ctrl-C");
    }

    @Test
    void badCommandLinesExitTwoWithAReason() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err()).contains("unknown command 'frobnicate'");
        assertThat(run("replay", "--out", "x")).isEqualTo(2);
        assertThat(err()).contains("at least one --input is required");
        assertThat(run("replay", "--input", "a=csv:/tmp", "--out", "x")).isEqualTo(2);
        assertThat(err()).contains("--input a: unknown input format 'csv'");
        assertThat(run("replay", "--input", "a=rees46:/no/such/file", "--out", "x")).isEqualTo(2);
        assertThat(err()).contains("no such file or directory: /no/such/file");
        assertThat(run("replay", "--input", "a=rees46:/tmp", "--input", "a=rees46:/tmp", "--out", "x")).isEqualTo(2);
        assertThat(err()).contains("given twice");
        assertThat(run("replay", "--input")).isEqualTo(2);
        assertThat(err()).contains("Missing required parameter for option '--input'");
        assertThat(run("run", "--config", "/no/such.yaml")).isEqualTo(2);
        assertThat(err()).contains("no such file /no/such.yaml");
    }
}
