package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class SecretRefTest {
    private static final String URL = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX";

    @Test
    void referencesAreReadByTheirPrefixAndALiteralIsNeverShown() throws Exception {
        SecretRef literal = SecretRef.parse(URL);
        assertThat(literal.kind()).isEqualTo(SecretRef.Kind.LITERAL);
        assertThat(literal.toString()).isEqualTo("literal:****");
        assertThat(literal.resolve(region -> null).get()).isEqualTo(URL);
        assertThat(SecretRef.parse("literal:" + URL)).isEqualTo(literal);

        SecretRef env = SecretRef.parse("env:SLACK_WEBHOOK_ONCALL");
        assertThat(env.kind()).isEqualTo(SecretRef.Kind.ENV);
        assertThat(env.toString()).isEqualTo("env:SLACK_WEBHOOK_ONCALL");

        SecretRef sm = SecretRef.parse("secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/slack-AbCdEf#url");
        assertThat(sm.kind()).isEqualTo(SecretRef.Kind.SECRETS_MANAGER);
        assertThat(sm.region()).isEqualTo("eu-west-1");
        assertThat(sm.toString()).isEqualTo("secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:vigil/slack-AbCdEf#url");
        assertThat(SecretRef.parse("secretsmanager:vigil/slack").region()).as("by name: the default region").isNull();
    }

    @Test
    void badReferencesAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> SecretRef.parse("  ")).hasMessage("empty secret reference");
        assertThatThrownBy(() -> SecretRef.parse("env:not a name")).hasMessageNotContaining("not a name");
        assertThatThrownBy(() -> SecretRef.parse("secretsmanager:#url")).hasMessageContaining("needs a secret ARN");
    }

    @Test
    void anUnsetVariableFailsNamingTheVariable() {
        SecretRef ref = SecretRef.env("VIGIL_TEST_SURELY_UNSET_" + System.nanoTime());
        assertThatThrownBy(() -> ref.resolve(region -> null).get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("environment variable " + ref.toString().substring(4) + " is not set");
    }

    @Test
    void anEnvironmentVariableIsReadOnTheTaskManager() throws Exception {
        // PATH is set wherever tests run; a webhook would be SLACK_WEBHOOK_URL or the like
        assertThat(SecretRef.env("PATH").resolve(region -> null).get()).isEqualTo(System.getenv("PATH"));
    }
}
