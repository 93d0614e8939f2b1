package io.vigil.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.apache.ApacheHttpClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.regions.Region;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.KinesisClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.StreamStatus;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * kinesis-mock (npm {@code kinesis-local}, pinned in {@code src/test/stand-ins/package.json} and its
 * lockfile) on a free loopback port for the tests of a class. The package is installed by
 * {@code npm ci} into {@code target/stand-ins} once per build (skipped when already there).
 *
 * <p>The server keeps its streams in memory and writes them to a file every {@link #PERSIST_INTERVAL}
 * (not on a stop, as measured: records acknowledged since the last write are gone after a restart).
 * Kinesis acknowledges a record once it is durable; to stand in for that, a test waits with
 * {@link #awaitPersisted} before {@link #restart()}, which brings the written streams back on the same port.
 */
public class KinesisMockExtension implements BeforeAllCallback, AfterAllCallback {
    static final String REGION = "us-east-1";
    /** kinesis-mock's account id in the ARNs it makes. */
    static final String ACCOUNT = "000000000000";
    private static final String ACCESS_KEY = "vigil-test";
    private static final String SECRET_KEY = "vigil-test-secret";

    private static final Path PACKAGE = Paths.get("src/test/stand-ins");
    private static final Path INSTALL = Paths.get("target/stand-ins");
    private static final Path MAIN = INSTALL.resolve("node_modules/kinesis-local/main.js");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PERSIST_INTERVAL = "500ms";
    private static final String PERSIST_FILE = "kinesis-data.json";

    private Process process;
    private Path dir;
    private int port;
    private int tlsPort;
    private Thread stopOnExit;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        install();
        dir = Files.createTempDirectory("kinesis-mock");
        port = freeLoopbackPort();
        tlsPort = freeLoopbackPort();
        // The Flink source finds credentials through the SDK's default chain; the stand-in takes any.
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Fails with what to install when node or npm is missing or older than kinesis-local needs,
     * rather than with an IOException from ProcessBuilder deep in a test.
     */
    static void requireNode() throws Exception {
        String install = "the Kinesis stand-in needs Node.js 18+ with npm on the PATH: install Node.js 18+"
                + " (apt-get install nodejs npm, or https://nodejs.org) and run the tests again";
        for (String tool : new String[] {"node", "npm"}) {
            if (!onPath(tool)) {
                throw new IllegalStateException(tool + " not found; " + install);
            }
        }
        Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v?(\\d+)\\..*").matcher(version);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 18) {
            throw new IllegalStateException("node --version says '" + version + "'; " + install);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** {@code npm ci} of the pinned package into target/, unless an earlier test class did it. */
    static synchronized void install() throws Exception {
        requireNode();
        if (Files.isRegularFile(MAIN)) {
            return;
        }
        Files.createDirectories(INSTALL);
        for (String f : new String[] {"package.json", "package-lock.json"}) {
            Files.copy(PACKAGE.resolve(f), INSTALL.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Process npm = new ProcessBuilder("npm", "ci", "--prefix", INSTALL.toString(), "--no-audit", "--no-fund")
                .redirectErrorStream(true)
                .redirectOutput(INSTALL.resolve("npm-ci.log").toFile())
                .start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isRegularFile(MAIN)) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci of the Kinesis stand-in failed:\n"
                    + Files.readString(INSTALL.resolve("npm-ci.log")));
        }
    }

    /** Starts the server (again) on this extension's port, with the streams it had written out. */
    public void start() throws Exception {
        Path pkg = MAIN.getParent();
        ProcessBuilder b = new ProcessBuilder("node", MAIN.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kinesis-mock.log").toFile()));
        Map<String, String> env = b.environment();
        env.put("KINESIS_MOCK_CERT_PATH", pkg.resolve("server.json").toAbsolutePath().toString());
        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port));
        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
        env.put("CREATE_STREAM_DURATION", "100ms");
        env.put("AWS_REGION", REGION);
        env.put("LOG_LEVEL", "WARN");
        env.put("SHOULD_PERSIST_DATA", "true");
        env.put("LOAD_DATA_IF_EXISTS", "true");
        env.put("PERSIST_PATH", dir.toAbsolutePath().toString());
        env.put("PERSIST_INTERVAL", PERSIST_INTERVAL);
        env.put("PERSIST_FILE_NAME", PERSIST_FILE);
        process = b.start();
        stopOnExit = new Thread(process::destroyForcibly, "stop kinesis-mock");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        awaitReady();
    }

    /**
     * Waits until the server's file holds at least {@code records} records of {@code stream}: from
     * then on a restart keeps them.
     */
    public void awaitPersisted(String stream, int records) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int seen = 0;
        while (System.nanoTime() < deadline) {
            try {
                seen = 0;
                JsonNode shards = JSON.readTree(dir.resolve(PERSIST_FILE).toFile())
                        .path("streams").path(streamArn(stream)).path("shards");
                for (JsonNode shard : shards) {
                    seen += shard.size();
                }
                if (seen >= records) {
                    return;
                }
            } catch (IOException notWrittenOrHalfWritten) {
                // try again
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("kinesis-mock persisted " + seen + " records, not " + records + ", within 30 s");
    }

    /** Stops the server (SIGTERM). */
    public void stop() throws Exception {
        if (process == null) {
            return;
        }
        process.destroy();
        // it lingers on open client connections, and writes nothing more on the way out anyway
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
        process = null;
    }

    /** A stop and a start on the same port: readers see connection errors in between. */
    public void restart() throws Exception {
        stop();
        start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String streamArn(String stream) {
        return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + stream;
    }

    /** An AWS SDK v2 client of the stand-in (the SDK the connector bundles, relocated). */
    public KinesisClient client() {
        return KinesisClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** Creates a stream and polls until it is ACTIVE (the SDK's waiter polls every 10 s). */
    public void createStream(String stream, int shards) throws Exception {
        try (KinesisClient k = client()) {
            k.createStream(r -> r.streamName(stream).shardCount(shards));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (k.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamStatus()
                    != StreamStatus.ACTIVE) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("stream " + stream + " not ACTIVE within 30 s");
                }
                Thread.sleep(100);
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The port first, then an API call: the server listens a moment before it answers. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kinesis-mock exited with " + process.exitValue() + ":\n" + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kinesis-mock not ready on " + port + " within 60 s:\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            } catch (IOException notYet) {
                Thread.sleep(100);
                continue;
            }
            try (KinesisClient k = client()) {
                k.listStreams();
                return;
            } catch (RuntimeException notYet) {
                Thread.sleep(100);
            }
        }
    }

    private String log() throws IOException {
        Path f = dir.resolve("kinesis-mock.log");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }
}
