package io.vigil.model;

/** One field of OpenLineage's {@code schema} dataset facet. */
public class SchemaField {
    public String name;
    /** Null when the producer gave no type. */
    public String type;

    public SchemaField() {}

    public SchemaField(String name, String type) {
        this.name = name;
        this.type = type;
    }
}
