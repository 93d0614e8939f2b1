package io.vigil.cep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.rules.Rule;
import io.vigil.rules.RuleKind;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RulesFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which patterns {@link RunShape} takes from CEP: a strict run, then at most one event that cannot be in it. */
class RunShapeTest {
    private static PatternSpec spec(String steps) throws Exception {
        List<String> errors = new ArrayList<>();
        String rule = "pattern:\n  events: {family: auth}\n  key: destination_user\n  steps:\n" + steps.replaceAll("(?m)^", "    ")
                + "  within: 20m\nresolve: {after: 1h}\n";
        PatternSpec s = PatternSpecs.parse(new ObjectMapper(new YAMLFactory()).readTree(rule), "r", errors);
        assertThat(errors).isEmpty();
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "- {name: guess, where: {outcome: failure}, times: 5+, within: 10m, contiguity: strict}\n"
                + "- {name: success, where: {outcome: success}, within_previous: 10m}\n",
        "- {name: guess, where: {outcome: failure}, times: 3, contiguity: strict}\n"
                + "- {name: success, where: {outcome: success}, contiguity: strict}\n",
        "- {name: guess, where: {outcome: failure}, times: 3, contiguity: strict}\n",
        "- {name: guess, where: {outcome: failure}}\n",
        "- {name: guess, where: {outcome: failure}}\n- {name: success, where: {outcome: success}}\n",
        // disjoint by family, by source, by one of several fields
        "- {name: a, where: {family: auth}, times: 2, contiguity: strict}\n- {name: b, where: {family: metric}}\n",
        "- {name: a, where: {source: [x, y]}, times: 2, contiguity: strict}\n- {name: b, where: {source: z}}\n",
        "- {name: a, where: {orientation: LogOn, outcome: failure}, times: 2+, contiguity: strict}\n"
                + "- {name: b, where: {outcome: success, source_computer: C1}}\n",
    })
    void takesARunThenAnEventThatCannotBeInIt(String steps) throws Exception {
        assertThat(RunShape.of(spec(steps))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // a relaxed run: events between its events
        "- {name: guess, where: {outcome: failure}, times: 5+}\n- {name: success, where: {outcome: success}}\n",
        // an optional, absent or comparing step
        "- {name: guess, where: {outcome: failure}, times: 2, contiguity: strict}\n- {name: success, where: {outcome: success}, times: optional}\n",
        "- {name: guess, where: {outcome: failure}}\n- {name: logoff, where: {orientation: LogOff}, absent: true}\n",
        "- {name: first}\n- {name: flip, differs_from_previous: outcome, times: 4, contiguity: strict}\n",
        "- {name: first}\n- {name: other, differs_from_previous: source_computer}\n",
        // the last step repeated, or a third step
        "- {name: guess, where: {outcome: failure}}\n- {name: success, where: {outcome: success}, times: 2, contiguity: strict}\n",
        "- {name: a, where: {outcome: failure}}\n- {name: b, where: {outcome: success}}\n- {name: c, where: {outcome: failure}}\n",
        // an event that could be both: no condition, another field, a shared value, a wildcard
        "- {name: guess, where: {outcome: failure}, times: 2, contiguity: strict}\n- {name: any}\n",
        "- {name: guess, where: {outcome: failure}, times: 2, contiguity: strict}\n- {name: c1, where: {source_computer: C1}}\n",
        "- {name: a, where: {source_computer: [C1, C2]}, times: 2, contiguity: strict}\n- {name: b, where: {source_computer: [C2, C3]}}\n",
        "- {name: a, where: {source_computer: C1}, times: 2, contiguity: strict}\n- {name: b, where: {source_computer: 'C*'}}\n",
    })
    void leavesEveryOtherPatternToCep(String steps) throws Exception {
        assertThat(RunShape.of(spec(steps))).isNull();
    }

    /** The default rules and every pack's pattern rules: which ones the run operator takes. */
    @Test
    void shippedRulesOfTheShapeRunOnTheRunOperator() throws Exception {
        Map<String, Boolean> runShaped = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        files.add(Paths.get("../conf/rules.yaml"));
        try (Stream<Path> packs = Files.list(Paths.get("../conf/packs"))) {
            packs.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        for (Path f : files) {
            RuleSet rules = RulesFile.load(f);
            for (Rule r : rules.rules) {
                if (r.kind == RuleKind.PATTERN) {
                    runShaped.put(r.id, RunShape.of(r.pattern) != null);
                }
            }
        }
        assertThat(runShaped).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "abaco_pipeline_failure", true,
                "auth_bruteforce", true,
                "job_consecutive_failures", true,
                "job_flapping", false,
                "stock_install_failures", false,
                "stock_publication_failed", true,
                "stock_release_workflow_failed", true,
                "stock_version_drift", true)));
    }
}
