package io.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar the service runs (job/target/vigil-job.jar, built in the package phase before
 * this runs): Flink's own classes are the cluster's, so none may be inside; Managed Flink runs
 * Java 11, so no class may need a newer JVM.
 */
class ShadedJarITCase {
    private static final Path JAR = Paths.get("target/vigil-job.jar");
    /** Class file major version of Java 11. */
    private static final int JAVA_11 = 55;
    private static Set<String> entries;

    @BeforeAll
    static void read() throws IOException {
        assertThat(JAR).as("built by mvn package").exists();
        entries = new HashSet<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements();) {
                entries.add(e.nextElement().getName());
            }
        }
    }

    @Test
    void holdsNoClassOfFlinksOwnJars() throws IOException {
        // target/lib holds the provided dependencies: Flink core, what the cluster brings
        List<String> clashes = new ArrayList<>();
        int flinkJars = 0;
        try (DirectoryStream<Path> lib = Files.newDirectoryStream(Paths.get("target/lib"), "flink-*.jar")) {
            for (Path p : lib) {
                flinkJars++;
                try (JarFile core = new JarFile(p.toFile())) {
                    for (Enumeration<java.util.jar.JarEntry> e = core.entries(); e.hasMoreElements();) {
                        String n = e.nextElement().getName();
                        if (n.endsWith(".class") && entries.contains(n)) {
                            clashes.add(p.getFileName() + ": " + n);
                        }
                    }
                }
            }
        }
        assertThat(flinkJars).as("flink-core, flink-runtime, flink-streaming-java, ...").isGreaterThan(10);
        assertThat(clashes).isEmpty();
        assertThat(entries).noneMatch(n -> n.startsWith("org/apache/flink/runtime/")
                || n.startsWith("org/apache/flink/api/common/") || n.startsWith("org/apache/flink/streaming/api/environment/"));
        // what must be inside: Vigil, the connectors and libraries the cluster does not have
        assertThat(entries).contains("io/vigil/VigilJob.class",
                "org/apache/flink/connector/kinesis/source/KinesisStreamsSource.class",
                "org/apache/flink/cep/CEP.class",
                "org/apache/iceberg/flink/sink/RowDataTaskWriterFactory.class",
                "software/amazon/awssdk/services/sns/SnsAsyncClient.class");
        // the SQLite driver (native libraries for every platform) serves only the local jdbc catalog
        assertThat(entries).noneMatch(n -> n.startsWith("org/sqlite/"));
    }

    @Test
    void everyClassRunsOnJava11() throws IOException {
        List<String> newer = new ArrayList<>();
        int classes = 0;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry); DataInputStream data = new DataInputStream(in)) {
                    if (data.readInt() != 0xCAFEBABE) {
                        continue; // not a class file (a resource named .class)
                    }
                    data.readUnsignedShort(); // minor
                    int major = data.readUnsignedShort();
                    classes++;
                    if (major > JAVA_11) {
                        newer.add(entry.getName() + " (class file " + major + ")");
                    }
                }
            }
        }
        assertThat(classes).isGreaterThan(10_000);
        assertThat(newer).isEmpty();
    }

    @Test
    void signaturesAreStrippedAndServiceFilesMerged() throws IOException {
        assertThat(entries).noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.vigil.VigilJob");
            // merged: the Iceberg catalog factory and Flink's own table factories are both listed
            String factories = new String(jar.getInputStream(jar.getEntry("META-INF/services/org.apache.flink.table.factories.Factory"))
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(factories).contains("org.apache.iceberg.flink.FlinkDynamicTableFactory");
        }
    }
}
