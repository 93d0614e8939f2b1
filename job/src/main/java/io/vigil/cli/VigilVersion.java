package io.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code vigil --version}: the Maven project version, written into the jar at build time. */
final class VigilVersion implements CommandLine.IVersionProvider {
    static final String RESOURCE = "/io/vigil/cli/version.properties";

    @Override
    public String[] getVersion() throws IOException {
        Properties p = properties();
        return new String[] {
            "vigil " + p.getProperty("version", "(unknown)"),
            "Flink " + p.getProperty("flink", "(unknown)") + ", Java " + System.getProperty("java.version")
        };
    }

    static Properties properties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VigilVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        }
        return p;
    }
}
