package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ControlLinesTest {
    @Test
    void silencesAndRuleUpdatesParse() throws Exception {
        Control s = ControlLines.parse("{\"silence\":{\"id\":\"m1\",\"matchers\":{\"rule_id\":\"kpi_*\"},"
                + "\"starts_at\":\"2026-11-02T10:00:00Z\",\"ends_at\":\"2026-11-02T12:00:00Z\",\"comment\":\"maintenance\"}}");
        assertThat(s.silence.id).isEqualTo("m1");
        assertThat(s.silence.endsAt - s.silence.startsAt).isEqualTo(2 * 3_600_000L);
        Control r = ControlLines.parse("{\"rules\":\"rules:\\n  - id: a\\n    kind: source_stale\\n    warning: 5m\\n\"}");
        assertThat(r.ruleSet.rules).extracting(x -> x.id).containsExactly("a");
    }

    @Test
    void badControlLinesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ControlLines.parse("{\"rules\":\"rules:\\n  - id: a\\n    kind: source_stale\\n    warning: 5 min\\n\"}"))
                .isInstanceOf(RuleSetException.class).hasMessageContaining("rule 'a': field 'warning'");
        assertThatThrownBy(() -> ControlLines.parse("{\"silence\":{\"id\":\"x\",\"starts_at\":\"2026-11-02T10:00:00Z\","
                + "\"ends_at\":\"2026-11-02T09:00:00Z\",\"matchers\":{\"rule_id\":\"a\"}}}"))
                .hasMessageContaining("silence 'x': field 'ends_at': must be after starts_at");
        assertThatThrownBy(() -> ControlLines.parse("{\"silence\":{\"id\":\"all\",\"starts_at\":\"2026-11-02T10:00:00Z\","
                + "\"ends_at\":\"2026-11-02T11:00:00Z\"}}"))
                .hasMessageContaining("a silence never mutes everything");
        assertThatThrownBy(() -> ControlLines.parse("{\"mute\":1}")).hasMessageContaining("unknown control 'mute'");
        // gaps are the clock's, from the data it saw: a control file cannot declare one
        assertThatThrownBy(() -> ControlLines.parse("{\"gap\":{\"from\":0,\"to\":1}}"))
                .hasMessageContaining("unknown control 'gap'");
        assertThatThrownBy(() -> ControlLines.parse("not json")).hasMessageContaining("not JSON");
    }

    @Test
    void theControlOperatorPassesValidLinesAndDropsBadOnes() throws Exception {
        try (OneInputStreamOperatorTestHarness<RawRecord, Control> h =
                new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(new ControlFunction()))) {
            h.open();
            for (String line : List.of("{\"rules\":\"rules: [oops\"}",
                    "{\"rules\":\"rules:\\n  - id: a\\n    kind: source_stale\\n    warning: 5m\\n\"}", "")) {
                h.processElement(new StreamRecord<>(RawRecord.of("control", InputFormat.METRICS,
                        line.getBytes(StandardCharsets.UTF_8), 0L, "control.jsonl:1")));
            }
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.extractOutputValues().get(0).ruleSet.rules[0].id).isEqualTo("a");
        }
    }
}
