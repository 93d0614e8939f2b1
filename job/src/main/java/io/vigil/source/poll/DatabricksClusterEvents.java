package io.vigil.source.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.InputFormat;
import io.vigil.source.TaskSecret;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The events of one Databricks cluster, read with the Clusters API's {@code POST
 * /api/2.1/clusters/events} per period (oldest first, following {@code next_page}); each event
 * goes out as one {@code databricks-cluster-events} record. The bearer token is fetched on the
 * task manager from its env: or secretsmanager: reference.
 */
public final class DatabricksClusterEvents implements Poller {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/api/2.1/clusters/events";
    /** Pages followed in one poll at most: a service that keeps answering next_page would loop. */
    static final int MAX_PAGES = 10_000;

    private final String clusterId;
    private final String host;
    private final TaskSecret token;
    private final int pageSize;
    private final Duration timeout;
    private transient HttpEndpoint http;
    private transient Map<String, String> auth;

    /** @param host the workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net */
    public DatabricksClusterEvents(String clusterId, String host, TaskSecret token, int pageSize, Duration timeout) {
        this.clusterId = clusterId;
        this.host = host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
        this.token = token;
        this.pageSize = pageSize;
        this.timeout = timeout;
    }

    @Override
    public String id() {
        return "databricks-events:" + clusterId;
    }

    @Override
    public boolean replays() {
        return true;
    }

    @Override
    public InputFormat format() {
        return InputFormat.DATABRICKS_CLUSTER_EVENTS;
    }

    @Override
    public void open() throws IOException {
        http = new HttpEndpoint(timeout);
        String t;
        try {
            t = token.fetch();
        } catch (IOException e) {
            throw new IOException("token: " + e.getMessage());
        }
        auth = Collections.singletonMap("Authorization", "Bearer " + t);
    }

    @Override
    public List<String> poll(long startMs, long endMs, long stepMs) throws PollFailure {
        ObjectNode request = JSON.createObjectNode();
        request.put("cluster_id", clusterId);
        request.put("start_time", startMs);
        request.put("end_time", endMs - 1); // both ends are inclusive: the next period starts at endMs
        request.put("order", "ASC");
        request.put("limit", pageSize);
        URI uri = URI.create(host + PATH);
        String what = "databricks cluster events of " + clusterId;
        List<String> out = new ArrayList<>();
        for (int pages = 1; ; pages++) {
            JsonNode page = parse(http.postJson(uri, auth, request.toString(), what), what);
            JsonNode events = page.path("events");
            if (!events.isMissingNode() && !events.isArray()) {
                throw new PollFailure(what + ": events is not an array", false);
            }
            for (JsonNode e : events) {
                JsonNode t = e.path("timestamp");
                // an event of another period is not this poll's; one without a usable time goes on, to be dead-lettered
                if (t.canConvertToLong() && (t.asLong() < startMs || t.asLong() >= endMs)) {
                    continue;
                }
                out.add(e.toString());
            }
            JsonNode next = page.path("next_page");
            if (!next.isObject() || next.size() == 0) {
                return out;
            }
            if (pages >= MAX_PAGES) {
                throw new PollFailure(what + ": more than " + MAX_PAGES + " pages for one period", false);
            }
            request = (ObjectNode) next;
        }
    }

    private static JsonNode parse(String body, String what) throws PollFailure {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new PollFailure(what + ": the answer is not a JSON object", false);
            }
            return n;
        } catch (IOException e) {
            throw new PollFailure(what + ": not JSON: " + e.getMessage(), false);
        }
    }

    @Override
    public void close() {}
}
