package io.vigil.source;

import io.vigil.model.InputFormat;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.connector.file.src.FileSource;

/** Bounded sources over local files, for replay: one file, or a directory's files in name order. */
public final class FileInputs {
    private FileInputs() {}

    public static Source<RawRecord, ?, ?> lines(String source, InputFormat format, Path path) {
        List<Path> files = files(path);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("input '" + source + "': no files at " + path);
        }
        if (files.size() == 1) {
            return file(source, format, files.get(0));
        }
        // Files one after another, in name order: replay stays deterministic.
        HybridSource.HybridSourceBuilder<RawRecord, ?> b =
                HybridSource.builder(file(source, format, files.get(0)));
        for (Path f : files.subList(1, files.size())) {
            b = b.addSource(file(source, format, f));
        }
        return b.build();
    }

    /** An unbounded source of the lines of every file that appears in {@code dir} (the control input). */
    public static Source<RawRecord, ?, ?> watched(String source, Path dir, java.time.Duration every) {
        return watched(source, InputFormat.METRICS, dir, every);
    }

    /**
     * An unbounded source of the lines of every file that appears in {@code dir} (created if
     * missing), each file read once: the files seen and the position in the one being read are
     * checkpointed. Names starting with . or _ are skipped, so a writer can fill a hidden file and
     * rename it when complete (the receiver's spool).
     */
    public static Source<RawRecord, ?, ?> watched(String source, InputFormat format, Path dir, java.time.Duration every) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return FileSource.forRecordStreamFormat(
                        new LineRecordFormat(source, format, dir.getFileName().toString()),
                        new org.apache.flink.core.fs.Path(dir.toAbsolutePath().toUri()))
                .monitorContinuously(every)
                .setSplitAssigner(NameOrderSplitAssigner::new)
                .build();
    }

    private static FileSource<RawRecord> file(String source, InputFormat format, Path f) {
        return FileSource.forRecordStreamFormat(
                        new LineRecordFormat(source, format, f.getFileName().toString()),
                        new org.apache.flink.core.fs.Path(f.toAbsolutePath().toUri()))
                .build();
    }

    public static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("no such file or directory: " + path);
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
