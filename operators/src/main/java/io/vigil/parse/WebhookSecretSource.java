package io.vigil.parse;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where an input's webhook secret is fetched from on the task manager: the job graph carries this
 * reference only, and {@link ParseOperator} asks for the value when it opens.
 */
public interface WebhookSecretSource extends Serializable {
    /** The secret's bytes; fails with a message that names the reference, never the value. */
    byte[] secret() throws IOException;
}
