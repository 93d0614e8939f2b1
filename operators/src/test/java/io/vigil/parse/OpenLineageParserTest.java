package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DataQualityAssertion;
import io.vigil.model.Envelope;
import io.vigil.model.InputFormat;
import io.vigil.model.ReasonCode;
import io.vigil.model.SourceTally;
import io.vigil.testing.Samples;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Lenient facets, caps and the static-event rule of the OpenLineage parser. */
class OpenLineageParserTest {
    private static final String HEAD = "{\"eventType\":\"FAIL\",\"eventTime\":\"2026-11-02T10:00:00Z\",\"run\":{\"runId\":\"r1\"},"
            + "\"job\":{\"namespace\":\"ns\",\"name\":\"j\"}";
    private final RecordDecoder decoder = new RecordDecoder(() -> Instant.parse("2026-11-21T00:00:00Z").toEpochMilli());

    private Envelope decode(String json) {
        return decoder.decode(Samples.raw(InputFormat.OPENLINEAGE, json));
    }

    private static String input(String facets) {
        return HEAD + ",\"inputs\":[{\"namespace\":\"pg\",\"name\":\"orders\"," + facets + "}]}";
    }

    @Test
    void anAssertionsFacetOfAnUnknownShapeIsCountedAndTheEventStaysValid() {
        Envelope e = decode(input("\"facets\":{\"dataQualityAssertions\":{\"assertions\":[{\"assertion\":\"not_null\",\"success\":\"no\"},"
                + "{\"assertion\":\"unique\",\"success\":false,\"column\":\"id\"}]}}"));
        assertThat(e.isValid()).isTrue();
        // what can be read is read
        assertThat(e.run.inputs[0].assertions).containsExactly(new DataQualityAssertion("unique", false, "id"));
        assertThat(e.notes.unreadableFacets).isEqualTo(1);
        assertThat(e.notes.unreadableDetail).contains("inputs[0].facets.dataQualityAssertions.assertions[0].success");
        Envelope v2 = decode(input("\"inputFacets\":{\"dataQualityAssertions\":{\"assertions\":{\"v2\":true}}}"));
        assertThat(v2.isValid()).isTrue();
        assertThat(v2.notes.unreadableFacets).isEqualTo(1);
        SourceTally t = new SourceTally("s");
        t.add(e);
        t.add(v2);
        assertThat(t.unreadableFacets).isEqualTo(2);
        assertThat(t.valid).isEqualTo(2);
    }

    @Test
    void negativeOrMistypedCountsInAFacetAreUnreadableNotFatal() {
        Envelope e = decode(HEAD + ",\"outputs\":[{\"namespace\":\"a\",\"name\":\"b\",\"outputFacets\":{\"outputStatistics\":{\"rowCount\":-1}}}],"
                + "\"inputs\":[{\"namespace\":\"pg\",\"name\":\"o\",\"inputFacets\":{\"dataQualityMetrics\":{\"rowCount\":10,"
                + "\"columnMetrics\":{\"a\":{\"nullCount\":\"x\"},\"b\":{\"nullCount\":2}}}}}]}");
        assertThat(e.isValid()).isTrue();
        assertThat(e.run.outputs[0].rowCount).isNull();
        assertThat(e.run.inputs[0].rowCount).isEqualTo(10L);
        assertThat(e.run.inputs[0].columnMetrics).extracting(c -> c.column).containsExactly("b");
        assertThat(e.notes.unreadableFacets).isEqualTo(2);
    }

    @Test
    void runFacetsOfAnotherShapeAreSkipped() {
        Envelope e = decode("{\"eventType\":\"START\",\"eventTime\":\"2026-11-02T10:00:00Z\",\"run\":{\"runId\":\"r1\",\"facets\":{"
                + "\"parent\":{\"run\":\"r0\"},\"nominalTime\":{\"nominalStartTime\":\"yesterday\"},\"errorMessage\":[1]}},"
                + "\"job\":{\"namespace\":\"ns\",\"name\":\"j\",\"facets\":{\"jobType\":{\"jobType\":7}}}}");
        assertThat(e.isValid()).isTrue();
        assertThat(e.run.parentRunId).isNull();
        assertThat(e.run.nominalStartTime).isNull();
        assertThat(e.notes.unreadableFacets).isEqualTo(4);
    }

    @Test
    void theEnvelopeOfAnEventIsStillStrict() {
        assertThat(decode(HEAD.replace("\"runId\":\"r1\"", "\"runId\":42") + "}").deadLetter.reason).isEqualTo(ReasonCode.BAD_TYPE);
        // a RunEvent that lost its run keeps its eventType: refused, not taken for a JobEvent
        assertThat(decode("{\"eventType\":\"START\",\"eventTime\":\"2026-11-02T10:00:00Z\",\"job\":{\"namespace\":\"ns\",\"name\":\"j\"}}")
                .deadLetter.reason).isEqualTo(ReasonCode.MISSING_FIELD);
        assertThat(decode(input("\"facets\":{}").replace("\"name\":\"orders\"", "\"name\":\"\"")).deadLetter.reason)
                .isEqualTo(ReasonCode.MISSING_FIELD);
        assertThat(decode(HEAD.replace("2026-11-02T10:00:00Z", "2026-11-02 10:00") + "}").deadLetter.reason)
                .isEqualTo(ReasonCode.BAD_TIMESTAMP);
    }

    @Test
    void aDatasetEventWithoutSchemaUrlIsStaticLineageAndCarriesNoRun() {
        Envelope e = decode("{\"eventTime\":\"2026-11-02T10:00:00Z\",\"producer\":\"p\",\"dataset\":{\"namespace\":\"pg\",\"name\":\"t\","
                + "\"facets\":{\"dataSource\":{\"name\":\"pg\",\"uri\":\"postgres://db:5432\"},\"schema\":{\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}}}}");
        assertThat(e.isValid()).isTrue();
        assertThat(e.run).isNull();
        assertThat(e.lineage.datasets[0].datasource).isEqualTo("postgres://db:5432");
        assertThat(e.lineage.datasets[0].schemaFields[0].type).isEqualTo("int");
        assertThat(e.notes).isNull();
    }

    @Test
    void datasetsBeyondTheCapAreCountedNotRead() {
        int n = OpenLineageParser.MAX_DATASETS_PER_SIDE + 7;
        StringBuilder outs = new StringBuilder();
        for (int i = 0; i < n; i++) {
            outs.append(i == 0 ? "" : ",").append("{\"namespace\":\"s3\",\"name\":\"o").append(i).append("\"}");
        }
        Envelope e = decode(HEAD.replace("FAIL", "COMPLETE") + ",\"outputs\":[" + outs + "],\"inputs\":[" + outs + "]}");
        assertThat(e.isValid()).isTrue();
        assertThat(e.run.outputs).hasSize(OpenLineageParser.MAX_DATASETS_PER_SIDE);
        assertThat(e.run.inputs).hasSize(OpenLineageParser.MAX_DATASETS_PER_SIDE);
        assertThat(e.notes.datasetsDropped).isEqualTo(14);
    }

    @Test
    void assertionsBeyondTheCapAreCountedNotRead() {
        int n = OpenLineageParser.MAX_ASSERTIONS_PER_DATASET + 5;
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < n; i++) {
            list.append(i == 0 ? "" : ",").append("{\"assertion\":\"check").append(i).append("\",\"success\":false}");
        }
        String facet = "{\"dataQualityAssertions\":{\"assertions\":[" + list + "]}}";
        // the same list in both places: kept once; the excess is counted in each place it appears
        Envelope e = decode(input("\"facets\":" + facet + ",\"inputFacets\":" + facet));
        assertThat(e.run.inputs[0].assertions).hasSize(OpenLineageParser.MAX_ASSERTIONS_PER_DATASET);
        assertThat(e.notes.assertionsDropped).isEqualTo(10);
        SourceTally t = new SourceTally("s");
        t.add(e);
        assertThat(t.assertionsDropped).isEqualTo(10);
    }
}
