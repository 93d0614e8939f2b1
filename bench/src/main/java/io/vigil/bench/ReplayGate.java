package io.vigil.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Holds the readers of a {@link ReplaySource} at given record counts, so the harness can read the
 * job's state there: it waits for a checkpoint taken while every reader was held (its barriers
 * follow every record before the count, so it holds the state after exactly that many), reads
 * the figures, and releases the readers towards the next count.
 */
final class ReplayGate {
    private static final Map<String, ReplayGate> GATES = new ConcurrentHashMap<>();

    private final String id;
    private final long[] counts;
    private final int readers;
    private int current;
    /** The count readers may run up to without asking: read on every record, so lock-free. */
    private volatile long limit;
    private CompletableFuture<Void> released = new CompletableFuture<>();
    /** Per held reader: the first checkpoint it took part in while held. */
    private final Map<Integer, Long> heldAt = new HashMap<>();
    private final Set<Integer> checkpointed = new HashSet<>();
    private final Map<Integer, Long> heldSince = new HashMap<>();
    private long checkpointId = -1;

    /** @param counts ascending record counts to hold at; the last may equal the input's size */
    ReplayGate(long[] counts, int readers) {
        this.counts = counts.clone();
        this.readers = readers;
        this.id = "gate-" + System.identityHashCode(this);
        this.limit = this.counts[0];
        GATES.put(id, this);
    }

    static ReplayGate get(String id) {
        return GATES.get(id);
    }

    String id() {
        return id;
    }

    /** Readers need to ask {@link #holds} only from this index on. */
    long limit() {
        return limit;
    }

    /** Whether reader {@code subtask}, whose next record is {@code index}, must wait. */
    synchronized boolean holds(int subtask, long index) {
        boolean held = current < counts.length && index >= counts[current];
        if (held) {
            heldSince.putIfAbsent(subtask, System.currentTimeMillis());
        }
        return held;
    }

    /** When the last reader reached the current count (wall clock, ms); valid after {@link #awaitCheckpoint}. */
    synchronized long allHeldAt() {
        return heldSince.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    synchronized CompletableFuture<Void> released() {
        return released;
    }

    /** A held reader took part in checkpoint {@code id}. */
    synchronized void snapshotWhileHeld(int subtask, long checkpoint) {
        heldAt.putIfAbsent(subtask, checkpoint);
    }

    /** Checkpoint {@code id} completed, as reader {@code subtask} learns. */
    synchronized void checkpointCompleted(int subtask, long checkpoint) {
        Long held = heldAt.get(subtask);
        if (held != null && checkpoint >= held) {
            checkpointed.add(subtask);
            checkpointId = Math.max(checkpointId, checkpoint);
            notifyAll();
        }
    }

    /** Waits until every reader is held and a checkpoint taken since has completed; returns its id. */
    synchronized long awaitCheckpoint(long timeoutMs) throws InterruptedException, TimeoutException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (checkpointed.size() < readers) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new TimeoutException("no checkpoint while the replay was held at " + counts[current]
                        + " records (held readers: " + heldAt.keySet() + ")");
            }
            wait(left);
        }
        return checkpointId;
    }

    /** Lets the readers go on to the next count (or to the end). */
    void release() {
        CompletableFuture<Void> f;
        synchronized (this) {
            current++;
            limit = current < counts.length ? counts[current] : Long.MAX_VALUE;
            heldAt.clear();
            checkpointed.clear();
            heldSince.clear();
            f = released;
            released = new CompletableFuture<>();
        }
        f.complete(null); // outside the lock: completing runs the readers' continuations
    }
}
