package io.vigil.source.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Polls the rules object and the control prefix on a worker thread; the lines found and the new
 * position are applied in one step on the task thread, so a checkpoint holds either both or neither.
 */
final class ControlObjectsReader implements SourceReader<RawRecord, ControlObjectsSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ControlObjectsReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ControlObjectsSource source;
    private final ScheduledExecutorService worker;
    private final ConcurrentLinkedQueue<Poll> done = new ConcurrentLinkedQueue<>();
    private final Object lock = new Object();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private final Counter failures;
    private final Counter objects;
    private ControlObjectsSplit split;
    private S3Client s3;

    ControlObjectsReader(ControlObjectsSource source, SourceReaderContext context) {
        this.source = source;
        this.failures = context.metricGroup().counter("controlPollFailures");
        this.objects = context.metricGroup().counter("controlObjectsRead");
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-control-objects");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start() {}

    @Override
    public void addSplits(List<ControlObjectsSplit> splits) {
        for (ControlObjectsSplit s : splits) {
            split = s.copy();
            if (s3 == null) {
                S3Location any = source.rules != null ? source.rules : source.control;
                s3 = any.client();
            }
            schedule(split.copy(), 0);
        }
    }

    private void schedule(ControlObjectsSplit from, long waitMs) {
        worker.schedule(() -> poll(from), waitMs, TimeUnit.MILLISECONDS);
    }

    /** On the worker thread: what changed since {@code from}. */
    private void poll(ControlObjectsSplit from) {
        Poll p = new Poll(from.rulesEtag);
        try {
            if (source.rules != null) {
                pollRules(from, p);
            }
            if (source.control != null) {
                pollControl(from, p);
            }
        } catch (RuntimeException | LinkageError e) {
            // a poll that fails is tried again next interval; the worker thread must not die of it
            p.failure = e;
        }
        done.add(p);
        synchronized (lock) {
            available.complete(null);
        }
    }

    private void pollRules(ControlObjectsSplit from, Poll p) {
        S3Location r = source.rules;
        String etag = s3.headObject(b -> b.bucket(r.bucket).key(r.key)).eTag();
        if (etag.equals(from.rulesEtag)) {
            return;
        }
        ResponseBytes<GetObjectResponse> o = s3.getObjectAsBytes(b -> b.bucket(r.bucket).key(r.key));
        ObjectNode line = JSON.createObjectNode();
        line.put("rules", o.asUtf8String());
        p.lines.add(new String[] {line.toString(), r + "@" + o.response().eTag()});
        p.rulesEtag = o.response().eTag();
    }

    private void pollControl(ControlObjectsSplit from, Poll p) {
        S3Location c = source.control;
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(c.bucket).prefix(c.key);
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = s3.listObjectsV2(req.continuationToken(token).build());
            for (S3Object o : page.contents()) {
                String name = o.key().substring(c.key.length());
                // a sub-folder's objects are not control objects; hidden names are being written
                if (!name.isEmpty() && !name.contains("/") && !name.startsWith(".") && !name.startsWith("_")
                        && !from.seen.contains(o.key())) {
                    keys.add(o.key());
                }
            }
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        java.util.Collections.sort(keys); // name order, as the local control directory
        for (String key : keys) {
            String text = s3.getObjectAsBytes(b -> b.bucket(c.bucket).key(key)).asUtf8String();
            for (String line : text.split("\n")) {
                if (!line.trim().isEmpty()) {
                    p.lines.add(new String[] {line, S3Location.SCHEME + c.bucket + "/" + key});
                }
            }
            p.keys.add(key);
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RawRecord> output) {
        Poll p = done.poll();
        if (p == null) {
            synchronized (lock) {
                if (done.isEmpty() && available.isDone()) {
                    available = new CompletableFuture<>();
                }
            }
            return done.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
        }
        if (p.failure != null) {
            failures.inc();
            LOG.warn("control {}: poll failed, tried again in {}: {}", where(), source.every, p.failure.toString());
        }
        long now = System.currentTimeMillis();
        for (String[] line : p.lines) {
            output.collect(RawRecord.received(source.sourceName, InputFormat.METRICS,
                    line[0].getBytes(StandardCharsets.UTF_8), now, line[1]));
        }
        objects.inc(p.keys.size() + (p.rulesEtag != null && !p.rulesEtag.equals(split.rulesEtag) ? 1 : 0));
        split.rulesEtag = p.rulesEtag;
        split.seen.addAll(p.keys);
        schedule(split.copy(), source.every.toMillis());
        return done.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
    }

    private String where() {
        return (source.rules != null ? source.rules + " " : "") + (source.control != null ? source.control : "");
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        synchronized (lock) {
            return available;
        }
    }

    @Override
    public List<ControlObjectsSplit> snapshotState(long checkpointId) {
        List<ControlObjectsSplit> out = new ArrayList<>();
        if (split != null) {
            out.add(split.copy());
        }
        return out;
    }

    @Override
    public void notifyNoMoreSplits() {}

    @Override
    public void close() {
        worker.shutdownNow();
        if (s3 != null) {
            s3.close();
        }
    }

    /** One poll's result: lines (text, origin) to emit and the position after them. */
    private static final class Poll {
        final List<String[]> lines = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        String rulesEtag;
        Throwable failure;

        Poll(String rulesEtag) {
            this.rulesEtag = rulesEtag;
        }
    }
}
