package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.RuleSet;
import io.vigil.rules.RulesFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * conf/rules.yaml is the starter: every pack rule its comments name as superseding an example
 * exists, so the pointers from the starter to the runbooks' numbers do not rot.
 */
class StarterRulesTest {
    private static final Path STARTER = Paths.get("..", "conf", "rules.yaml");

    @Test
    void everyPackRuleTheStarterNamesExists() throws Exception {
        List<Path> packs;
        try (Stream<Path> s = Files.list(PacksTest.PACKS)) {
            packs = s.sorted().collect(Collectors.toList());
        }
        RuleSet all = RulesFile.loadAll(packs);
        List<String> named = new ArrayList<>();
        Matcher m = Pattern.compile("\\b(?:abaco|potato|authpulse|ecommerce|stock)_[a-z0-9_]+")
                .matcher(Files.readString(STARTER).lines().filter(l -> l.trim().startsWith("#"))
                        .collect(Collectors.joining("\n")));
        while (m.find()) {
            named.add(m.group());
        }
        assertThat(named).hasSizeGreaterThan(10);
        assertThat(named).allSatisfy(id -> assertThat(all.rule(id)).as(id).isNotNull());
    }
}
