package io.vigil.cep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.model.AuthEvent;
import io.vigil.model.Envelope;
import io.vigil.model.Family;
import io.vigil.model.PipelineRunEvent;
import io.vigil.model.RunEventType;
import io.vigil.rules.EventFields;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PatternSpecsTest {
    private static final String FIELDS = EventFields.described();
    private static final String STEPS = "  steps:\n"
            + "    - {name: guess, where: {outcome: failure}, times: 5+}\n"
            + "    - {name: success, where: {outcome: success}}\n";
    private static final String OK = "pattern:\n  events: {family: auth, orientation: LogOn}\n  key: destination_user\n"
            + STEPS + "  within: 20m\nresolve: {after: 1h}\n";

    private static JsonNode yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    private static List<String> errors(String ruleYaml) throws Exception {
        List<String> errors = new ArrayList<>();
        PatternSpec spec = PatternSpecs.parse(yaml(ruleYaml), "r", errors);
        assertThat(spec == null).as("null exactly when there are errors").isEqualTo(!errors.isEmpty());
        return errors;
    }

    /** OK with one line replaced. */
    private static String with(String line, String replacement) {
        assertThat(OK).contains(line);
        return OK.replace(line, replacement);
    }

    private static String withSteps(String... steps) {
        return with(STEPS, "  steps:\n" + String.join("", steps));
    }

    private static String step(String body) {
        return "    - {" + body + "}\n";
    }

    /** Broken pattern rules and every message each must produce, exactly. */
    static Stream<Arguments> broken() {
        String e = "rule 'r': field ";
        return Stream.of(
                row("kind: pattern\n", e + "'pattern': is required for kind pattern",
                        e + "'resolve': is required for kind pattern: resolve: {after: 1h} or resolve: {when: {event_type: COMPLETE}}"),
                row("pattern: [a, b]\nresolve: {after: 1h}\n", e + "'pattern': must be a map with events, key, steps and within"),
                row(with("  within: 20m\n", ""), e + "'pattern.within': is required: a bound such as 20m keeps the partial "
                        + "matches, and the state they hold, from growing without end"),
                row(with("  within: 20m\n", "  within: 0s\n"), e + "'pattern.within': must be longer than 0"),
                row(with("  within: 20m\n", "  within: a while\n"),
                        e + "'pattern.within': 'a while' is not a duration; write e.g. 500ms, 30s, 5m, 2h, 1d"),
                row(with("  within: 20m\n", "  within: 20m\n  windw: 5m\n"),
                        e + "'pattern.windw': unknown key; known keys are entity, events, key, steps, summary, within"),
                row(with("  key: destination_user\n", ""),
                        e + "'pattern.key': is required: the field that partitions the events, e.g. destination_user or job"),
                row(with("  key: destination_user\n", "  key: dest_user\n"),
                        e + "'pattern.key': unknown field 'dest_user'; known fields are " + FIELDS),
                row(with(STEPS, ""), e + "'pattern.steps': is required: a list of at least one step"),
                row(with(STEPS, "  steps: []\n"), e + "'pattern.steps': must be a list of at least one step"),
                row(withSteps(step("name: guess, where: {outcome: failure}, times: five")),
                        e + "'pattern.steps[0].times': 'five' is not a count; write once, optional, N or N+ (N at least 1)"),
                row(withSteps(step("name: guess, where: {outcome: failure}, times: 0")),
                        e + "'pattern.steps[0].times': must be at least 1; write optional for a step that may not occur"),
                row(withSteps(step("name: guess, where: {outcome: failure}"), step("name: guess, where: {outcome: success}")),
                        e + "'pattern.steps[1].name': 'guess' already names steps[0]"),
                row(withSteps(step("where: {outcome: failure}"), step("name: Success, where: {outcome: success}")),
                        e + "'pattern.steps[0].name': is required",
                        e + "'pattern.steps[1].name': use lower-case letters, digits and _ (got 'Success')"),
                row(withSteps(step("name: guess, where: {outcome: failure}, times: 5+, contiguity: loose")),
                        e + "'pattern.steps[0].contiguity': 'loose' is not relaxed or strict"),
                row(withSteps(step("name: guess, wher: {outcome: failure}")),
                        e + "'pattern.steps[0].wher': unknown key; known keys are absent, contiguity, differs_from_previous, "
                                + "name, times, where, within, within_previous"),
                row(withSteps(step("name: guess, where: {outcom: failure}")),
                        e + "'pattern.steps[0].where.outcom': unknown field; known fields are family, source, " + FIELDS),
                row(withSteps(step("name: guess, where: {outcome: [failed, success]}")),
                        e + "'pattern.steps[0].where.outcome': 'failed' is not one of success, failure"),
                row(withSteps(step("name: guess, where: {outcome: \"!\"}")),
                        e + "'pattern.steps[0].where.outcome': '!' needs a value after '!' (!v: any value but v)"),
                row(withSteps(step("name: guess, where: {outcome: \"!failed\"}")),
                        e + "'pattern.steps[0].where.outcome': 'failed' is not one of success, failure"),
                row(withSteps(step("name: guess, where: {labels.: x}")),
                        e + "'pattern.steps[0].where.labels.': unknown field; known fields are family, source, " + FIELDS),
                row(withSteps(step("name: guess, where: {outcome: []}")),
                        e + "'pattern.steps[0].where.outcome': must list at least one value"),
                row(withSteps(step("name: guess, where: failure")),
                        e + "'pattern.steps[0].where': must be a map of fields to a value or a list of values"),
                row(with("  events: {family: auth, orientation: LogOn}\n", "  events: {family: login, orientation: Logon}\n"),
                        e + "'pattern.events.family': unknown family 'login'; expected pipeline_run, metric, auth, commerce",
                        e + "'pattern.events.orientation': 'Logon' is not one of LogOn, LogOff, TGS, TGT, AuthMap, ScreenLock, ScreenUnlock"),
                row(withSteps(step("name: start, where: {event_type: STARTED}")),
                        e + "'pattern.steps[0].where.event_type': 'STARTED' is not one of START, RUNNING, COMPLETE, ABORT, FAIL, "
                                + "OTHER, view, cart, remove_from_cart, purchase"),
                row(withSteps(step("name: ok, where: {outcome: success}, absent: true"), step("name: guess, where: {outcome: failure}")),
                        e + "'pattern.steps[0].absent': the first step cannot be absent: a pattern starts with an event"),
                row(withSteps(step("name: guess, where: {outcome: failure}"),
                                step("name: ok, where: {outcome: success}, absent: true, times: 2, within_previous: 1m")),
                        e + "'pattern.steps[1].times': an absent step takes no times",
                        e + "'pattern.steps[1].within_previous': an absent step takes no within_previous"),
                row(withSteps(step("name: guess, where: {outcome: failure}"), step("name: nothing, absent: true")),
                        e + "'pattern.steps[1].where': is required for an absent step: it names the events that must not occur"),
                row(withSteps(step("name: guess, where: {outcome: failure}"), step("name: ok, where: {outcome: success}, absent: maybe")),
                        e + "'pattern.steps[1].absent': must be true or false"),
                row(withSteps(step("name: guess, where: {outcome: failure}, within: 5m")),
                        e + "'pattern.steps[0].within': only a repeated step (times: N or N+) has a span of its own; "
                                + "within_previous bounds the gap to the previous step"),
                row(withSteps(step("name: guess, where: {outcome: failure}, times: 5+, within: 1h")),
                        e + "'pattern.steps[0].within': must not be longer than pattern.within (20m)"),
                row(withSteps(step("name: guess, where: {outcome: failure}, within_previous: 5m")),
                        e + "'pattern.steps[0].within_previous': the first step has no previous step"),
                row(withSteps(step("name: guess, where: {outcome: failure}, contiguity: strict")),
                        e + "'pattern.steps[0].contiguity': strict has no effect on a first step that is not repeated"),
                row(withSteps(step("name: run, differs_from_previous: event_type")),
                        e + "'pattern.steps[0].differs_from_previous': the first step has no previous event to differ from"),
                row(withSteps(step("name: run"), step("name: next_run, differs_from_previous: outcomes")),
                        e + "'pattern.steps[1].differs_from_previous': unknown field 'outcomes'; known fields are " + FIELDS),
                row(with("  within: 20m\n", "  within: 20m\n  entity: [source_computer, src_host]\n"),
                        e + "'pattern.entity': unknown field 'src_host'; known fields are " + FIELDS),
                row(with("  within: 20m\n", "  within: 20m\n  summary: \"{guesses.count} failures against {user}\"\n"),
                        e + "'pattern.summary': unknown placeholder '{guesses.count}'; use {key}, {entity}, {events}, {span}, "
                                + "{FIELD}, {STEP.count}, {STEP.span} or {STEP.FIELD} with a step name and a known field",
                        e + "'pattern.summary': unknown placeholder '{user}'; use {key}, {entity}, {events}, {span}, "
                                + "{FIELD}, {STEP.count}, {STEP.span} or {STEP.FIELD} with a step name and a known field"),
                row(with("resolve: {after: 1h}\n", "resolve: {}\n"),
                        e + "'resolve': needs after (a duration), when (a condition) or both"),
                row(with("resolve: {after: 1h}\n", "resolve: 1h\n"), e + "'resolve': must be a map with after, when or both"),
                row(with("resolve: {after: 1h}\n", "resolve: {after: 0m, until: {outcome: success}}\n"),
                        e + "'resolve.until': unknown key; known keys are after, when",
                        e + "'resolve.after': must be longer than 0"),
                row(with("resolve: {after: 1h}\n", "resolve: {when: {}}\n"),
                        e + "'resolve.when': must name at least one field: an empty condition resolves on any event"),
                row(withSteps(step("name: guess, where: {outcome: failure}, times: optional"),
                                step("name: more, where: {outcome: failure}, times: optional")),
                        e + "'pattern.steps': every step is optional: the pattern would match no event"),
                row(withSteps(step("name: guess, where: {outcome: failure}"),
                                step("name: maybe, where: {outcome: failure}, times: optional"),
                                step("name: ok, where: {outcome: success}, absent: true")),
                        e + "'pattern.steps': cannot be compiled: Specifying a pattern with an optional path to NOT condition "
                                + "is not supported yet. You can simulate such pattern with two independent patterns, one with "
                                + "and the other without the optional part."));
    }

    private static Arguments row(String yaml, String... messages) {
        return Arguments.of(yaml, messages);
    }

    @ParameterizedTest
    @MethodSource("broken")
    void aBrokenPatternIsRefusedWithEveryProblemNamed(String yaml, String[] messages) throws Exception {
        assertThat(errors(yaml)).containsExactly(messages);
    }

    @Test
    void theBaseOfTheTableIsValid() throws Exception {
        assertThat(errors(OK)).isEmpty();
    }

    @Test
    void errorsOfOtherRulesAlreadyInTheListDoNotFailThisOne() throws Exception {
        List<String> errors = new ArrayList<>(List.of("rule 'other': field 'kind': is required"));
        assertThat(PatternSpecs.parse(yaml(OK), "r", errors)).isNotNull();
        assertThat(errors).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"job_consecutive_failures", "auth_bruteforce", "job_flapping"})
    void everyDefaultPatternParsesAndCompiles(String id) {
        PatternSpec spec = PatternDriver.defaultSpec(id);
        assertThat(PatternCompiler.compile(spec).getAfterMatchSkipStrategy().isSkipStrategy()).isTrue();
    }

    @Test
    void theDefaultsSayWhatTheRulesClaim() {
        PatternSpec brute = PatternDriver.defaultSpec("auth_bruteforce");
        assertThat(brute.key).isEqualTo("destination_user");
        assertThat(brute.withinMs).isEqualTo(20 * 60_000);
        assertThat(brute.steps).hasSize(2);
        PatternStep guess = brute.steps[0];
        assertThat(new Object[] {guess.name, guess.times, guess.orMore, guess.strict, guess.withinMs})
                .containsExactly("guess", 5, true, true, 10 * 60_000L);
        PatternStep success = brute.steps[1];
        assertThat(new Object[] {success.name, success.times, success.orMore, success.withinPreviousMs})
                .containsExactly("success", 1, false, 10 * 60_000L);
        assertThat(brute.entityFields).containsExactly("source_computer");
        assertThat(brute.resolveAfterMs).isEqualTo(3_600_000);
        assertThat(brute.resolveWhen).isNull();

        PatternSpec fails = PatternDriver.defaultSpec("job_consecutive_failures");
        assertThat(fails.steps).singleElement().satisfies(s -> {
            assertThat(s.times).isEqualTo(3);
            assertThat(s.orMore).isFalse();
            assertThat(s.strict).isTrue();
        });
        assertThat(fails.withinMs).isEqualTo(24 * 3_600_000L);
        assertThat(fails.resolveAfterMs).isZero();
        assertThat(fails.resolvedBy(run(RunEventType.COMPLETE), "etl/loan_tape")).isTrue();
        assertThat(fails.resolvedBy(run(RunEventType.FAIL), "etl/loan_tape")).isFalse();
        assertThat(fails.resolvedBy(run(RunEventType.COMPLETE), "etl/other_job")).as("another job").isFalse();
        assertThat(brute.resolvedBy(logon("lanl", "LogOn"), "U1")).as("resolves after 1h only").isFalse();

        PatternSpec flapping = PatternDriver.defaultSpec("job_flapping");
        assertThat(flapping.steps[1].differsFromPrevious).isEqualTo("event_type");
        assertThat(flapping.steps[1].times).isEqualTo(4);
        assertThat(flapping.withinMs).isEqualTo(2 * 3_600_000L);
        assertThat(flapping.resolveAfterMs).isEqualTo(2 * 3_600_000L);
    }

    @Test
    void conditionsMatchAnyListedValueOfEveryListedField() throws Exception {
        PatternSpec spec = PatternSpecs.parse(yaml(with("  events: {family: auth, orientation: LogOn}\n",
                "  events: {family: [auth], orientation: [LogOn, TGS], source: [lanl]}\n")), "r", new ArrayList<>());
        assertThat(spec.events.families).containsExactly(Family.AUTH);
        assertThat(spec.events.matches(logon("lanl", "LogOn"))).isTrue();
        assertThat(spec.events.matches(logon("lanl", "TGS"))).isTrue();
        assertThat(spec.events.matches(logon("lanl", "LogOff"))).isFalse();
        assertThat(spec.events.matches(logon("other", "LogOn"))).isFalse();
        assertThat(spec.events.matches(run(RunEventType.FAIL))).isFalse();
        assertThat(new EventCondition().matches(run(RunEventType.FAIL))).isTrue();
    }

    @Test
    void theSpecAndTheMatchAreFlinkPojosAndTheSpecTravelsWithTheJob() throws Exception {
        assertThat(TypeInformation.of(PatternMatch.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(PatternSpec.class)).isInstanceOf(PojoTypeInfo.class);
        PatternSpec spec = PatternDriver.defaultSpec("job_consecutive_failures");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).usingRecursiveComparison().ignoringFields("fields").isEqualTo(spec); // derived again on use
        }
    }

    private static Envelope run(RunEventType type) {
        PipelineRunEvent r = new PipelineRunEvent();
        r.eventType = type;
        r.jobNamespace = "etl";
        r.jobName = "loan_tape";
        r.runId = "r1";
        return Envelope.of("ol", r);
    }

    private static Envelope logon(String source, String orientation) {
        AuthEvent a = new AuthEvent();
        a.destinationUser = "U1";
        a.orientation = orientation;
        return Envelope.of(source, a);
    }
}
