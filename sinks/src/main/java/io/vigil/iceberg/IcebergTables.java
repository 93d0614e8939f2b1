package io.vigil.iceberg;

import io.vigil.delivery.DeliveryRecord;
import io.vigil.model.AlertEvent;
import io.vigil.model.Envelope;
import io.vigil.model.Family;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.OutputTag;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Writes Vigil's curated tables: creates the missing ones in the configured catalog, derives each
 * table's rows from the envelope and alert streams, and appends them exactly once
 * ({@link TableFileWriter}s chained where the rows are made, one {@link TableCommitter} per table:
 * data files committed with each checkpoint; a restart resumes from the last committed
 * checkpoint). Every operator has a stable uid ({@code iceberg-<table>...}).
 */
public final class IcebergTables {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IcebergTables.class);
    private final IcebergCatalogConfig config;
    private final EnumMap<Family, Double> invalidRateThresholds = new EnumMap<>(Family.class);
    private int writeParallelism;

    private IcebergTables(IcebergCatalogConfig config) {
        this.config = config;
    }

    public static IcebergTables in(IcebergCatalogConfig config) {
        return new IcebergTables(config);
    }

    /**
     * Thresholds of the per-source invalid-rate results in dq_results, per family (0.001 = 0.1%);
     * without one, results carry no verdict. The rules' {@code invalid_rate} warnings are the
     * natural values.
     */
    public IcebergTables invalidRateThresholds(Map<Family, Double> thresholds) {
        invalidRateThresholds.clear();
        invalidRateThresholds.putAll(thresholds);
        return this;
    }

    /** Writers per table; by default the parallelism of the table's rows. */
    public IcebergTables writeParallelism(int parallelism) {
        this.writeParallelism = parallelism;
        return this;
    }

    public IcebergCatalogConfig config() {
        return config;
    }

    /**
     * Creates the namespace and every table that does not exist yet (with
     * {@link VigilTables#tableProperties()}), and checks that the existing ones have the columns and
     * partitioning the job writes, in order, so a mismatch fails here and names the column rather
     * than in a writer. Returns the tables it created.
     */
    public List<TableIdentifier> createMissingTables() {
        Catalog catalog = config.catalogLoaderCreatingCatalogTables().loadCatalog();
        try {
            Namespace ns = Namespace.of(config.namespace());
            if (catalog instanceof SupportsNamespaces) {
                SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
                if (!namespaces.namespaceExists(ns)) {
                    try {
                        namespaces.createNamespace(ns);
                    } catch (AlreadyExistsException raced) {
                        // another client made it first: what we wanted
                    }
                }
            }
            List<TableIdentifier> created = new ArrayList<>();
            for (CuratedTable t : VigilTables.all()) {
                TableIdentifier id = config.identifier(t);
                if (!catalog.tableExists(id)) {
                    try {
                        catalog.createTable(id, t.schema(), t.spec(), VigilTables.tableProperties());
                        created.add(id);
                        continue;
                    } catch (AlreadyExistsException raced) {
                        // fall through to the check
                    }
                }
                Table existing = catalog.loadTable(id);
                addMissingColumns(t, id, existing);
                checkMatches(t, id, existing);
            }
            return created;
        } finally {
            config.close(catalog);
        }
    }

    /**
     * Schema evolution: when {@code table} has our first columns, in order, and lacks only optional
     * ones after them (a table made by an older Vigil, or from older DDL), adds those columns, so a
     * release that adds a column starts on an existing warehouse. Anything else is left for
     * {@link #checkMatches} to refuse. Returns the columns added.
     */
    static List<String> addMissingColumns(CuratedTable expected, TableIdentifier id, Table table) {
        List<Types.NestedField> want = expected.schema().columns();
        List<Types.NestedField> have = table.schema().columns();
        if (have.size() >= want.size()) {
            return List.of();
        }
        for (int i = 0; i < have.size(); i++) {
            if (!want.get(i).name().equals(have.get(i).name())) {
                return List.of(); // not a prefix: checkMatches names the difference
            }
        }
        List<Types.NestedField> missing = want.subList(have.size(), want.size());
        for (Types.NestedField f : missing) {
            if (f.isRequired()) {
                return List.of(); // Iceberg cannot add a required column to rows already written
            }
        }
        org.apache.iceberg.UpdateSchema update = table.updateSchema();
        List<String> added = new ArrayList<>();
        for (Types.NestedField f : missing) {
            update.addColumn(f.name(), f.type(), f.doc());
            added.add(f.name());
        }
        update.commit();
        table.refresh();
        LOG.info("table {}: added columns {}", id, added);
        return added;
    }

    /** Fails, naming the table and column, unless {@code table} has our columns and partitioning. */
    static void checkMatches(CuratedTable expected, TableIdentifier id, Table table) {
        List<Types.NestedField> want = expected.schema().columns();
        List<Types.NestedField> have = table.schema().columns();
        for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
            String w = i < want.size() ? want.get(i).name() + " " + describe(want.get(i).type()) : "nothing";
            String h = i < have.size() ? have.get(i).name() + " " + describe(have.get(i).type()) : "nothing";
            if (!w.equals(h)) {
                throw new IllegalStateException("table " + id + " does not match what Vigil writes: column "
                        + (i + 1) + " is " + h + ", expected " + w);
            }
        }
        String want2 = describe(expected.spec(), expected.schema());
        String have2 = describe(table.spec(), table.schema());
        if (!want2.equals(have2)) {
            throw new IllegalStateException("table " + id + " is partitioned by " + have2
                    + ", expected " + want2);
        }
    }

    /** A type without field ids, as the column comparison needs. */
    static String describe(Type type) {
        if (type.isMapType()) {
            Types.MapType m = type.asMapType();
            return "map<" + describe(m.keyType()) + "," + describe(m.valueType()) + ">";
        }
        return type.toString();
    }

    static String describe(PartitionSpec spec, Schema schema) {
        List<String> fields = new ArrayList<>();
        for (PartitionField f : spec.fields()) {
            fields.add(f.transform() + "(" + schema.findColumnName(f.sourceId()) + ")");
        }
        return fields.toString();
    }

    /**
     * Creates the missing tables and wires every table into the job: {@link #rows} appended with
     * {@link #append}.
     *
     * @param envelopes valid events and dead letters of every input, with event-time timestamps and
     *     watermarks (VigilTopology's {@code Streams.envelopes})
     * @param alerts every alert state change, or null when the job judges no rules (no alerts table
     *     rows then)
     */
    public void write(DataStream<Envelope> envelopes, DataStream<AlertEvent> alerts) {
        write(Collections.singletonList(EnvelopeInput.of(null, envelopes)), alerts);
    }

    /**
     * As {@link #write(DataStream, DataStream)}, from each input's own stream, so each input's
     * event rows are made and written in that input's chain.
     */
    public void write(List<EnvelopeInput> inputs, DataStream<AlertEvent> alerts) {
        createMissingTables();
        for (Map.Entry<CuratedTable, DataStream<RowData>> table : rows(inputs, alerts).entrySet()) {
            append(table.getKey(), table.getValue());
        }
    }

    /**
     * Only the tables made from the events themselves, a row per event (or per output dataset of a
     * run): pipeline_runs, dataset_updates, metric_samples, auth_events, commerce_events and
     * dead_letter, as {@link #write} makes them; no windows, no alerts (the bench's ingest ceiling).
     */
    public void writeEventTables(DataStream<Envelope> envelopes) {
        createMissingTables();
        List<SingleOutputStreamOperator<RowData>> split = Collections.singletonList(
                envelopes.process(new InputTableRows(), VigilTables.DEAD_LETTER.typeInfo())
                        .name("table rows").uid("iceberg-rows").setParallelism(envelopes.getParallelism()));
        append(VigilTables.PIPELINE_RUNS, FinishedRuns.of(side(split, InputTableRows.RUNS)));
        append(VigilTables.DATASET_UPDATES, side(split, InputTableRows.DATASET_UPDATES));
        append(VigilTables.METRIC_SAMPLES, side(split, InputTableRows.METRIC_SAMPLES));
        append(VigilTables.AUTH_EVENTS, side(split, InputTableRows.AUTH_EVENTS));
        append(VigilTables.COMMERCE_EVENTS, side(split, InputTableRows.COMMERCE_EVENTS));
        append(VigilTables.DEAD_LETTER, split.get(0));
    }

    /** The rows of every table from one stream of every input's envelopes; see {@link #rows(List, DataStream)}. */
    public Map<CuratedTable, DataStream<RowData>> rows(DataStream<Envelope> envelopes, DataStream<AlertEvent> alerts) {
        return rows(Collections.singletonList(EnvelopeInput.of(null, envelopes)), alerts);
    }

    /**
     * The rows of every table, derived from the inputs' envelopes and the alerts (see {@link #write}
     * for what the streams must be), in {@link VigilTables#all()} order; the alerts table only when
     * alerts are given. Each input's envelopes are split into event rows in the input's chain
     * ({@link InputTableRows}); with one input, the event tables' writers chain there too; with
     * several, each input forwards its rows to them (never keyed). Typed with Flink's RowData serializer: nothing here needs Kryo.
     */
    public Map<CuratedTable, DataStream<RowData>> rows(List<EnvelopeInput> inputs, DataStream<AlertEvent> alerts) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs");
        }
        List<SingleOutputStreamOperator<RowData>> split = new ArrayList<>();
        DataStream<Envelope> all = null;
        for (EnvelopeInput in : inputs) {
            split.add(in.envelopes.process(new InputTableRows(), VigilTables.DEAD_LETTER.typeInfo())
                    .name("table rows" + (in.name == null ? "" : " " + in.name))
                    .uid("iceberg-rows" + (in.name == null ? "" : "-" + in.name))
                    .setParallelism(in.envelopes.getParallelism()));
            all = all == null ? in.envelopes : all.union(in.envelopes);
        }
        Map<CuratedTable, DataStream<RowData>> rows = new LinkedHashMap<>();
        rows.put(VigilTables.PIPELINE_RUNS, FinishedRuns.of(side(split, InputTableRows.RUNS)));
        rows.put(VigilTables.DATASET_UPDATES, side(split, InputTableRows.DATASET_UPDATES));
        rows.put(VigilTables.DQ_RESULTS, side(split, InputTableRows.ASSERTIONS)
                .union(SourceQuality.of(all, invalidRateThresholds)));
        rows.put(VigilTables.METRIC_SAMPLES, side(split, InputTableRows.METRIC_SAMPLES));
        rows.put(VigilTables.AUTH_EVENTS, side(split, InputTableRows.AUTH_EVENTS));
        rows.put(VigilTables.AUTH_USER_FEATURES, AuthUserFeatures.of(side(split, InputTableRows.AUTH_USERS)));
        rows.put(VigilTables.COMMERCE_EVENTS, side(split, InputTableRows.COMMERCE_EVENTS));
        rows.put(VigilTables.COMMERCE_METRICS, CommerceMetrics.of(side(split, InputTableRows.COMMERCE)));
        if (alerts != null) {
            rows.put(VigilTables.ALERTS, alerts.map(TableRows::alert, VigilTables.ALERTS.typeInfo())
                    .name("rows alerts")
                    .uid("iceberg-rows-alerts")
                    .setParallelism(alerts.getParallelism())); // few: one writer, in the alerts' chain
        }
        DataStream<RowData> deadLetters = null;
        for (SingleOutputStreamOperator<RowData> s : split) {
            deadLetters = deadLetters == null ? s : deadLetters.union(s);
        }
        rows.put(VigilTables.DEAD_LETTER, deadLetters);
        return rows;
    }

    /**
     * One side output of every input, unioned; a single input's stream as it is, so what consumes
     * it chains to it. Every input, even one whose family never has such rows, so a table's
     * writers end with the job's inputs rather than one by one (their last files then wait in the
     * committer for the others'; see {@link TableCommitter}).
     */
    private static <T> DataStream<T> side(List<SingleOutputStreamOperator<RowData>> split, OutputTag<T> tag) {
        DataStream<T> out = null;
        for (SingleOutputStreamOperator<RowData> s : split) {
            out = out == null ? s.getSideOutput(tag) : out.union(s.getSideOutput(tag));
        }
        return out;
    }

    /**
     * Sets what suits a job whose inputs all end (a replay, a benchmark): no checkpoint once a task
     * has finished, so the job ends when its last input does instead of waiting for a final
     * checkpoint (up to a whole interval). The committers need none: each commits its table's last
     * files when its writers have all ended. Not for a live job: an input that ends there would
     * stop its checkpoints.
     */
    public static Configuration forBoundedInputs(Configuration conf) {
        conf.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, false);
        return conf;
    }

    /**
     * Appends the alert delivery records ({@code AlertDelivery.apply}) to alert_deliveries. Not
     * part of {@link #write}/{@link #rows}: the job adds it where it delivers alerts. Creating the
     * tables ({@link #createMissingTables()}, which {@link #write} calls) creates this one too.
     */
    public DataStreamSink<Void> writeDeliveries(DataStream<DeliveryRecord> deliveries) {
        DataStream<RowData> rows = deliveries.map(TableRows::delivery, VigilTables.ALERT_DELIVERIES.typeInfo())
                .name("rows alert_deliveries")
                .uid("iceberg-rows-alert_deliveries")
                .setParallelism(deliveries.getParallelism());
        return append(VigilTables.ALERT_DELIVERIES, rows);
    }

    /** Writes the routes' digests (the delivery operator's {@code AlertDelivery.DIGESTS} side output) to alert_digests. */
    public DataStreamSink<Void> writeDigests(DataStream<io.vigil.delivery.AlertDigest> digests) {
        DataStream<RowData> rows = digests.map(TableRows::digest, VigilTables.ALERT_DIGESTS.typeInfo())
                .name("rows alert_digests")
                .uid("iceberg-rows-alert_digests")
                .setParallelism(digests.getParallelism());
        return append(VigilTables.ALERT_DIGESTS, rows);
    }

    /**
     * Appends a stream of a table's rows (built with {@link CuratedTable#newRow()}), exactly once,
     * without a shuffle: each {@link TableFileWriter} chains to the subtask that makes the rows (same
     * parallelism, forward) and writes one file per day it saw per checkpoint. Keying rows by day
     * instead would cost a network exchange per row and give a table one busy writer per day. One
     * {@link TableCommitter} per table; uids {@code iceberg-<table>-writer} and
     * {@code iceberg-<table>-commits}.
     */
    public DataStreamSink<Void> append(CuratedTable table, DataStream<RowData> rows) {
        int writers = writeParallelism > 0 ? writeParallelism : rows.getParallelism();
        String name = table.name();
        return rows.transform("write " + name, TableFileWriter.FILES, new TableFileWriter(config.tableLoader(table)))
                .uid("iceberg-" + name + "-writer")
                .setParallelism(writers)
                .transform("commit " + name, org.apache.flink.api.common.typeinfo.Types.VOID, new TableCommitter(config.tableLoader(table)))
                .uid("iceberg-" + name + "-commits")
                .setParallelism(1)
                .setMaxParallelism(1)
                .sinkTo(new DiscardingSink<>())
                .name("committed " + name)
                .uid("iceberg-" + name + "-committed")
                .setParallelism(1);
    }

    /** One input's envelopes for the tables, and its name (in operator ids). */
    public static final class EnvelopeInput {
        final String name;
        final DataStream<Envelope> envelopes;

        private EnvelopeInput(String name, DataStream<Envelope> envelopes) {
            this.name = name;
            this.envelopes = envelopes;
        }

        /**
         * @param name the input's name, unique in the job, in the uid of its rows operator; null for
         *     the single stream of every input
         */
        public static EnvelopeInput of(String name, DataStream<Envelope> envelopes) {
            return new EnvelopeInput(name, envelopes);
        }
    }
}
