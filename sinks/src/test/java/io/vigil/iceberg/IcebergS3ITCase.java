package io.vigil.iceberg;

import static io.vigil.iceberg.SampleEnvelopes.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.InputFormat;
import io.vigil.testing.Samples;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The cloud path: tables in S3 through Iceberg's S3FileIO, against an S3-compatible server on
 * loopback, with a JDBC catalog (SQLite) holding the table pointers, as Glue does in the cloud.
 */
class IcebergS3ITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @TempDir Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void tablesAreWrittenToS3AndReadBack() throws Exception {
        S3.createBucket("vigil-lake");
        IcebergCatalogConfig config = IcebergCatalogConfig.jdbc("jdbc:sqlite:" + dir.resolve("catalog.db"),
                "s3://vigil-lake/warehouse");
        for (Map.Entry<String, String> p : S3.s3FileIoProperties().entrySet()) {
            config = config.with(p.getKey(), p.getValue());
        }
        List<String> kpi = new ArrayList<>(Samples.records(InputFormat.METRICS));
        kpi.add("{\"name\":\"par_90_pct\",\"value\":\"high\",\"time\":\"2026-11-02T10:01:00Z\"}");

        StreamExecutionEnvironment env = IcebergTablesITCase.replayEnvironment();
        IcebergTables.in(config).write(new ReplayedInputs()
                .add("kpi", InputFormat.METRICS, kpi)
                .add("lineage", InputFormat.OPENLINEAGE, Samples.records(InputFormat.OPENLINEAGE))
                .envelopes(env), null);
        env.execute("iceberg-s3-it");

        Catalog catalog = config.catalogLoader().loadCatalog();
        try {
            Table metrics = catalog.loadTable(config.identifier(VigilTables.METRIC_SAMPLES));
            assertThat(metrics.location()).isEqualTo("s3://vigil-lake/warehouse/vigil/metric_samples");
            List<Record> rows = HadoopCatalogExtension.read(metrics);
            assertThat(rows).extracting(r -> r.getField("name"))
                    .containsExactlyInAnyOrder("par_90_pct", "collection_rate_pct", "consumer_lag_seconds");
            Record par = rows.stream().filter(r -> r.getField("name").equals("par_90_pct")).findFirst().get();
            assertThat(par.getField("value")).isEqualTo(4.2);
            assertThat(((LocalDateTime) par.getField("event_time")).toInstant(ZoneOffset.UTC).toEpochMilli())
                    .isEqualTo(at("2026-11-02T10:00:00Z"));
            assertThat(par.getField("labels")).isEqualTo(Map.of("portfolio", "abaco"));

            List<Record> dead = HadoopCatalogExtension.read(catalog.loadTable(config.identifier(VigilTables.DEAD_LETTER)));
            assertThat(dead).extracting(r -> r.getField("reason")).containsExactly("BAD_TYPE");
            assertThat(HadoopCatalogExtension.read(catalog.loadTable(config.identifier(VigilTables.PIPELINE_RUNS))))
                    .hasSize(2);
        } finally {
            ((JdbcCatalog) catalog).close();
        }

        try (S3Client s3 = S3.client()) {
            List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket("vigil-lake").prefix("warehouse/vigil/metric_samples/"))
                    .contents().stream().map(S3Object::key).collect(Collectors.toList());
            assertThat(keys).anyMatch(k -> k.startsWith("warehouse/vigil/metric_samples/data/event_time_day=2026-11-02/")
                    && k.endsWith(".parquet"));
            assertThat(keys).anyMatch(k -> k.startsWith("warehouse/vigil/metric_samples/metadata/") && k.endsWith(".metadata.json"));
        }
    }
}
