package io.vigil.source;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriberGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Pub/Sub subscription server on a loopback port, in the test JVM: the Subscriber gRPC service's
 * Pull, Acknowledge and ModifyAckDeadline over one queue per subscription. As the real service, it
 * leases what it hands out and hands a message out again when its lease ends unacknowledged (the
 * ack deadline) or is given up (ModifyAckDeadline to 0): at-least-once delivery, observable through
 * {@link #redelivered()}.
 */
public class PubSubStandIn extends SubscriberGrpc.SubscriberImplBase implements BeforeAllCallback, AfterAllCallback {
    /** How long a pull with nothing to hand out waits for a message (the service long-polls too). */
    private static final long EMPTY_PULL_WAIT_MS = 200;

    private final long ackDeadlineMs;
    private final Map<String, ArrayDeque<PubsubMessage>> ready = new HashMap<>();
    private final Map<String, Lease> leased = new HashMap<>();
    private final Set<String> handedOut = new HashSet<>();
    private Server server;
    private long nextMessageId = 1;
    private long nextAckId = 1;
    private long delivered;
    private long redelivered;
    private long acknowledged;

    /** @param ackDeadline the subscription's ack deadline: unacknowledged leases end after it */
    public PubSubStandIn(Duration ackDeadline) {
        this.ackDeadlineMs = ackDeadline.toMillis();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(this)
                .build()
                .start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** host:port for the {@code emulator.host} key. */
    public String hostPort() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Publishes to {@code projects/PROJECT/subscriptions/SUBSCRIPTION}; returns the message id. */
    public synchronized String publish(String project, String subscription, byte[] data) {
        String id = Long.toString(nextMessageId++);
        long now = System.currentTimeMillis();
        PubsubMessage m = PubsubMessage.newBuilder()
                .setData(ByteString.copyFrom(data))
                .setMessageId(id)
                .setPublishTime(Timestamp.newBuilder().setSeconds(now / 1000).setNanos((int) (now % 1000) * 1_000_000))
                .build();
        queue("projects/" + project + "/subscriptions/" + subscription).add(m);
        notifyAll();
        return id;
    }

    public synchronized long delivered() {
        return delivered;
    }

    /** Deliveries of a message that had been handed out before. */
    public synchronized long redelivered() {
        return redelivered;
    }

    public synchronized long acknowledged() {
        return acknowledged;
    }

    /** Messages published and not acknowledged yet. */
    public synchronized int outstanding() {
        int n = leased.size();
        for (ArrayDeque<PubsubMessage> q : ready.values()) {
            n += q.size();
        }
        return n;
    }

    @Override
    public void pull(PullRequest request, StreamObserver<PullResponse> response) {
        PullResponse.Builder out = PullResponse.newBuilder();
        synchronized (this) {
            long until = System.currentTimeMillis() + EMPTY_PULL_WAIT_MS;
            ArrayDeque<PubsubMessage> q = queue(request.getSubscription());
            while (true) {
                expireLeases();
                if (!q.isEmpty() || System.currentTimeMillis() >= until) {
                    break;
                }
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            int max = Math.max(1, request.getMaxMessages());
            long deadline = System.currentTimeMillis() + ackDeadlineMs;
            while (!q.isEmpty() && out.getReceivedMessagesCount() < max) {
                PubsubMessage m = q.poll();
                String ackId = "ack-" + nextAckId++;
                leased.put(ackId, new Lease(request.getSubscription(), m, deadline));
                delivered++;
                if (!handedOut.add(m.getMessageId())) {
                    redelivered++;
                }
                out.addReceivedMessages(ReceivedMessage.newBuilder().setAckId(ackId).setMessage(m));
            }
        }
        response.onNext(out.build());
        response.onCompleted();
    }

    @Override
    public synchronized void acknowledge(AcknowledgeRequest request, StreamObserver<Empty> response) {
        for (String ackId : request.getAckIdsList()) {
            if (leased.remove(ackId) != null) {
                acknowledged++;
            }
        }
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public synchronized void modifyAckDeadline(ModifyAckDeadlineRequest request, StreamObserver<Empty> response) {
        long deadline = System.currentTimeMillis() + request.getAckDeadlineSeconds() * 1000L;
        for (String ackId : request.getAckIdsList()) {
            Lease l = leased.get(ackId);
            if (l != null) {
                l.deadline = deadline; // 0 s: handed out again at the next pull
            }
        }
        expireLeases();
        response.onNext(Empty.getDefaultInstance());
        response.onCompleted();
    }

    /**
     * Ends every lease now, as the service does when ack deadlines pass: the next pull hands those
     * messages out again. Tests call it where a redelivery must happen whatever the timing.
     */
    public synchronized void endLeases() {
        for (Lease l : leased.values()) {
            l.deadline = 0;
        }
        expireLeases();
        notifyAll();
    }

    /** Leases past their deadline go back to the front of their queue. */
    private void expireLeases() {
        long now = System.currentTimeMillis();
        Iterator<Lease> it = leased.values().iterator();
        while (it.hasNext()) {
            Lease l = it.next();
            if (l.deadline <= now) {
                it.remove();
                queue(l.subscription).addFirst(l.message);
            }
        }
    }

    private ArrayDeque<PubsubMessage> queue(String subscription) {
        return ready.computeIfAbsent(subscription, s -> new ArrayDeque<>());
    }

    /** A message handed out and not acknowledged yet. */
    private static final class Lease {
        final String subscription;
        final PubsubMessage message;
        long deadline;

        Lease(String subscription, PubsubMessage message, long deadline) {
            this.subscription = subscription;
            this.message = message;
            this.deadline = deadline;
        }
    }
}
