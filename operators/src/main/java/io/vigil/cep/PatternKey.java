package io.vigil.cep;

import io.vigil.model.Envelope;
import io.vigil.rules.EventFields;
import org.apache.flink.api.java.functions.KeySelector;

/** The value of a pattern rule's key field: one CEP sequence per value. */
public class PatternKey implements KeySelector<Envelope, String> {
    private static final long serialVersionUID = 1L;

    private final String field;

    public PatternKey(String field) {
        this.field = field;
    }

    @Override
    public String getKey(Envelope e) {
        return EventFields.get(e, field);
    }
}
