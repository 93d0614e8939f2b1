package io.vigil.cep;

import org.apache.flink.api.java.functions.KeySelector;

/** The value of a pattern rule's key field: one CEP sequence per value. */
public class PatternKey implements KeySelector<PatternEvent, String> {
    private static final long serialVersionUID = 1L;

    private final PatternFields fields;

    public PatternKey(PatternSpec spec) {
        this.fields = spec.fields();
    }

    @Override
    public String getKey(PatternEvent e) {
        return fields.key(e);
    }
}
