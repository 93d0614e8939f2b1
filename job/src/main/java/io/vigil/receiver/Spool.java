package io.vigil.receiver;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A directory of JSON-lines files the receiver appends to and a watched file input reads. Lines
 * go to a hidden file ({@code .open-NAME}, which Flink's file source skips) and an append completes
 * only once the lines are fsynced; concurrent appends share one fsync (group commit). The hidden
 * file is renamed to {@code NAME} (atomically, directory synced) once it is {@code rollBytes} big
 * or {@code rollInterval} old, so the job only ever sees whole, closed files and reads each once.
 * On start, a hidden file left by a crash is cut back to its last whole line (the rest was never
 * acknowledged) and closed the same way.
 */
public final class Spool implements Closeable {
    static final String OPEN_PREFIX = ".open-";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    /** Most appends waiting for the writer; beyond it an append fails at once (the client retries). */
    private static final int MAX_WAITING = 4096;

    private final Path dir;
    private final String prefix;
    private final long rollBytes;
    private final long rollNanos;
    private final BlockingQueue<Append> queue = new ArrayBlockingQueue<>(MAX_WAITING);
    private final Thread writer;
    private volatile boolean closing;

    private FileChannel open;
    private Path openPath;
    private long openedAt;
    private int seq;
    /** fsyncs made, and lines written: the group commit's ratio, for tests and the status line. */
    private volatile long syncs;
    private volatile long lines;

    private static final class Append {
        final List<byte[]> lines;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Append(List<byte[]> lines) {
            this.lines = lines;
        }
    }

    private Spool(Path dir, String prefix, long rollBytes, Duration rollInterval) {
        this.dir = dir;
        this.prefix = prefix;
        this.rollBytes = rollBytes;
        this.rollNanos = rollInterval.toNanos();
        this.writer = new Thread(this::writeLoop, "vigil-spool-" + dir.getFileName());
        this.writer.setDaemon(true);
    }

    /** Opens the spool in {@code dir} (created if missing), closing what a crash left open. */
    public static Spool open(Path dir, String prefix, long rollBytes, Duration rollInterval) throws IOException {
        Files.createDirectories(dir);
        Spool s = new Spool(dir, prefix, rollBytes, rollInterval);
        s.recover();
        s.writer.start();
        return s;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Appends {@code lines} (each without its newline) as one unit; the future completes once they
     * are on disk, or fails (spool full, disk error, closing).
     */
    public CompletableFuture<Void> append(List<byte[]> lines) {
        Append a = new Append(lines);
        if (closing) {
            a.done.completeExceptionally(new IOException("spool closing"));
        } else if (!queue.offer(a)) {
            a.done.completeExceptionally(new IOException("spool busy: " + MAX_WAITING + " appends waiting"));
        }
        return a.done;
    }

    public long syncs() {
        return syncs;
    }

    public long lines() {
        return lines;
    }

    private void writeLoop() {
        List<Append> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Append first;
                if (open == null) {
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                } else {
                    long left = openedAt + rollNanos - System.nanoTime();
                    first = left > 0 ? queue.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS) : null;
                }
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                    write(batch);
                    batch.clear();
                }
                if (open != null && (open.size() >= rollBytes || System.nanoTime() - openedAt >= rollNanos)) {
                    roll();
                }
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                for (Append a : batch) {
                    a.done.completeExceptionally(e);
                }
                batch.clear();
            }
        }
        try {
            if (open != null) {
                roll();
            }
        } catch (IOException e) {
            // left hidden: the next start closes it (recover)
        }
        for (Append a; (a = queue.poll()) != null; ) {
            a.done.completeExceptionally(new IOException("spool closed"));
        }
    }

    /** Writes a batch and syncs it once; on a failure the file is cut back so no half batch stays. */
    private void write(List<Append> batch) throws IOException {
        if (open == null) {
            openNext();
        }
        long before = open.size();
        try {
            int n = 0;
            for (Append a : batch) {
                for (byte[] line : a.lines) {
                    ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n');
                    buf.flip();
                    while (buf.hasRemaining()) {
                        open.write(buf);
                    }
                    n++;
                }
            }
            open.force(false);
            syncs++;
            lines += n;
        } catch (IOException e) {
            try {
                open.truncate(before);
            } catch (IOException ignored) {
                // the recovery at the next start cuts a torn line; whole unacknowledged lines may be read (at least once)
            }
            throw e;
        }
        for (Append a : batch) {
            a.done.complete(null);
        }
    }

    private void openNext() throws IOException {
        Path p;
        do {
            p = dir.resolve(OPEN_PREFIX + prefix + "-" + STAMP.format(java.time.Instant.now())
                    + String.format("-%04d.jsonl", seq++ % 10000));
        } while (Files.exists(p) || Files.exists(visible(p)));
        open = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        syncDir(); // the new file's name is durable before any line in it is acknowledged
        openPath = p;
        openedAt = System.nanoTime();
    }

    private void roll() throws IOException {
        FileChannel c = open;
        Path p = openPath;
        open = null;
        openPath = null;
        long size = c.size();
        c.close();
        publish(p, size);
    }

    /** Makes a hidden file visible to the job (or drops it when empty). */
    private void publish(Path hidden, long size) throws IOException {
        if (size == 0) {
            Files.delete(hidden);
        } else {
            Files.move(hidden, visible(hidden), StandardCopyOption.ATOMIC_MOVE);
        }
        syncDir();
    }

    private static Path visible(Path hidden) {
        return hidden.resolveSibling(hidden.getFileName().toString().substring(OPEN_PREFIX.length()));
    }

    private void recover() throws IOException {
        List<Path> left;
        try (Stream<Path> s = Files.list(dir)) {
            left = s.filter(p -> p.getFileName().toString().startsWith(OPEN_PREFIX)).sorted().collect(Collectors.toList());
        }
        for (Path p : left) {
            long keep;
            try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                keep = lastWholeLineEnd(c);
                if (keep < c.size()) {
                    c.truncate(keep);
                    c.force(false);
                }
            }
            publish(p, keep);
        }
    }

    /** The length up to and including the last newline: what a crash left whole. */
    static long lastWholeLineEnd(FileChannel c) throws IOException {
        long pos = c.size();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (pos > 0) {
            int len = (int) Math.min(buf.capacity(), pos);
            buf.clear().limit(len);
            long at = pos - len;
            while (buf.hasRemaining()) {
                if (c.read(buf, at + buf.position()) < 0) {
                    break;
                }
            }
            for (int i = len - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return at + i + 1;
                }
            }
            pos = at;
        }
        return 0;
    }

    private void syncDir() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Stops taking appends, writes and syncs the waiting ones, and publishes the open file. */
    @Override
    public void close() throws IOException {
        closing = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
