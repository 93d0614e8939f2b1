package io.vigil.iceberg;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3-compatible server on loopback for the tests of a class: s3proxy over an in-memory store,
 * run as its own process from the jar the build copies to {@code target/s3proxy} (its bundled
 * guava, jackson and SDK stay off the test classpath), on a free port, stopped after the class
 * and on JVM exit.
 */
public class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {
    static final String ACCESS_KEY = "vigil-test";
    static final String SECRET_KEY = "vigil-test-secret";
    static final String REGION = "us-east-1";

    private static final Path JAR = Paths.get("target/s3proxy/s3proxy.jar");

    private Process process;
    private Path dir;
    private URI endpoint;
    private Thread stopOnExit;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: the build copies it in "
                    + "generate-test-resources (run the test through Maven)");
        }
        dir = Files.createTempDirectory("s3proxy");
        int port = freeLoopbackPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        Path properties = dir.resolve("s3proxy.conf");
        Files.write(properties, List.of(
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=none",
                "jclouds.provider=transient-nio2",
                "jclouds.identity=" + ACCESS_KEY,
                "jclouds.credential=" + SECRET_KEY), StandardCharsets.UTF_8);
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(),
                "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
        stopOnExit = new Thread(process::destroyForcibly, "stop s3proxy");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        awaitPort(port);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        }
        if (dir != null) {
            for (Path p : List.of(dir.resolve("s3proxy.conf"), dir.resolve("s3proxy.log"), dir)) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("s3proxy did not listen on " + port + " within 60 s:\n" + log());
    }

    private String log() throws IOException {
        return new String(Files.readAllBytes(dir.resolve("s3proxy.log")), StandardCharsets.UTF_8);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of the stand-in, for making buckets and looking at what was written. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public void createBucket(String bucket) {
        try (S3Client s3 = client()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /** The catalog properties that point Iceberg's S3FileIO at the stand-in. */
    public Map<String, String> s3FileIoProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        p.put("s3.endpoint", endpoint.toString());
        p.put("s3.path-style-access", "true");
        p.put("s3.access-key-id", ACCESS_KEY);
        p.put("s3.secret-access-key", SECRET_KEY);
        p.put("client.region", REGION);
        return p;
    }
}
