package io.vigil.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trino.sql.parser.ParsingOptions;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.AliasedRelation;
import io.trino.sql.tree.DataType;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.Query;
import io.trino.sql.tree.SingleColumn;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.Table;
import io.trino.sql.tree.WithQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The query pack parses with Trino's parser (Athena engine v3 is Trino), reads only curated tables,
 * and names only their columns and its own aliases.
 */
class QueryPackTest {
    private static final Path QUERIES = Paths.get("../ddl/queries");
    /** Athena reads decimal literals as decimals. */
    private static final ParsingOptions ATHENA = new ParsingOptions(ParsingOptions.DecimalLiteralTreatment.AS_DECIMAL);

    private static Statement parse(String sql) {
        String s = sql.trim();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1);
        }
        return new SqlParser().createStatement(s, ATHENA);
    }

    /** Tables read and names used that are neither the tables' columns nor the query's aliases. */
    static Set<String> unknownNames(Statement statement) {
        Set<String> tables = new TreeSet<>();
        Set<String> identifiers = new TreeSet<>();
        Set<String> aliases = new TreeSet<>();
        walk(statement, tables, identifiers, aliases);
        tables.removeAll(aliases); // a WITH query read as a table
        Set<String> known = new TreeSet<>(aliases);
        Set<String> unknown = new TreeSet<>();
        for (String table : tables) {
            String[] parts = table.split("\\.");
            if (parts.length != 2 || !parts[0].equals("vigil")) {
                unknown.add("table " + table);
                continue;
            }
            try {
                for (Types.NestedField c : VigilTables.named(parts[1]).schema().columns()) {
                    known.add(c.name());
                }
            } catch (IllegalArgumentException e) {
                unknown.add("table " + table);
            }
        }
        for (String id : identifiers) {
            if (!known.contains(id)) {
                unknown.add(id);
            }
        }
        return unknown;
    }

    private static void walk(Node node, Set<String> tables, Set<String> identifiers, Set<String> aliases) {
        if (node instanceof DataType) {
            return; // CAST(x AS double): a type name, not a column
        }
        if (node instanceof Table) {
            tables.add(((Table) node).getName().toString());
        } else if (node instanceof Identifier) {
            identifiers.add(((Identifier) node).getValue());
        }
        if (node instanceof SingleColumn) {
            ((SingleColumn) node).getAlias().ifPresent(a -> aliases.add(a.getValue()));
        } else if (node instanceof AliasedRelation) {
            aliases.add(((AliasedRelation) node).getAlias().getValue());
        } else if (node instanceof WithQuery) {
            aliases.add(((WithQuery) node).getName().getValue());
        }
        for (Node child : node.getChildren()) {
            walk(child, tables, identifiers, aliases);
        }
    }

    @Test
    void everyQueryParsesAndNamesOnlyCuratedTablesAndTheirColumns() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(QUERIES)) {
            files = s.filter(p -> p.toString().endsWith(".sql")).sorted().collect(Collectors.toList());
        }
        assertThat(files.stream().map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                "freshness_lag.sql", "failure_rate_24h.sql", "p95_run_duration.sql", "top_failed_logons.sql",
                "alert_time_to_resolve.sql", "dq_trend.sql", "undelivered_alerts.sql");
        for (Path f : files) {
            Statement st = parse(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
            assertThat(st).as(f.toString()).isInstanceOf(Query.class);
            assertThat(unknownNames(st)).as(f.toString()).isEmpty();
        }
    }

    @Test
    void aTypoInATableOrColumnIsCaught() {
        assertThat(unknownNames(parse("SELECT rule_id, count(*) AS n FROM vigil.alerts GROUP BY rule_id ORDER BY n")))
                .isEmpty();
        assertThat(unknownNames(parse("SELECT rule FROM vigil.alerts"))).containsExactly("rule");
        assertThat(unknownNames(parse("SELECT x FROM vigil.alert"))).contains("table vigil.alert");
        assertThatThrownBy(() -> parse("SELECT FROM vigil.alerts")).hasMessageContaining("line 1:8");
    }
}
