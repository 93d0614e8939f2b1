package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.Control;
import io.vigil.rules.ControlLines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil silence} against a local control directory: the files it writes are what the job reads. */
class SilenceCommandTest {
    @TempDir Path dir;

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = VigilCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(exit), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    @Test
    void addListExpireWriteOneControlFileEach() throws Exception {
        String[] added = run("silence", "add", "--matcher", "rule_id=auth_bruteforce", "--matcher", "entity=~dest.*",
                "--duration", "2h", "--author", "ana", "--comment", "INC-1", "--control", dir.toString());
        assertThat(added[0]).as(added[2]).isEqualTo("0");
        String id = added[1].trim();
        List<Path> one = files();
        assertThat(one).hasSize(1);
        assertThat(one.get(0).getFileName().toString()).endsWith("-silence-" + id + ".jsonl");
        Control c = ControlLines.parse(Files.readString(one.get(0)).trim());
        assertThat(c.silence.id).isEqualTo(id);
        assertThat(c.silence.endsAt - c.silence.startsAt).isEqualTo(2 * 3600_000L);
        assertThat(c.silence.conditions).extracting(Object::toString).containsExactly("entity=~dest.*");

        String[] listed = run("silence", "list", "--control", dir.toString());
        assertThat(listed[1]).contains(id).contains("active").contains("ana").contains("rule_id=auth_bruteforce")
                .contains("INC-1");

        Thread.sleep(5); // a later name: the expiry sorts after the silence it ends
        String[] expired = run("silence", "expire", id, "--control", dir.toString());
        assertThat(expired[0]).as(expired[1] + expired[2]).isEqualTo("0");
        List<Path> two = files();
        assertThat(two).hasSize(2);
        Control end = ControlLines.parse(Files.readString(two.get(1)).trim());
        assertThat(end.silence.id).isEqualTo(id);
        assertThat(end.silence.endsAt).isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(run("silence", "list", "--control", dir.toString())[1]).doesNotContain(id);
        assertThat(run("silence", "list", "--all", "--control", dir.toString())[1]).contains(id).contains("expired");
    }

    @Test
    void aBadMatcherOrWindowIsAUsageErrorAndWritesNothing() throws Exception {
        assertThat(run("silence", "add", "--matcher", "entity=~dest(", "--duration", "1h", "--comment", "x",
                "--control", dir.toString())[0]).isEqualTo("2");
        assertThat(run("silence", "add", "--matcher", "entity", "--duration", "1h", "--comment", "x",
                "--control", dir.toString())[0]).isEqualTo("2");
        assertThat(run("silence", "add", "--matcher", "team!=ops", "--duration", "1h", "--comment", "x",
                "--control", dir.toString())[0]).isEqualTo("2");
        assertThat(run("silence", "add", "--matcher", "team=ops", "--comment", "x", "--control", dir.toString())[0])
                .isEqualTo("2");
        assertThat(files()).isEmpty();
        assertThat(run("silence", "expire", "nope", "--control", dir.toString())[0]).isEqualTo("1");
    }
}
