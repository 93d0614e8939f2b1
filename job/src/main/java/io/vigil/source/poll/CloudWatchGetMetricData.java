package io.vigil.source.poll;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * One CloudWatch metric fetched with {@code GetMetricData}, period by period, following NextToken.
 * The SDK's {@code cloudwatch} module is not served at the project's SDK version, so the request
 * is made here in the service's AWS Query protocol (form POST, XML answer), signed with the SDK's
 * SigV4 signer and the default credentials chain, as the SNS and Kinesis clients get theirs.
 * Each datapoint becomes a sample named after the query, labelled with the query's dimensions.
 */
public final class CloudWatchGetMetricData implements Poller {
    private static final long serialVersionUID = 1L;
    private static final String VERSION = "2010-08-01";

    private final CloudWatchQuery query;
    private final String region;
    /** Null: the region's public endpoint. */
    private final String endpoint;
    private final Duration timeout;
    private transient HttpEndpoint http;
    private transient AwsCredentialsProvider credentials;
    private transient AwsV4HttpSigner signer;

    public CloudWatchGetMetricData(CloudWatchQuery query, String region, String endpoint, Duration timeout) {
        this.query = query;
        this.region = region;
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    @Override
    public String id() {
        return "cloudwatch:" + query.name;
    }

    @Override
    public boolean replays() {
        return true;
    }

    @Override
    public void open() {
        http = new HttpEndpoint(timeout);
        credentials = DefaultCredentialsProvider.builder().build();
        signer = AwsV4HttpSigner.create();
    }

    URI uri() {
        return URI.create(endpoint != null ? endpoint : "https://monitoring." + region + ".amazonaws.com/");
    }

    @Override
    public List<String> poll(long startMs, long endMs, long stepMs) throws PollFailure {
        List<String> out = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page page = page(startMs, endMs, stepMs, token);
            for (int i = 0; i < page.times.size(); i++) {
                long t = page.times.get(i);
                if (t >= startMs && t < endMs) {
                    String line = SampleLine.of(query.name, page.values.get(i), t, query.dimensions);
                    if (line != null) {
                        out.add(line);
                    }
                }
            }
            token = page.nextToken;
            if (++pages > 1000) {
                throw new PollFailure("cloudwatch " + query.name + ": more than 1000 pages", false);
            }
        } while (token != null);
        return out;
    }

    String form(long startMs, long endMs, long stepMs, String token) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Action", "GetMetricData");
        f.put("Version", VERSION);
        f.put("StartTime", Instant.ofEpochMilli(startMs).toString());
        f.put("EndTime", Instant.ofEpochMilli(endMs).toString());
        f.put("ScanBy", "TimestampAscending");
        String q = "MetricDataQueries.member.1.";
        f.put(q + "Id", "q0");
        f.put(q + "MetricStat.Metric.Namespace", query.namespace);
        f.put(q + "MetricStat.Metric.MetricName", query.metric);
        int d = 1;
        for (Map.Entry<String, String> dim : query.dimensions.entrySet()) {
            f.put(q + "MetricStat.Metric.Dimensions.member." + d + ".Name", dim.getKey());
            f.put(q + "MetricStat.Metric.Dimensions.member." + d + ".Value", dim.getValue());
            d++;
        }
        f.put(q + "MetricStat.Period", String.valueOf(stepMs / 1000));
        f.put(q + "MetricStat.Stat", query.stat);
        f.put(q + "ReturnData", "true");
        if (token != null) {
            f.put("NextToken", token);
        }
        StringBuilder b = new StringBuilder();
        f.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(encode(k)).append('=').append(encode(v)));
        return b.toString();
    }

    private Page page(long startMs, long endMs, long stepMs, String token) throws PollFailure {
        String what = "cloudwatch " + query.name;
        String body = form(startMs, endMs, stepMs, token);
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri())
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SignedRequest signed;
        try {
            signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(unsigned)
                    .payload(ContentStreamProvider.fromUtf8String(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "monitoring")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        } catch (RuntimeException e) {
            // no credentials (yet): as a connection failure, worth retrying
            throw new PollFailure(what + ": cannot sign: " + e.getMessage(), true, -1, e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri()).POST(HttpRequest.BodyPublishers.ofString(body));
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("Host") && !k.equalsIgnoreCase("Content-Length")) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        HttpResponse<String> r = http.send(b, what);
        if (r.statusCode() != 200) {
            String code = errorCode(r.body());
            // CloudWatch throttles with 400 Throttling (the Query protocol's error), not 429
            boolean retry = r.statusCode() == 429 || r.statusCode() >= 500 || "Throttling".equals(code)
                    || "ThrottlingException".equals(code) || "RequestLimitExceeded".equals(code);
            throw new PollFailure(what + ": HTTP " + r.statusCode() + (code == null ? "" : " " + code), retry,
                    HttpEndpoint.retryAfter(r.headers().firstValue("Retry-After").orElse(null)), null);
        }
        return parse(r.body(), what);
    }

    static Page parse(String xml, String what) throws PollFailure {
        Document doc = document(xml, what);
        Page p = new Page();
        NodeList results = doc.getElementsByTagName("MetricDataResults");
        if (results.getLength() == 0) {
            throw new PollFailure(what + ": no MetricDataResults in the answer", false);
        }
        for (Element result : children((Element) results.item(0), "member")) {
            Element status = child(result, "StatusCode");
            String code = status == null ? "Complete" : status.getTextContent().trim();
            // InternalError: the service asks for the request again; Forbidden: no access to this metric
            if (code.equals("InternalError") || code.equals("Forbidden")) {
                throw new PollFailure(what + ": status " + code, code.equals("InternalError"));
            }
            List<Element> ts = children(child(result, "Timestamps"), "member");
            List<Element> vs = children(child(result, "Values"), "member");
            if (ts.size() != vs.size()) {
                throw new PollFailure(what + ": " + ts.size() + " timestamps but " + vs.size() + " values", false);
            }
            for (int i = 0; i < ts.size(); i++) {
                try {
                    p.times.add(Instant.parse(ts.get(i).getTextContent().trim()).toEpochMilli());
                    p.values.add(Double.parseDouble(vs.get(i).getTextContent().trim()));
                } catch (RuntimeException e) {
                    throw new PollFailure(what + ": bad datapoint: " + e.getMessage(), false);
                }
            }
        }
        NodeList next = doc.getElementsByTagName("NextToken");
        if (next.getLength() > 0 && !next.item(0).getTextContent().isBlank()) {
            p.nextToken = next.item(0).getTextContent().trim();
        }
        return p;
    }

    static String errorCode(String xml) {
        try {
            NodeList code = document(xml, "").getElementsByTagName("Code");
            return code.getLength() == 0 ? null : code.item(0).getTextContent().trim();
        } catch (PollFailure e) {
            return null;
        }
    }

    private static Document document(String xml, String what) throws PollFailure {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new PollFailure(what + ": not XML: " + e.getMessage(), false);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
                return (Element) n;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
                out.add((Element) n);
            }
        }
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        if (credentials instanceof AutoCloseable) {
            try {
                ((AutoCloseable) credentials).close();
            } catch (Exception e) {
                // closing a credentials cache: nothing to recover
            }
        }
    }

    /** One answer: datapoints in order, and the token of the next page or null. */
    static final class Page {
        final List<Long> times = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        String nextToken;
    }
}
