package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.RunEventType;
import io.vigil.parse.RecordDecoder;
import io.vigil.testing.Samples;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What baseline rules take from real producers' events (openlineage/real/NOTES.md): the row
 * count a dbt-ol COMPLETE reports for its output, and the START and COMPLETE of its run.
 */
class BaselineRoutingTest {
    private static final String DBT = "/openlineage/real/dbt-ol-1.34-model-run.jsonl";

    /** The recording's events, each decoded and valid. */
    private static List<Envelope> real(String resource) throws Exception {
        RecordDecoder d = new RecordDecoder(() -> Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
        List<Envelope> out = new ArrayList<>();
        try (InputStream in = BaselineRoutingTest.class.getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    Envelope e = d.decode(Samples.replayed("lineage", InputFormat.OPENLINEAGE, line));
                    assertThat(e.isValid()).as(line).isTrue();
                    out.add(e);
                }
            }
        }
        return out;
    }
    private static List<RuleInput> route(String rule, String resource) throws Exception {
        Rule r = RulesFile.parse("rules:\n  - id: b\n    kind: baseline\n" + rule + "    above: 2x\n", "test").rules[0];
        List<RuleInput> out = new ArrayList<>();
        for (Envelope e : real(resource)) {
            RuleMatcher.route(r, e, out);
        }
        return out;
    }

    @Test
    void rowsWrittenFromDbtOutputStatistics() throws Exception {
        List<RuleInput> in = route("    value: rows_written\n    select: {dataset: \"spark://*\"}\n",
                DBT);
        assertThat(in).hasSize(1);
        assertThat(in.get(0).entity).isEqualTo("dataset spark://localhost:10000/demo_schema.target_table");
        assertThat(in.get(0).value).isEqualTo(2);
        assertThat(route("    value: rows_written\n    select: {dataset: \"s3://*\"}\n",
                DBT)).as("another dataset").isEmpty();
    }

    @Test
    void runDurationFromTheRunsStartAndComplete() throws Exception {
        List<RuleInput> in = route("    value: run_duration\n    select: {job: \"local://somehost/*\"}\n",
                DBT);
        assertThat(in).extracting(i -> RunEventType.values()[i.code]).contains(RunEventType.START, RunEventType.COMPLETE);
        assertThat(in).extracting(i -> i.entity).allMatch(e -> e.startsWith("job local://somehost/"));
    }

    @Test
    void eventCountReadsSourceSummariesOnly() throws Exception {
        Rule r = RulesFile.parse("rules:\n  - id: b\n    kind: baseline\n    value: event_count\n    above: 2x\n", "test").rules[0];
        Envelope e = real(DBT).get(0);
        List<RuleInput> out = new ArrayList<>();
        RuleMatcher.route(r, e, out);
        assertThat(out).as("a record itself").isEmpty();
        RuleMatcher.route(r, Envelope.of(e.source, e.family, io.vigil.model.SourceCounts.of(e)), out);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).entity).isEqualTo("source " + e.source);
        assertThat(out.get(0).value).isEqualTo(1);
    }
}
