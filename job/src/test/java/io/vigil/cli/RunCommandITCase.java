package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import io.vigil.iceberg.HadoopCatalogExtension;
import io.vigil.iceberg.IcebergCatalogConfig;
import io.vigil.iceberg.VigilTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil run} end to end: embedded cluster, generators, status line, clean stop. */
class RunCommandITCase {
    @TempDir Path dir;

    @Test
    void runsTheGeneratorsPrintsStatusAndStopsCleanly() throws Exception {
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, String.join("\n",
                "vigil:",
                "  parallelism: 2",
                "  checkpoint.interval: 2s",
                "  status.interval: 2s",
                "  web.port: 0",
                "  output.dir: " + dir.resolve("out"),
                "  watchdog.interval: 2s",
                "alerts.file:",
                "  type: file",
                "iceberg:",
                "  warehouse: " + dir.resolve("warehouse"),
                "input.auth:",
                "  type: generator",
                "  format: lanl-auth",
                "  rate: 400",
                "  bad.ratio: 0.05",
                "input.pipelines:",
                "  type: generator",
                "  format: openlineage",
                "  rate: 20",
                ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VigilCli.run(new String[] {"run", "--config", config.toString(), "--for", "9s"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("stopped cleanly");
        List<String> status = Arrays.stream(printed.split("\n")).filter(l -> l.contains("| total")).collect(Collectors.toList());
        assertThat(status).hasSizeGreaterThanOrEqualTo(3);
        String last = status.get(status.size() - 1);
        assertThat(last).containsPattern("auth \\d+/s inv [1-9]\\d* late \\d+");
        assertThat(last).containsPattern("pipelines \\d+/s");
        assertThat(status.get(status.size() - 2)).containsPattern("auth [1-9]\\d*/s");
        // the heartbeat: one alert, always firing, sent again every interval (about 4 in 9 s)
        List<String> heartbeats = Files.readAllLines(dir.resolve("out/alerts.jsonl")).stream()
                .filter(l -> l.contains("\"rule_id\":\"monitor_watchdog\"")).collect(Collectors.toList());
        assertThat(heartbeats).hasSizeGreaterThanOrEqualTo(3).allSatisfy(l -> assertThat(l)
                .contains("\"severity\":\"info\",\"state\":\"firing\"")
                .contains(heartbeats.get(0).substring(0, heartbeats.get(0).indexOf("\"rule_id\""))));
        // dead letters were written and flushed by the checkpoints
        List<String> dead = Files.readAllLines(dir.resolve("out/dead-letter.jsonl"));
        assertThat(dead).anySatisfy(l -> assertThat(l).contains("\"source\":\"auth\""))
                .allSatisfy(l -> assertThat(l).containsPattern("\"source\":\"(auth|pipelines)\""));
        // the live job's checkpoints committed rows to the curated tables
        IcebergCatalogConfig tables = IcebergCatalogConfig.hadoop(dir.resolve("warehouse").toString());
        Catalog catalog = tables.catalogLoader().loadCatalog();
        List<Record> auth = HadoopCatalogExtension.read(catalog.loadTable(tables.identifier(VigilTables.AUTH_EVENTS)));
        List<Record> deadLetters = HadoopCatalogExtension.read(catalog.loadTable(tables.identifier(VigilTables.DEAD_LETTER)));
        assertThat(auth).isNotEmpty();
        assertThat(deadLetters).isNotEmpty().allSatisfy(r -> assertThat(r.getField("source")).isIn("auth", "pipelines"));
    }
}
