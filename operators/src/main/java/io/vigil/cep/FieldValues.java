package io.vigil.cep;

/** One field of a pattern condition and the values it may take (any of them; {@code !v}: not v). */
public class FieldValues implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** An {@link io.vigil.rules.EventFields} name. */
    public String field;
    public String[] values = new String[0];

    public FieldValues() {}

    public FieldValues(String field, String[] values) {
        this.field = field;
        this.values = values;
    }
}
