package io.vigil.iceberg;

import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.LockManager;

/**
 * The hadoop catalog's commit lock, shared by every catalog in the JVM (the job's committers of
 * all tables in a local run). Iceberg's default in-memory lock manager is one per JVM too, but its
 * close() stops the heartbeat scheduler all instances share: a committer whose task finished
 * closed its catalog while another was committing, whose commit then failed with
 * RejectedExecutionException ("rejected from ... Terminated") and failed the replay. Here closing
 * changes nothing; within one JVM no heartbeat is needed (the holder cannot die and leave it held
 * without the JVM going too).
 */
public final class JvmTableLocks implements LockManager {
    private static final Map<String, String> OWNERS = new HashMap<>();
    static final long DEFAULT_TIMEOUT_MS = 180_000;

    private long timeoutMs = DEFAULT_TIMEOUT_MS;

    @Override
    public void initialize(Map<String, String> properties) {
        String t = properties.get("lock.acquire-timeout-ms");
        if (t != null) {
            timeoutMs = Long.parseLong(t);
        }
    }

    @Override
    public boolean acquire(String entityId, String ownerId) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (OWNERS) {
            while (true) {
                String holder = OWNERS.get(entityId);
                if (holder == null || holder.equals(ownerId)) {
                    OWNERS.put(entityId, ownerId);
                    return true;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                try {
                    OWNERS.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    @Override
    public boolean release(String entityId, String ownerId) {
        synchronized (OWNERS) {
            if (!ownerId.equals(OWNERS.get(entityId))) {
                return false;
            }
            OWNERS.remove(entityId);
            OWNERS.notifyAll();
            return true;
        }
    }

    /** Nothing to stop: the locks are the JVM's, and other catalogs may be committing. */
    @Override
    public void close() {}
}
