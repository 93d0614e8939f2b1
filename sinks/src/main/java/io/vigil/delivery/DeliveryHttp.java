package io.vigil.delivery;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP client a webhook-style channel posts with: HTTP/1.1, no redirects (a redirected alert
 * would go where no route said), on daemon threads named after the channel so a stuck request
 * never holds the JVM.
 */
final class DeliveryHttp {
    final ExecutorService executor;
    final HttpClient http;

    DeliveryHttp(String threadPrefix, Duration connectTimeout) {
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(run -> {
            Thread t = new Thread(run, threadPrefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }
}
