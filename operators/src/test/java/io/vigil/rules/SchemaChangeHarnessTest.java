package io.vigil.rules;

import static io.vigil.rules.EvaluatorDriver.MIN;
import static io.vigil.rules.EvaluatorDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.AlertEvent;
import io.vigil.model.InputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code schema_change} on schemas recorded from real producers (openlineage/real/NOTES.md): the
 * Airflow provider's task events and the OpenLineage client's DatasetEvent, with fields then
 * removed, retyped or added here. Ends with no state and no timer left.
 */
class SchemaChangeHarnessTest {
    private static final long H = 60 * MIN;
    private static final long DAY = 24 * H;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULE = "  - id: schema\n    kind: schema_change\n    resolve_after: 2h\n";

    /** The recorded Airflow task COMPLETE at {@code t}; {@code edit} changes its output's schema fields. */
    private static String airflowTask(long t, java.util.function.Consumer<ArrayNode> edit) {
        ObjectNode e = recorded("airflow-provider-2.2.0.jsonl", 2);
        e.put("eventTime", Instant.ofEpochMilli(t).toString());
        ArrayNode fields = (ArrayNode) e.get("outputs").get(0).get("facets").get("schema").get("fields");
        edit.accept(fields);
        return e.toString();
    }

    private static ObjectNode recorded(String file, int line) {
        try (InputStream in = SchemaChangeHarnessTest.class.getResourceAsStream("/openlineage/real/" + file)) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            return (ObjectNode) JSON.readTree(lines[line]);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static ObjectNode field(String name, String type) {
        ObjectNode f = JSON.createObjectNode().put("name", name);
        if (type != null) {
            f.put("type", type);
        }
        return f;
    }

    private static final String OUT = "dataset postgres://postgres:5432/food_delivery.public.popular_orders_day_of_week";

    @Test
    void theFirstSchemaIsTheReferenceEachChangeFiresByItsTypeAndResolvesAfterTheLast() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(RULE))) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0, f -> {}));
            d.time(T0 + MIN);
            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0 + 10 * MIN, f -> {}));
            d.time(T0 + 11 * MIN);
            assertThat(d.alerts()).as("the first schema is the reference; the same one again is no change").isEmpty();

            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0 + 20 * MIN, f -> f.add(field("region", "varchar"))));
            d.time(T0 + 21 * MIN);
            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0 + 30 * MIN, f -> {
                f.add(field("region", "varchar"));
                ((ObjectNode) f.get(2)).put("type", "int8");
            }));
            d.time(T0 + 31 * MIN);
            // the new schema is the reference: seen again, it changes nothing
            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0 + 40 * MIN, f -> {
                f.add(field("region", "varchar"));
                ((ObjectNode) f.get(2)).put("type", "int8");
            }));
            d.time(T0 + 3 * H);
            assertThat(d.alerts()).containsExactly(
                    "schema firing info @1200s " + OUT,
                    "schema firing critical @1800s " + OUT,
                    "schema resolved critical @9000s " + OUT);
            List<AlertEvent> raised = d.h.extractOutputValues();
            assertThat(raised.get(0).summary).isEqualTo(OUT + ": schema changed: added region varchar (info) (3 fields, now 4)");
            assertThat(raised.get(1).summary).isEqualTo(OUT + ": schema changed: retyped orders_placed: int4 -> int8 (critical)"
                    + " (4 fields, now 4)");
            assertThat(raised.get(1).value).isEqualTo(1);

            // both datasets keep their last schema until the rule's retention (7 days) passes without them
            assertThat(d.keyedState()).isEqualTo(4);
            d.time(T0 + 8 * DAY);
            assertThat(d.alerts()).hasSize(3);
            assertThat(d.keyedState()).isZero();
            assertThat(d.h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void severitiesPerChangeTypeAndIgnoredChangesStillMoveTheReference() throws Exception {
        String rule = "  - id: schema\n    kind: schema_change\n    select: {dataset: \"*popular_orders*\"}\n"
                + "    changes: {added: none, retyped: warning}\n    resolve_after: 30m\n";
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(rule))) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0, f -> {}));
            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0 + MIN, f -> {
                for (int i = 0; i < 12; i++) {
                    f.add(field("c" + i, "text"));
                }
            }));
            d.time(T0 + 2 * MIN);
            assertThat(d.alerts()).as("added fields are ignored by this rule").isEmpty();
            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0 + 10 * MIN, f -> {
                for (int i = 0; i < 12; i++) {
                    f.add(field("c" + i, "text"));
                }
                f.remove(0);
                ((ObjectNode) f.get(1)).put("type", "bigint"); // orders_placed, now second
            }));
            d.time(T0 + H);
            assertThat(d.alerts()).containsExactly("schema firing critical @600s " + OUT, "schema resolved critical @2400s " + OUT);
            String summary = d.h.extractOutputValues().get(0).summary;
            // the 12 fields added before are the reference now: nothing about them is listed
            assertThat(summary).isEqualTo(OUT + ": schema changed: removed order_day_of_week varchar (critical);"
                    + " retyped orders_placed: int4 -> bigint (warning) (15 fields, now 14)");
        }
    }

    @Test
    void moreChangesThanListedAreCounted() throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(RULE))) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0, f -> {}));
            d.line(InputFormat.OPENLINEAGE, "ol", airflowTask(T0 + MIN, f -> {
                for (int i = 0; i < 14; i++) {
                    f.add(field("c" + i, "text"));
                }
            }));
            d.time(T0 + 2 * MIN);
            AlertEvent a = d.h.extractOutputValues().get(0);
            assertThat(a.value).isEqualTo(14);
            assertThat(a.summary).contains("added c9 text (info); and 4 more (3 fields, now 17)");
        }
    }

    @Test
    void datasetEventsAreJudgedAndAFieldWithoutATypeIsNoRetype() throws Exception {
        ObjectNode first = recorded("static-events.jsonl", 0);
        String ds = "dataset openlineage/name";
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(RULE))) {
            d.h.open();
            d.line(InputFormat.OPENLINEAGE, "ol", datasetEvent(first, T0, "a", "string", "b", "string"));
            // a producer that stops sending types (dbt without a catalog) has not retyped anything
            d.line(InputFormat.OPENLINEAGE, "ol", datasetEvent(first, T0 + MIN, "a", null, "b", "string"));
            d.line(InputFormat.OPENLINEAGE, "ol", datasetEvent(first, T0 + 2 * MIN, "a", null));
            d.time(T0 + 3 * MIN);
            assertThat(d.alerts()).containsExactly("schema firing critical @120s " + ds);
            assertThat(d.h.extractOutputValues().get(0).summary).isEqualTo(ds + ": schema changed: removed b string (critical)"
                    + " (2 fields, now 1)");
        }
    }

    @Test
    void schemasArrivingOutOfOrderAreComparedInEventTimeOrder() throws Exception {
        String[] inOrder = {
            airflowTask(T0, f -> {}),
            airflowTask(T0 + MIN, f -> f.add(field("region", "varchar"))),
            airflowTask(T0 + 2 * MIN, f -> f.remove(0)),
        };
        List<String> expected = play(inOrder[0], inOrder[1], inOrder[2]);
        assertThat(expected).hasSize(2);
        assertThat(play(inOrder[2], inOrder[0], inOrder[1])).isEqualTo(expected);
        assertThat(play(inOrder[1], inOrder[2], inOrder[0])).isEqualTo(expected);
    }

    private static List<String> play(String... events) throws Exception {
        try (EvaluatorDriver d = new EvaluatorDriver(EvaluatorDriver.rules(RULE))) {
            d.h.open();
            for (String e : events) {
                d.line(InputFormat.OPENLINEAGE, "ol", e);
            }
            d.time(T0 + 10 * MIN);
            return d.h.extractOutputValues().stream().map(a -> a.severity.wire() + " " + a.summary)
                    .collect(Collectors.toList());
        }
    }

    private static String datasetEvent(ObjectNode recorded, long t, String... fieldsAndTypes) {
        ObjectNode e = recorded.deepCopy();
        e.put("eventTime", Instant.ofEpochMilli(t).toString());
        ArrayNode fields = (ArrayNode) e.get("dataset").get("facets").get("schema").get("fields");
        fields.removeAll();
        for (int i = 0; i < fieldsAndTypes.length; i += 2) {
            fields.add(field(fieldsAndTypes[i], fieldsAndTypes[i + 1]));
        }
        return e.toString();
    }
}
