package io.vigil.model;

/**
 * A dataset named in a run's inputs or outputs, with the facets Vigil judges.
 * Arrays rather than lists keep the type a Flink POJO (no Kryo).
 */
public class Dataset {
    public String namespace;
    public String name;
    /**
     * Rows: {@code outputStatistics.rowCount} for outputs, {@code dataQualityMetrics.rowCount}
     * for inputs; null when not reported.
     */
    public Long rowCount;
    public DataQualityAssertion[] assertions = new DataQualityAssertion[0];
    public ColumnMetric[] columnMetrics = new ColumnMetric[0];
    /** {@code dataSource} facet: its uri, else its name; null when absent. */
    public String datasource;
    /** {@code schema} facet fields (top level, in the producer's order); empty when not reported. */
    public SchemaField[] schemaFields = new SchemaField[0];

    public Dataset() {}

    public Dataset(String namespace, String name) {
        this.namespace = namespace;
        this.name = name;
    }

    /** {@code namespace/name}, the identity alerts and tables use. */
    public String qualifiedName() {
        return namespace + "/" + name;
    }
}
