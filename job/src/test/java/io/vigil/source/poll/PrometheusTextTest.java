package io.vigil.source.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Envelope;
import io.vigil.parse.MetricSampleParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text exposition format read from the Prometheus docs' example and a real Prometheus' /metrics. */
class PrometheusTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_796_247_150_000L;

    @Test
    void theDocsExampleWithEscapesTimestampsAndInfinity() throws Exception {
        List<JsonNode> s = read("exposition-formats-example.txt");
        // +Inf has no JSON form: left out
        assertThat(s).hasSize(4);
        assertThat(s.get(0).toString()).isEqualTo("{\"name\":\"http_requests_total\",\"value\":1027.0,\"time\":1395066363000,"
                + "\"labels\":{\"code\":\"200\",\"instance\":\"exporter:9100\",\"method\":\"post\"}}");
        assertThat(s.get(1).path("value").asDouble()).isEqualTo(3.0);
        JsonNode msdos = s.get(2);
        assertThat(msdos.path("labels").path("path").asText()).isEqualTo("C:\\DIR\\FILE.TXT");
        assertThat(msdos.path("labels").path("error").asText()).isEqualTo("Cannot find file:\n\"FILE.TXT\"");
        assertThat(msdos.path("value").asDouble()).isEqualTo(1.458255915e9);
        assertThat(msdos.path("time").asLong()).as("no timestamp: the period's").isEqualTo(NOW);
        assertThat(s.get(3).path("name").asText()).isEqualTo("metric_without_timestamp_and_labels");
    }

    @Test
    void aRealPrometheusSummaryGaugesAndHistogram() throws Exception {
        List<JsonNode> s = read("prometheus-2.42-self-metrics.txt");
        assertThat(s).hasSize(7 + 1 + 1 + 12);
        assertThat(s.get(0).path("labels").path("quantile").asText()).isEqualTo("0");
        assertThat(s.get(6).path("name").asText()).isEqualTo("go_gc_duration_seconds_count");
        JsonNode build = s.get(8);
        assertThat(build.path("labels").path("version").asText()).isEqualTo("2.42.0+ds");
        List<String> buckets = new ArrayList<>();
        for (JsonNode n : s) {
            if (n.path("name").asText().equals("prometheus_http_request_duration_seconds_bucket")) {
                buckets.add(n.path("labels").path("le").asText());
                assertThat(n.path("labels").path("handler").asText()).isEqualTo("/-/ready");
            }
        }
        assertThat(buckets).containsExactly("0.1", "0.2", "0.4", "1", "3", "8", "20", "60", "120", "+Inf");
        assertThat(s.get(20).path("name").asText()).isEqualTo("prometheus_http_request_duration_seconds_count");
    }

    @Test
    void everyLineParsesAsAMetricSampleAndABrokenLineGoesOnToBeDeadLettered() throws Exception {
        MetricSampleParser parser = new MetricSampleParser();
        for (String line : PrometheusText.samples(resource("prometheus-2.42-self-metrics.txt"), NOW, Map.of())) {
            Envelope e = parser.parse("prom", line);
            assertThat(e.metric.time).isEqualTo(NOW);
        }
        List<String> out = PrometheusText.samples("ok 1\nbroken{le=\"1\" 2\nalso_ok{a=\"b\",} 3 17\n", NOW, Map.of());
        assertThat(out).hasSize(3);
        assertThat(out.get(1)).isEqualTo("broken{le=\"1\" 2");
        assertThat(out.get(2)).isEqualTo("{\"name\":\"also_ok\",\"value\":3.0,\"time\":17,\"labels\":{\"a\":\"b\"}}");
    }

    private static List<JsonNode> read(String name) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : PrometheusText.samples(resource(name), NOW, Map.of("instance", "exporter:9100"))) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = PrometheusTextTest.class.getResourceAsStream("/prometheus/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
