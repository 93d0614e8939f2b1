package io.vigil.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
    @TempDir Path dir;

    private static List<byte[]> line(String s) {
        return Collections.singletonList(s.getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    @Test
    void anAcknowledgedLineIsInTheHiddenFileThenPublishedOnRoll() throws Exception {
        try (Spool spool = Spool.open(dir, "t", 1 << 20, Duration.ofMillis(300))) {
            spool.append(line("{\"a\":1}")).get(5, TimeUnit.SECONDS);
            List<Path> open = files();
            assertThat(open).hasSize(1);
            assertThat(open.get(0).getFileName().toString()).startsWith(Spool.OPEN_PREFIX);
            assertThat(Files.readString(open.get(0))).isEqualTo("{\"a\":1}\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (files().get(0).getFileName().toString().startsWith(".") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(files()).hasSize(1);
            assertThat(files().get(0).getFileName().toString()).matches("t-\\d{8}T\\d{9}Z-\\d{4}\\.jsonl");
        }
    }

    @Test
    void concurrentAppendsAreAllWrittenAndShareSyncs() throws Exception {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        Spool spool = Spool.open(dir, "t", 1 << 20, Duration.ofSeconds(60));
        for (int i = 0; i < 2000; i++) {
            acks.add(spool.append(line("{\"i\":" + i + "}")));
        }
        CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        assertThat(spool.lines()).isEqualTo(2000);
        assertThat(spool.syncs()).as("queued appends share an fsync").isLessThan(2000);
        spool.close();
        List<Path> files = files();
        assertThat(files).hasSize(1);
        assertThat(Files.readAllLines(files.get(0))).hasSize(2000).doesNotHaveDuplicates();
    }

    @Test
    void aTornLastLineLeftByACrashIsCutAndTheFilePublishedOnStart() throws Exception {
        Path left = dir.resolve(Spool.OPEN_PREFIX + "t-20260101T000000000Z-0000.jsonl");
        Files.write(left, "{\"a\":1}\n{\"b\":2}\n{\"c\":".getBytes(StandardCharsets.UTF_8));
        Path empty = dir.resolve(Spool.OPEN_PREFIX + "t-20260101T000000001Z-0001.jsonl");
        Files.write(empty, "{\"torn".getBytes(StandardCharsets.UTF_8));
        Spool.open(dir, "t", 1 << 20, Duration.ofSeconds(60)).close();
        assertThat(files()).extracting(p -> p.getFileName().toString()).containsExactly("t-20260101T000000000Z-0000.jsonl");
        assertThat(Files.readString(files().get(0))).isEqualTo("{\"a\":1}\n{\"b\":2}\n");
    }
}
