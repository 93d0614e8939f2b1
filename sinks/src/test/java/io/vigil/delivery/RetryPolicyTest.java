package io.vigil.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void backoffDoublesUpToItsCapWithJitterNeverBelowHalf() {
        RetryPolicy p = RetryPolicy.defaults().backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        Random random = new Random(42);
        long[] nominal = {100, 200, 400, 800, 1000, 1000};
        for (int attempt = 1; attempt <= nominal.length; attempt++) {
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < 2000; i++) {
                long b = p.backoffMillis(attempt, random);
                min = Math.min(min, b);
                max = Math.max(max, b);
            }
            long n = nominal[attempt - 1];
            assertThat(min).as("attempt %d", attempt).isGreaterThanOrEqualTo(n / 2).isLessThan(n / 2 + n / 10);
            assertThat(max).as("attempt %d", attempt).isLessThanOrEqualTo(n).isGreaterThan(n - n / 10);
        }
    }

    @Test
    void defaultsAndRefusals() {
        RetryPolicy d = RetryPolicy.defaults();
        assertThat(d.maxAttempts()).isEqualTo(6);
        assertThat(d.slowRetry()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.maxRetryAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> d.maxAttempts(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> d.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("max backoff");
        assertThatThrownBy(() -> d.slowRetry(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
