package io.vigil.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vigil.model.InputFormat;
import io.vigil.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validates the recordings and the project's own sample against the official OpenLineage JSON
 * schemas (copies under openlineage/schema/): the event against OpenLineage.json, and every facets
 * map against each facet schema of its kind (a facet schema maps its facet key to its definition).
 * The schemas are served from the copies; nothing is fetched.
 */
class OpenLineageSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FACETS = {
        "BaseSubsetDatasetFacet", "CatalogDatasetFacet", "ColumnLineageDatasetFacet", "DataQualityAssertionsDatasetFacet",
        "DataQualityMetricsDatasetFacet", "DataQualityMetricsInputDatasetFacet", "DatasetTypeDatasetFacet",
        "DatasetVersionDatasetFacet", "DatasourceDatasetFacet", "DocumentationDatasetFacet", "DocumentationJobFacet",
        "EnvironmentVariablesRunFacet", "ErrorMessageRunFacet", "ExecutionParametersRunFacet", "ExternalQueryRunFacet",
        "ExtractionErrorRunFacet", "HierarchyDatasetFacet", "InputStatisticsInputDatasetFacet", "JobDependenciesRunFacet",
        "JobTypeJobFacet", "LifecycleStateChangeDatasetFacet", "LineageFacet", "NominalTimeRunFacet",
        "OutputStatisticsOutputDatasetFacet", "OwnershipDatasetFacet", "OwnershipJobFacet", "ParentRunFacet",
        "ProcessingEngineRunFacet", "SQLJobFacet", "SchemaDatasetFacet", "SourceCodeJobFacet", "SourceCodeLocationJobFacet",
        "StorageDatasetFacet", "SymlinksDatasetFacet", "TagsDatasetFacet", "TagsJobFacet", "TagsRunFacet", "TestRunFacet",
    };
    /**
     * Recordings that are not whole events as emitted: the dbt structured-logs fixture is the
     * subset OpenLineage's own test matches against, without producer, schemaURL and facets'
     * _producer/_schemaURL (see NOTES.md). It is parsed, not schema-validated.
     */
    private static final List<String> PARTIAL = List.of("dbt-ol-structured-logs-failed-test.jsonl");

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, b -> b.schemas(OpenLineageSchemaTest::localCopy));
    private static final Schema EVENT = REGISTRY.getSchema(SchemaLocation.of("https://openlineage.io/spec/2-0-2/OpenLineage.json"));
    private static final Map<String, Schema> FACET_SCHEMAS = new LinkedHashMap<>();
    /** Per facet schema, the facet keys it defines (its root properties). */
    private static final Map<String, List<String>> FACET_KEYS = new LinkedHashMap<>();

    static {
        for (String f : FACETS) {
            String iri = "https://openlineage.io/spec/facets/1-0-0/" + f + ".json";
            FACET_SCHEMAS.put(f, REGISTRY.getSchema(SchemaLocation.of(iri)));
            try {
                List<String> keys = new ArrayList<>();
                JSON.readTree(localCopy(iri)).path("properties").fieldNames().forEachRemaining(keys::add);
                FACET_KEYS.put(f, keys);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * What the producers' recordings break in the official schemas, exactly: dbt's processor
     * (run_results path) writes {@code _deleted: null} in the jobType facet, where the schema wants
     * a boolean; the event schema's oneOf then fails too. The Airflow task events' columnLineage
     * facet has no _producer/_schemaURL (as recorded; the other facets of those events have them).
     */
    private static final Map<String, List<String>> KNOWN_DEVIATIONS = Map.of(
            "airflow-provider-2.2.0.jsonl", List.of(
                    "event: : must be valid to one and only one schema, but 0 are valid",
                    "event: /outputs/0/facets/columnLineage: required property '_producer' not found",
                    "event: /outputs/0/facets/columnLineage: required property '_schemaURL' not found",
                    "ColumnLineageDatasetFacet: /columnLineage: required property '_producer' not found",
                    "ColumnLineageDatasetFacet: /columnLineage: required property '_schemaURL' not found"),
            "dbt-run-results-failed-tests.jsonl", List.of(
                    "event: : must be valid to one and only one schema, but 0 are valid",
                    "event: /job/facets/jobType/_deleted: null found, boolean expected",
                    "JobTypeJobFacet: /jobType/_deleted: null found, boolean expected"));

    /** Serves the schema copies for their openlineage.io addresses, whatever version they name. */
    private static String localCopy(String iri) {
        String prefix = "https://openlineage.io/spec/";
        if (!iri.startsWith(prefix)) {
            return null;
        }
        String file = iri.substring(iri.lastIndexOf('/') + 1);
        String path = iri.startsWith(prefix + "facets/") ? "/openlineage/schema/facets/" + file : "/openlineage/schema/" + file;
        try (InputStream in = OpenLineageSchemaTest.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> wholeRecordings() {
        List<String> out = new ArrayList<>();
        for (String r : OpenLineageRecordingsTest.RECORDINGS) {
            if (!PARTIAL.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("wholeRecordings")
    void recordingsMatchTheOfficialSchemas(String name) throws IOException {
        List<String> known = KNOWN_DEVIATIONS.getOrDefault(name, List.of());
        java.util.Set<String> deviations = new java.util.HashSet<>();
        for (String line : OpenLineageRecordingsTest.lines(name)) {
            List<String> found = violations(JSON.readTree(line));
            assertThat(found).as(name + ": " + line.substring(0, Math.min(120, line.length()))).allMatch(known::contains);
            deviations.addAll(found);
        }
        if (!known.isEmpty()) {
            assertThat(deviations).as("the known deviations of " + name + " still show").containsAll(known);
        }
    }

    @Test
    void theProjectSampleMatchesTheOfficialSchemas() throws IOException {
        for (String line : Samples.records(InputFormat.OPENLINEAGE)) {
            assertThat(violations(JSON.readTree(line))).as(line.substring(0, 100)).isEmpty();
        }
    }

    @Test
    void theSchemasCatchWhatTheyShould() throws IOException {
        // a failing check must be able to fail: an assertion without success, an event without run or job
        String bad = "{\"eventTime\":\"2026-11-02T10:00:00Z\",\"producer\":\"p\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
                + "\"run\":{\"runId\":\"01932d4e-7a3b-7c1e-9a55-3f1c2b8e4d01\"},\"job\":{\"namespace\":\"n\",\"name\":\"j\"},"
                + "\"inputs\":[{\"namespace\":\"a\",\"name\":\"b\",\"facets\":{\"dataQualityAssertions\":{\"_producer\":\"p\",\"_schemaURL\":\"u\","
                + "\"assertions\":[{\"assertion\":\"not_null\"}]}}}]}";
        assertThat(violations(JSON.readTree(bad))).anyMatch(v -> v.contains("success"));
        String noRunNoJob = "{\"eventTime\":\"2026-11-02T10:00:00Z\",\"producer\":\"p\",\"schemaURL\":\"u\"}";
        assertThat(violations(JSON.readTree(noRunNoJob))).isNotEmpty();
    }

    /** Violations of the event schema and of every facet schema, as readable lines. */
    static List<String> violations(JsonNode event) {
        List<String> out = new ArrayList<>();
        // oneOf reports why the event is none of the other two types too: keep its own branch
        String branch = event.has("run") ? "/oneOf/0" : event.has("dataset") ? "/oneOf/1" : "/oneOf/2";
        for (Error e : EVENT.validate(event)) {
            String path = String.valueOf(e.getEvaluationPath());
            if (!path.contains("/oneOf/") || path.startsWith(branch)) {
                out.add("event: " + e);
            }
        }
        List<JsonNode[]> facetMaps = new ArrayList<>();
        JsonNode run = event.path("run");
        facetMaps.add(new JsonNode[] {run.path("facets"), null});
        facetMaps.add(new JsonNode[] {event.path("job").path("facets"), null});
        for (String side : new String[] {"inputs", "outputs"}) {
            for (JsonNode d : event.path(side)) {
                facetMaps.add(new JsonNode[] {d.path("facets"), null});
                facetMaps.add(new JsonNode[] {d.path(side.equals("inputs") ? "inputFacets" : "outputFacets"), null});
            }
        }
        facetMaps.add(new JsonNode[] {event.path("dataset").path("facets"), null});
        for (JsonNode[] m : facetMaps) {
            JsonNode facets = m[0];
            if (!facets.isObject() || facets.isEmpty()) {
                continue;
            }
            for (Map.Entry<String, Schema> s : FACET_SCHEMAS.entrySet()) {
                if (FACET_KEYS.get(s.getKey()).stream().noneMatch(facets::has)) {
                    continue; // a schema's root may require its facet (BaseSubsetDatasetFacet)
                }
                for (Error e : s.getValue().validate(facets)) {
                    out.add(s.getKey() + ": " + e);
                }
            }
        }
        return out;
    }

}
