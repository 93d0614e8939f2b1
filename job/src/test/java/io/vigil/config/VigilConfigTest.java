package io.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.InputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilConfigTest {
    @TempDir Path dir;

    private static Map<String, Properties> groups(String... groupKeyValue) {
        Map<String, Properties> g = new TreeMap<>();
        for (int i = 0; i < groupKeyValue.length; i += 3) {
            g.computeIfAbsent(groupKeyValue[i], k -> new Properties()).setProperty(groupKeyValue[i + 1], groupKeyValue[i + 2]);
        }
        return g;
    }

    @Test
    void theShippedLocalConfigIsValid() throws Exception {
        VigilConfig c = VigilConfig.from(PropertyGroups.fromFile(Paths.get("../conf/local.yaml")));
        assertThat(c.inputs).extracting(i -> i.name).containsExactly("auth", "commerce", "metrics", "pipelines");
        assertThat(c.inputs).extracting(i -> i.format.family()).doesNotHaveDuplicates();
        assertThat(c.webPort).isEqualTo(8081);
        assertThat(c.inputs).allSatisfy(i -> assertThat(i.eventTime.idleness()).isEqualTo(Duration.ofMinutes(1)));
    }

    @Test
    void managedFlinkJsonAndYamlGiveTheSameGroups() throws Exception {
        Path json = dir.resolve("app.json");
        Files.writeString(json, "[{\"PropertyGroupId\":\"vigil\",\"PropertyMap\":{\"parallelism\":\"4\"}},"
                + "{\"PropertyGroupId\":\"input.auth\",\"PropertyMap\":{\"type\":\"file\",\"format\":\"lanl-auth\",\"path\":\"/data/auth.txt\",\"watermark.out-of-orderness\":\"2m\"}}]");
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, "vigil:\n  parallelism: 4\ninput.auth:\n  type: file\n  format: lanl-auth\n  path: /data/auth.txt\n  watermark.out-of-orderness: 2m\n");
        assertThat(PropertyGroups.fromFile(json)).isEqualTo(PropertyGroups.fromFile(yaml));
        VigilConfig c = VigilConfig.from(PropertyGroups.fromFile(json));
        assertThat(c.parallelism).isEqualTo(4);
        assertThat(c.inputs.get(0).format).isEqualTo(InputFormat.LANL_AUTH);
        assertThat(c.inputs.get(0).eventTime.outOfOrderness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.inputs.get(0).eventTime.idleness()).isNull(); // files are never idle
    }

    @Test
    void theTablesGroupChoosesTheCatalogAndNamesTheBadKey() {
        String[] in = {"input.a", "type", "generator", "input.a", "format", "metrics"};
        VigilConfig local = VigilConfig.from(groups(in));
        assertThat(local.tables.type()).isEqualTo("hadoop");
        assertThat(local.tables.warehouse()).isEqualTo("./warehouse");
        assertThat(local.tables.namespace()).isEqualTo("vigil");
        assertThat(VigilConfig.from(groups(concat(in, "iceberg", "enabled", "false"))).tables).isNull();
        VigilConfig glue = VigilConfig.from(groups(concat(in, "iceberg", "type", "glue", "iceberg", "warehouse",
                "s3://bucket/warehouse", "iceberg", "client.region", "eu-west-1", "iceberg", "namespace", "monitoring")));
        assertThat(glue.tables.type()).isEqualTo("glue");
        assertThat(glue.tables.namespace()).isEqualTo("monitoring");
        assertThat(glue.tables.properties()).containsEntry("client.region", "eu-west-1");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(in, "iceberg", "type", "glue"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group 'iceberg', key 'warehouse': required");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(in, "iceberg", "type", "jdbc", "iceberg", "warehouse", "/w"))))
                .hasMessageContaining("group 'iceberg', key 'uri': required");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(in, "iceberg", "wherehouse", "/w"))))
                .hasMessageContaining("group 'iceberg', key 'wherehouse': unknown catalog property");
        assertThatThrownBy(() -> VigilConfig.from(groups(concat(in, "iceberg", "enabled", "yes"))))
                .hasMessageContaining("group 'iceberg', key 'enabled': 'yes' is not true or false");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void errorsNameTheGroupAndKey() {
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "generator", "input.a", "format", "csv")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("group 'input.a', key 'format'").hasMessageContaining("lanl-auth");
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "generator", "input.a", "format", "metrics",
                "input.a", "rat", "5")))
                .hasMessageContaining("group 'input.a', key 'rat': unknown key").hasMessageContaining("rate");
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "file", "input.a", "format", "metrics")))
                .hasMessageContaining("group 'input.a', key 'path': is required");
        assertThatThrownBy(() -> VigilConfig.from(groups("input.a", "type", "kinesis", "input.a", "format", "metrics")))
                .hasMessageContaining("key 'type'").hasMessageContaining("not available yet");
        assertThatThrownBy(() -> VigilConfig.from(groups("vigil", "parallelism", "two", "input.a", "type", "generator",
                "input.a", "format", "metrics")))
                .hasMessageContaining("group 'vigil', key 'parallelism': 'two' is not a number");
        assertThatThrownBy(() -> VigilConfig.from(groups("vigil", "checkpoint.interval", "10", "input.a", "type",
                "generator", "input.a", "format", "metrics")))
                .hasMessageContaining("key 'checkpoint.interval'").hasMessageContaining("30s");
        assertThatThrownBy(() -> VigilConfig.from(groups("vigl", "parallelism", "2")))
                .hasMessageContaining("unknown property group 'vigl'");
        assertThatThrownBy(() -> VigilConfig.from(groups("vigil", "parallelism", "2")))
                .hasMessageContaining("no input");
    }

    @Test
    void unreadableFilesAreReportedAsConfigErrors() throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "vigil: [unclosed\n");
        assertThatThrownBy(() -> PropertyGroups.fromFile(broken)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> PropertyGroups.fromFile(dir.resolve("none.yaml"))).hasMessageContaining("no such file");
    }
}
