package io.vigil.source.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A control location as the CLI writes it: a local directory or an s3:// prefix holding control
 * files, each written whole (a new object, or a hidden file renamed), so a poller never reads half
 * of one and concurrent writers never overwrite each other.
 */
public interface ControlStore extends AutoCloseable {
    /** Writes a new control file {@code name} holding {@code text}. */
    void write(String name, String text) throws IOException;

    /** The control files' names, in name order (the order the job applies them in). */
    List<String> names() throws IOException;

    String read(String name) throws IOException;

    @Override
    void close();

    /** {@code location}: s3://bucket/prefix/ (with the given client settings, either may be null) or a directory. */
    static ControlStore at(String location, String awsRegion, String awsEndpoint) {
        return S3Location.isS3(location) ? new S3(S3Location.parse(location, awsRegion, awsEndpoint).asPrefix())
                : new Directory(Paths.get(location));
    }

    /** A local control directory (vigil.control.path). */
    final class Directory implements ControlStore {
        private final Path dir;

        Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        public void write(String name, String text) throws IOException {
            Files.createDirectories(dir);
            Path hidden = dir.resolve("." + name);
            Files.write(hidden, text.getBytes(StandardCharsets.UTF_8));
            Files.move(hidden, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public List<String> names() throws IOException {
            if (!Files.isDirectory(dir)) {
                return Collections.emptyList();
            }
            List<String> out = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                        .filter(n -> !n.startsWith(".") && !n.startsWith("_")).sorted().forEach(out::add);
            }
            return out;
        }

        @Override
        public String read(String name) throws IOException {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {}
    }

    /** An s3:// control prefix. */
    final class S3 implements ControlStore {
        private final S3Location prefix;
        private final S3Client s3;

        S3(S3Location prefix) {
            this.prefix = prefix;
            this.s3 = prefix.client();
        }

        @Override
        public void write(String name, String text) {
            s3.putObject(b -> b.bucket(prefix.bucket).key(prefix.key + name).contentType("application/x-ndjson"),
                    RequestBody.fromString(text, StandardCharsets.UTF_8));
        }

        @Override
        public List<String> names() {
            List<String> out = new ArrayList<>();
            ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(prefix.bucket).prefix(prefix.key);
            String token = null;
            do {
                ListObjectsV2Response page = s3.listObjectsV2(req.continuationToken(token).build());
                for (S3Object o : page.contents()) {
                    String n = o.key().substring(prefix.key.length());
                    if (!n.isEmpty() && !n.contains("/") && !n.startsWith(".") && !n.startsWith("_")) {
                        out.add(n);
                    }
                }
                token = page.isTruncated() ? page.nextContinuationToken() : null;
            } while (token != null);
            Collections.sort(out);
            return out;
        }

        @Override
        public String read(String name) {
            return s3.getObjectAsBytes(b -> b.bucket(prefix.bucket).key(prefix.key + name)).asUtf8String();
        }

        @Override
        public void close() {
            s3.close();
        }
    }
}
