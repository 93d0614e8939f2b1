package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JvmTableLocksTest {
    private static JvmTableLocks locks(long timeoutMs) {
        JvmTableLocks l = new JvmTableLocks();
        l.initialize(Collections.singletonMap("lock.acquire-timeout-ms", Long.toString(timeoutMs)));
        return l;
    }

    @Test
    void oneOwnerAtATimeAcrossInstancesAndTheNextGetsItOnRelease() throws Exception {
        JvmTableLocks a = locks(5_000);
        JvmTableLocks b = locks(5_000);
        assertThat(a.acquire("t1", "committer-a")).isTrue();
        assertThat(locks(50).acquire("t1", "committer-b")).as("held by a: times out").isFalse();
        assertThat(b.release("t1", "committer-b")).as("only the holder releases").isFalse();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> b.acquire("t1", "committer-b"));
        Thread.sleep(50);
        assertThat(waiting).isNotDone();
        assertThat(a.release("t1", "committer-a")).isTrue();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(b.acquire("t2", "committer-a")).as("another table is free").isTrue();
        assertThat(b.release("t1", "committer-b")).isTrue();
        assertThat(b.release("t2", "committer-a")).isTrue();
    }

    @Test
    void aCatalogClosingLeavesTheOthersLocksWorking() throws Exception {
        JvmTableLocks closed = locks(5_000);
        JvmTableLocks other = locks(5_000);
        closed.close();
        assertThat(other.acquire("t3", "committer")).isTrue();
        assertThat(other.release("t3", "committer")).isTrue();
    }

    @Test
    void theHadoopCatalogUsesThem() {
        assertThat(IcebergCatalogConfig.hadoop("/tmp/vigil-locks-test").loaderProperties())
                .containsEntry("lock-impl", JvmTableLocks.class.getName());
    }
}
