package io.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.config.AlertOutput;
import io.vigil.config.Durations;
import io.vigil.config.InputConfig;
import io.vigil.config.PropertyGroups;
import io.vigil.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks deploy/k8s/flink-deployment.yaml, the Flink Kubernetes Operator path: the FlinkDeployment
 * runs io.vigil.VigilJob on Flink 1.20 with S3 state, HA and savepoint upgrades, and the ConfigMap it
 * mounts is a valid Vigil configuration, read as VigilJob reads it (PropertyGroups.fromFile).
 */
class FlinkDeploymentManifestTest {
    static final Path MANIFEST = Paths.get("../deploy/k8s/flink-deployment.yaml");
    static List<JsonNode> documents;

    @TempDir Path dir;

    @BeforeAll
    static void load() throws IOException {
        documents = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        yaml.readerFor(JsonNode.class).readValues(MANIFEST.toFile()).forEachRemaining(d -> {
            JsonNode doc = (JsonNode) d;
            if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
                documents.add(doc);
            }
        });
    }

    static JsonNode only(String kind) {
        List<JsonNode> found = new ArrayList<>();
        documents.forEach(d -> {
            if (d.path("kind").asText().equals(kind)) {
                found.add(d);
            }
        });
        assertThat(found).as("documents of kind " + kind).hasSize(1);
        return found.get(0);
    }

    static JsonNode deployment() {
        return only("FlinkDeployment");
    }

    static JsonNode mainContainer() {
        for (JsonNode c : deployment().at("/spec/podTemplate/spec/containers")) {
            if (c.path("name").asText().equals("flink-main-container")) {
                return c;
            }
        }
        throw new AssertionError("no flink-main-container in the pod template");
    }

    static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.has("value") ? e.get("value").asText() : null;
            }
        }
        throw new AssertionError("no env var " + name);
    }

    static String flinkConf(String key) {
        JsonNode v = deployment().at("/spec/flinkConfiguration").get(key);
        assertThat(v).as("flinkConfiguration " + key).isNotNull();
        return v.asText();
    }

    @Test
    void theFlinkDeploymentRunsVigilJobOnFlink120() {
        JsonNode d = deployment();
        assertThat(d.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(d.at("/spec/flinkVersion").asText()).isEqualTo("v1_20");
        assertThat(d.at("/spec/image").asText()).matches("flink:1\\.20(\\.\\d+)?-java11");
        JsonNode job = d.at("/spec/job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/vigil-job.jar");
        assertThat(job.path("entryClass").asText()).isEqualTo("io.vigil.VigilJob");
        assertThat(job.path("args").get(0).asText()).isEqualTo("--config");
        assertThat(job.path("args")).hasSize(2);
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("parallelism").asInt()).isPositive();
        assertThat(d.at("/spec/jobManager/resource/memory").asText()).isNotEmpty();
        assertThat(d.at("/spec/taskManager/resource/memory").asText()).isNotEmpty();
    }

    @Test
    void checkpointsSavepointsAndHighAvailabilityAreOnS3() {
        assertThat(flinkConf("state.checkpoints.dir")).startsWith("s3://");
        assertThat(flinkConf("state.savepoints.dir")).startsWith("s3://");
        assertThat(flinkConf("state.savepoints.dir")).isNotEqualTo(flinkConf("state.checkpoints.dir"));
        assertThat(Durations.parse(flinkConf("execution.checkpointing.interval"))).isPositive();
        assertThat(flinkConf("high-availability.type")).isEqualTo("kubernetes");
        assertThat(flinkConf("high-availability.storageDir")).startsWith("s3://");
        assertThat(flinkConf("restart-strategy.type")).isNotEmpty();
    }

    @Test
    void theS3PluginOfTheImagesOwnFlinkReleaseIsEnabled() {
        String plugins = env(mainContainer(), "ENABLE_BUILT_IN_PLUGINS");
        Matcher jar = Pattern.compile("(?:^|;)flink-s3-fs-hadoop-(1\\.20\\.\\d+)\\.jar(?:;|$)").matcher(plugins);
        assertThat(jar.find()).as("ENABLE_BUILT_IN_PLUGINS " + plugins + " names flink-s3-fs-hadoop-1.20.x.jar").isTrue();
        // The entrypoint links /opt/flink/opt/<jar> and exits if it is missing, so the image must be
        // the release the jar name says, not a floating tag that moves to the next patch.
        Matcher image = Pattern.compile("flink:(\\d+\\.\\d+\\.\\d+)-java11").matcher(deployment().at("/spec/image").asText());
        assertThat(image.matches()).as("the image is pinned to a patch release").isTrue();
        assertThat(image.group(1)).isEqualTo(jar.group(1));
    }

    @Test
    void theConfigFileTheJobReadsIsTheMountedConfigMap() {
        JsonNode spec = deployment().at("/spec/podTemplate/spec");
        Path config = Paths.get(deployment().at("/spec/job/args").get(1).asText());
        JsonNode map = only("ConfigMap");
        assertThat(map.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(map.at("/metadata/namespace").asText()).isEqualTo(deployment().at("/metadata/namespace").asText());
        assertThat(map.at("/data").has(config.getFileName().toString())).isTrue();
        String volume = mountedAt(mainContainer(), config.getParent().toString());
        assertThat(volumeOf(spec, volume).at("/configMap/name").asText()).isEqualTo(map.at("/metadata/name").asText());

        // The jar is where jarURI says, put there by an init container on the same volume.
        String usrlib = Paths.get(deployment().at("/spec/job/jarURI").asText().substring("local://".length())).getParent().toString();
        String jarVolume = mountedAt(mainContainer(), usrlib);
        boolean fetched = false;
        for (JsonNode init : spec.path("initContainers")) {
            fetched |= mountedAt(init, usrlib).equals(jarVolume);
        }
        assertThat(fetched).as("an init container fills " + usrlib).isTrue();

        // The Slack webhook comes from a Secret, through the variable the config names.
        String webhook = vigilYamlGroups().get("alerts.slack").getProperty("webhook");
        assertThat(webhook).startsWith("env:");
        String var = webhook.substring("env:".length());
        boolean fromSecret = false;
        for (JsonNode e : mainContainer().path("env")) {
            fromSecret |= e.path("name").asText().equals(var) && e.at("/valueFrom/secretKeyRef/name").isTextual();
        }
        assertThat(fromSecret).as(var + " is set from a Secret").isTrue();
    }

    @Test
    void theConfigMapsVigilYamlIsAValidVigilConfiguration() {
        Map<String, Properties> groups = vigilYamlGroups();
        assertThat(groups.get("vigil").getProperty("watchdog.interval")).isEqualTo("5m");

        VigilConfig config = VigilConfig.from(groups);

        // VigilJob sets these on the environment, overriding flinkConfiguration and spec.job.
        assertThat(config.parallelism).isEqualTo(deployment().at("/spec/job/parallelism").asInt());
        assertThat(config.checkpointInterval).isEqualTo(Durations.parse(flinkConf("execution.checkpointing.interval")));
        assertThat(config.inputs).extracting(i -> i.name).containsExactly("auth", "commerce", "lineage", "metrics");
        assertThat(config.inputs).allSatisfy(i -> assertThat(i.type).isEqualTo(InputConfig.Type.KINESIS));
        assertThat(config.tables.type()).isEqualTo("glue");
        assertThat(config.alertOutputs).extracting(o -> o.type)
                .containsExactlyInAnyOrder(AlertOutput.Type.SNS, AlertOutput.Type.SLACK);
    }

    @Test
    void theConfigMapHasTheCloudFormationApplicationsGroupsAndKeys() throws IOException {
        CloudFormationTemplateTest.load();
        Map<String, Properties> cloud = CloudFormationTemplateTest.propertyGroups(true);
        Map<String, Properties> k8s = vigilYamlGroups();
        assertThat(k8s.keySet()).isEqualTo(cloud.keySet());
        // Resources are named differently (references there, example ARNs here); settings are not.
        Set<String> settings = Set.of("type", "format", "initial.position", "severities", "watchdog.interval", "namespace");
        List<String> differences = new ArrayList<>();
        for (String group : cloud.keySet()) {
            if (group.equals("vigil")) {
                continue; // parallelism and checkpoint.interval are the service's on Managed Flink
            }
            Set<String> keys = new TreeSet<>(cloud.get(group).stringPropertyNames());
            if (!keys.equals(new TreeSet<>(k8s.get(group).stringPropertyNames()))) {
                differences.add(group + " keys " + keys + " vs " + k8s.get(group).stringPropertyNames());
            }
            for (String k : keys) {
                String c = cloud.get(group).getProperty(k);
                String m = k8s.get(group).getProperty(k);
                if (settings.contains(k) && !c.equals(m)) {
                    differences.add(group + "/" + k + ": " + c + " vs " + m);
                }
            }
        }
        assertThat(k8s.get("vigil").getProperty("watchdog.interval")).isEqualTo(cloud.get("vigil").getProperty("watchdog.interval"));
        assertThat(differences).isEmpty();
    }

    /** The ConfigMap's vigil.yaml, read exactly as VigilJob --config reads it. */
    Map<String, Properties> vigilYamlGroups() {
        try {
            Path file = dir.resolve("vigil.yaml");
            Files.writeString(file, only("ConfigMap").at("/data/vigil.yaml").asText());
            return PropertyGroups.fromFile(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String mountedAt(JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (Paths.get(m.path("mountPath").asText()).equals(Paths.get(path))) {
                return m.path("name").asText();
            }
        }
        return "(nothing mounted at " + path + " in " + container.path("name").asText() + ")";
    }

    static JsonNode volumeOf(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }
}
