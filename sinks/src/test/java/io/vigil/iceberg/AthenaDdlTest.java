package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** ddl/athena holds one CREATE TABLE per curated table, and each matches the Iceberg table exactly. */
class AthenaDdlTest {
    static final Path DDL = Paths.get("../ddl/athena");

    private static String read(String table) throws IOException {
        return new String(Files.readAllBytes(DDL.resolve(table + ".sql")), StandardCharsets.UTF_8);
    }

    /** The Athena DDL type of an Iceberg type; timestamptz has none (Athena cannot declare it). */
    static String athenaType(Type type) {
        switch (type.typeId()) {
            case STRING:
                return "string";
            case LONG:
                return "bigint";
            case INTEGER:
                return "int";
            case DOUBLE:
                return "double";
            case FLOAT:
                return "float";
            case BOOLEAN:
                return "boolean";
            case DATE:
                return "date";
            case BINARY:
                return "binary";
            case DECIMAL:
                Types.DecimalType d = (Types.DecimalType) type;
                return "decimal(" + d.precision() + "," + d.scale() + ")";
            case TIMESTAMP:
                if (((Types.TimestampType) type).shouldAdjustToUTC()) {
                    throw new IllegalArgumentException("timestamptz cannot be declared in Athena DDL");
                }
                return "timestamp";
            case MAP:
                return "map<" + athenaType(type.asMapType().keyType()) + "," + athenaType(type.asMapType().valueType()) + ">";
            case LIST:
                return "array<" + athenaType(type.asListType().elementType()) + ">";
            default:
                throw new IllegalArgumentException(type + " has no Athena DDL type");
        }
    }

    /** What differs between the Iceberg table and its Athena DDL; empty when they match. */
    static List<String> differences(CuratedTable expected, AthenaCreateTable ddl) {
        List<String> out = new ArrayList<>();
        if (!"vigil".equals(ddl.namespace) || !expected.name().equals(ddl.table)) {
            out.add("creates " + ddl.namespace + "." + ddl.table + ", not vigil." + expected.name());
        }
        List<String> want = new ArrayList<>();
        for (Types.NestedField c : expected.schema().columns()) {
            want.add(c.name() + " " + athenaType(c.type()));
        }
        List<String> have = ddl.columns.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.toList());
        for (String c : want) {
            if (!have.contains(c)) {
                out.add("missing or mistyped: " + c);
            }
        }
        for (String c : have) {
            if (!want.contains(c)) {
                out.add("not in the Iceberg schema: " + c);
            }
        }
        if (out.isEmpty() && !want.equals(have)) {
            out.add("column order differs: " + have);
        }
        List<String> partitions = new ArrayList<>();
        for (PartitionField f : expected.spec().fields()) {
            partitions.add(f.transform() + "(" + expected.schema().findColumnName(f.sourceId()) + ")");
        }
        if (!partitions.equals(ddl.partitioning)) {
            out.add("partitioned by " + ddl.partitioning + ", not " + partitions);
        }
        if (ddl.location == null || !ddl.location.startsWith("s3://")) {
            out.add("location " + ddl.location + " is not s3://");
        }
        Map<String, String> props = Map.of("table_type", "ICEBERG", "format", "parquet", "write_compression", "zstd");
        if (!props.equals(ddl.properties)) {
            out.add("table properties " + ddl.properties + ", not " + props);
        }
        return out;
    }

    @Test
    void thereIsOneCreateTablePerCuratedTable() throws IOException {
        TreeSet<String> files;
        try (Stream<Path> s = Files.list(DDL)) {
            files = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        TreeSet<String> tables = VigilTables.all().stream().map(t -> t.name() + ".sql")
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(files).isEqualTo(tables);
    }

    @Test
    void everyCreateTableMatchesItsIcebergSchemaAndPartitioningExactly() throws IOException {
        for (CuratedTable t : VigilTables.all()) {
            AthenaCreateTable ddl = AthenaCreateTable.parse(read(t.name()));
            assertThat(differences(t, ddl)).as(t.name()).isEmpty();
        }
    }

    @Test
    void aMissingExtraOrMistypedColumnIsCaught() throws IOException {
        String ddl = read("pipeline_runs");
        String missing = ddl.replace("  duration_ms   bigint,\n", "");
        assertThat(differences(VigilTables.PIPELINE_RUNS, AthenaCreateTable.parse(missing)))
                .containsExactly("missing or mistyped: duration_ms bigint");
        String mistyped = ddl.replace("duration_ms   bigint", "duration_ms   int");
        assertThat(differences(VigilTables.PIPELINE_RUNS, AthenaCreateTable.parse(mistyped)))
                .containsExactly("missing or mistyped: duration_ms bigint", "not in the Iceberg schema: duration_ms int");
        String extra = ddl.replace("  nominal_end_time     timestamp\n", "  nominal_end_time     timestamp,\n  host string\n");
        assertThat(differences(VigilTables.PIPELINE_RUNS, AthenaCreateTable.parse(extra)))
                .containsExactly("not in the Iceberg schema: host string");
        String swapped = ddl.replace("  job_namespace string,\n  job_name      string,", "  job_name string,\n  job_namespace string,");
        assertThat(differences(VigilTables.PIPELINE_RUNS, AthenaCreateTable.parse(swapped)).get(0))
                .startsWith("column order differs");
        String otherPartition = ddl.replace("day(ended_at)", "month(ended_at)");
        assertThat(differences(VigilTables.PIPELINE_RUNS, AthenaCreateTable.parse(otherPartition)))
                .containsExactly("partitioned by [month(ended_at)], not [day(ended_at)]");
    }

    @Test
    void theReaderRefusesWhatItDoesNotKnowWithItsPosition() throws IOException {
        String ddl = read("alerts");
        assertThatThrownBy(() -> AthenaCreateTable.parse(ddl.replace("value       double", "value       real")))
                .hasMessage("line 10:15: 'real' is not a type Athena's Iceberg DDL declares");
        assertThatThrownBy(() -> AthenaCreateTable.parse(ddl.replace("PARTITIONED BY", "PARTITION BY")))
                .hasMessageContaining("expected PARTITIONED, found PARTITION");
        assertThatThrownBy(() -> AthenaCreateTable.parse(ddl.replace(");", ") STORED AS PARQUET;")))
                .hasMessageContaining("expected the end of the statement, found STORED");
        assertThatThrownBy(() -> athenaType(Types.TimestampType.withZone()))
                .hasMessage("timestamptz cannot be declared in Athena DDL");
    }
}
