package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.aws.glue.GlueCatalog;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcebergCatalogConfigTest {
    @TempDir Path dir;

    private static IcebergCatalogConfig read(String... keyValues) {
        Map<String, String> p = new HashMap<>();
        p.put("other.setting", "ignored: not under the prefix");
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put("iceberg." + keyValues[i], keyValues[i + 1]);
        }
        return IcebergCatalogConfig.fromProperties(p, "iceberg.");
    }

    @Test
    void theLocalDefaultIsAHadoopWarehouseInTheWorkingDirectory() {
        IcebergCatalogConfig c = read();
        assertThat(c.type()).isEqualTo("hadoop");
        assertThat(c.warehouse()).isEqualTo("./warehouse");
        assertThat(c.namespace()).isEqualTo("vigil");
        assertThat(c.warehouseLocation()).startsWith("file:/").endsWith("/warehouse");
        assertThat(c.warehouseLocation()).doesNotContain("/./");
        assertThat(IcebergCatalogConfig.localDefault().warehouse()).isEqualTo("./warehouse");
    }

    @Test
    void passThroughPropertiesReachTheCatalogAndSecretsAreNotPrinted() {
        IcebergCatalogConfig c = read("type", "jdbc", "uri", "jdbc:sqlite:/tmp/c.db", "warehouse", "s3://b/w",
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO", "s3.endpoint", "http://127.0.0.1:9000",
                "s3.path-style-access", "true", "s3.secret-access-key", "hunter2", "namespace", "vigil_dev");
        assertThat(c.namespace()).isEqualTo("vigil_dev");
        assertThat(c.properties()).containsEntry("s3.endpoint", "http://127.0.0.1:9000")
                .containsEntry("uri", "jdbc:sqlite:/tmp/c.db").doesNotContainKeys("type", "warehouse", "namespace");
        assertThat(c.toString()).contains("s3.secret-access-key=***").doesNotContain("hunter2");
        assertThat(c.identifier(VigilTables.ALERTS).toString()).isEqualTo("vigil_dev.alerts");
    }

    @Test
    void everyErrorNamesTheKeyAtFault() {
        assertThatThrownBy(() -> read("type", "hive"))
                .hasMessage("iceberg.type: 'hive' is not one of hadoop, glue, jdbc");
        assertThatThrownBy(() -> read("type", "glue"))
                .hasMessage("iceberg.warehouse: required for a glue catalog");
        assertThatThrownBy(() -> read("type", "glue", "warehouse", "/data/w"))
                .hasMessageStartingWith("iceberg.warehouse: '/data/w' is not an s3:// location");
        assertThatThrownBy(() -> read("type", "jdbc", "warehouse", "/w"))
                .hasMessageStartingWith("iceberg.uri: required for a jdbc catalog");
        assertThatThrownBy(() -> read("type", "jdbc", "warehouse", "/w", "uri", "sqlite:/tmp/x"))
                .hasMessage("iceberg.uri: 'sqlite:/tmp/x' is not a JDBC URL (jdbc:...)");
        assertThatThrownBy(() -> read("uri", "jdbc:sqlite:x"))
                .hasMessage("iceberg.uri: is for a jdbc catalog only, not hadoop");
        assertThatThrownBy(() -> read("namespace", "Vigil-Prod"))
                .hasMessageStartingWith("iceberg.namespace: 'Vigil-Prod' is not a Glue database name");
        assertThatThrownBy(() -> read("s3.path-style-access", "yes"))
                .hasMessage("iceberg.s3.path-style-access: 'yes' is not true or false");
        assertThatThrownBy(() -> read("s3.endpoint", "localhost:9000"))
                .hasMessage("iceberg.s3.endpoint: 'localhost:9000' is not an http(s)://host[:port] URL");
        assertThatThrownBy(() -> read("s3.region", ""))
                .hasMessage("iceberg.s3.region: is empty");
        assertThatThrownBy(() -> read("warehose", "/w"))
                .hasMessageStartingWith("iceberg.warehose: unknown catalog property; expected type, warehouse,");
        assertThatThrownBy(() -> IcebergCatalogConfig.hadoop("/w").with("endpoint", "x"))
                .hasMessageStartingWith("endpoint: unknown catalog property");
    }

    @Test
    void eachTypeLoadsItsCatalog() throws Exception {
        Catalog hadoop = IcebergCatalogConfig.hadoop(dir.resolve("hadoop").toString()).catalogLoader().loadCatalog();
        assertThat(hadoop).isInstanceOf(HadoopCatalog.class);
        ((HadoopCatalog) hadoop).close();

        Catalog jdbc = IcebergCatalogConfig.jdbc("jdbc:sqlite:" + dir.resolve("catalog.db"), dir.resolve("w").toString())
                .catalogLoaderCreatingCatalogTables().loadCatalog();
        assertThat(jdbc).isInstanceOf(JdbcCatalog.class);
        ((JdbcCatalog) jdbc).close();

        // Glue: configuration only, no AWS account here; making the client contacts nothing.
        Catalog glue = IcebergCatalogConfig.glue("s3://vigil-lake/warehouse")
                .with("client.region", "eu-west-1")
                .catalogLoader().loadCatalog();
        assertThat(glue).isInstanceOf(GlueCatalog.class);
        ((GlueCatalog) glue).close();
    }

    @Test
    void neitherToStringNorAnErrorShowsAUserOrPasswordInTheJdbcUri() {
        IcebergCatalogConfig c = IcebergCatalogConfig.fromProperties(java.util.Map.of("type", "jdbc", "warehouse", "/tmp/w",
                "uri", "jdbc:postgresql://vigil:pg-s3cr3t@db.internal:5432/catalog?user=vigil&password=pg-s3cr3t2"), "");
        assertThat(c.toString()).contains("uri=jdbc:postgresql://****@db.internal:5432/catalog?user=****&password=****")
                .doesNotContain("pg-s3cr3t");
        assertThatThrownBy(() -> IcebergCatalogConfig.fromProperties(java.util.Map.of("type", "jdbc", "warehouse", "/tmp/w",
                "uri", "postgresql://vigil:pg-s3cr3t@db.internal/catalog"), ""))
                .hasMessageContaining("postgresql://****@db.internal/catalog").hasMessageNotContaining("pg-s3cr3t");
        assertThatThrownBy(() -> IcebergCatalogConfig.fromProperties(java.util.Map.of("type", "hadoop",
                "s3.endpoint", "minio://key:s3-s3cr3t@minio:9000"), ""))
                .hasMessageContaining("minio://****@minio:9000").hasMessageNotContaining("s3-s3cr3t");
    }
}
