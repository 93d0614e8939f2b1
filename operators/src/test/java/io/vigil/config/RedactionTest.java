package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void theUserAndPasswordOfAUriAreMaskedTheHostIsKept() {
        assertThat(Redaction.of("'jdbc:postgresql://vigil:s3cr3t@db.internal:5432/catalog' is not reachable"))
                .isEqualTo("'jdbc:postgresql://****@db.internal:5432/catalog' is not reachable");
        assertThat(Redaction.of("https://AKIA123:wJalr@sns.eu-west-1.amazonaws.com"))
                .isEqualTo("https://****@sns.eu-west-1.amazonaws.com");
        assertThat(Redaction.of("http://admin@127.0.0.1:4566/")).isEqualTo("http://****@127.0.0.1:4566/");
    }

    @Test
    void secretParametersOfUrisAndJdbcUrlsAreMasked() {
        assertThat(Redaction.of("jdbc:postgresql://db/cat?user=vigil&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/cat?user=****&password=****&ssl=true");
        assertThat(Redaction.of("jdbc:sqlserver://db;user=sa;Password=s3cr3t;encrypt=true"))
                .isEqualTo("jdbc:sqlserver://db;user=****;Password=****;encrypt=true");
        assertThat(Redaction.of("https://s3/x?X-Amz-Signature=abcdef&X-Amz-Date=1"))
                .isEqualTo("https://s3/x?X-Amz-Signature=****&X-Amz-Date=1");
    }

    @Test
    void aSlackWebhooksTokenPathIsMasked() {
        assertThat(Redaction.of("POST https://hooks.slack.com/services/T0001/B0002/XXXXsecretXXXX failed"))
                .isEqualTo("POST https://hooks.slack.com/services/**** failed");
    }

    @Test
    void textWithoutCredentialsIsUnchanged() {
        String plain = "config: group 'iceberg', key 's3.endpoint': 'http://minio:9000' is not reachable; s3://lake/x";
        assertThat(Redaction.of(plain)).isEqualTo(plain);
        assertThat(Redaction.of("jdbc:sqlite:/tmp/catalog.db")).isEqualTo("jdbc:sqlite:/tmp/catalog.db");
        assertThat(Redaction.of(null)).isNull();
    }
}
