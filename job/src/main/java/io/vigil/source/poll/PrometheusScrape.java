package io.vigil.source.poll;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@code /metrics} endpoint in the Prometheus text format, scraped once per period: each sample
 * keeps its name and labels, plus {@code instance} (host:port); its time is the exposition's
 * timestamp if it has one, else the end of the period.
 */
public final class PrometheusScrape implements Poller {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final Duration timeout;
    private transient HttpEndpoint http;

    public PrometheusScrape(String url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    @Override
    public String id() {
        return "scrape:" + url;
    }

    @Override
    public boolean replays() {
        return false;
    }

    @Override
    public void open() {
        http = new HttpEndpoint(timeout);
    }

    @Override
    public List<String> poll(long startMs, long endMs, long stepMs) throws PollFailure {
        URI u = URI.create(url);
        String body = http.get(u, Map.of("Accept", "text/plain;version=0.0.4"), "scrape " + url);
        String instance = u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        try {
            return PrometheusText.samples(body, endMs, Map.of("instance", instance));
        } catch (IllegalArgumentException e) {
            throw new PollFailure("scrape " + url + ": " + e.getMessage(), false);
        }
    }

    @Override
    public void close() {}
}
