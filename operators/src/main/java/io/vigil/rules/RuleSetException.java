package io.vigil.rules;

import java.util.Collections;
import java.util.List;

/** A rules file that cannot be used; lists every error, each naming the rule and field. */
public class RuleSetException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public RuleSetException(String origin, List<String> errors) {
        super(origin + ": " + errors.size() + " error(s)\n  " + String.join("\n  ", errors));
        this.errors = Collections.unmodifiableList(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
