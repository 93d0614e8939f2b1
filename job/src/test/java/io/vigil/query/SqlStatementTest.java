package io.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlStatementTest {
    @Test
    void readsTheLeadingKeywordPastComments() throws QueryException {
        assertThat(SqlStatement.of("-- why\n/* and how */\n  select 1").keyword()).isEqualTo("SELECT");
        assertThat(SqlStatement.of("WITH a AS (SELECT 1) SELECT * FROM a").isQuery()).isTrue();
        assertThat(SqlStatement.of("VALUES (1)").isQuery()).isTrue();
        assertThat(SqlStatement.of("(SELECT 1)").keyword()).isEqualTo("(");
        for (String inspection : new String[] {"SHOW TABLES", "DESCRIBE vigil.alerts", "DESC vigil.alerts",
                "EXPLAIN SELECT 1"}) {
            SqlStatement s = SqlStatement.of(inspection);
            assertThat(s.isQuery()).as(inspection).isFalse();
        }
    }

    @Test
    void refusesWhatWrites() {
        for (String sql : new String[] {"INSERT INTO vigil.alerts VALUES (1)", "drop table vigil.alerts",
                "-- SELECT\nDELETE FROM vigil.alerts", "CREATE CATALOG c WITH ()", "SET 'a' = 'b'",
                "USE CATALOG default_catalog", "EXECUTE STATEMENT SET BEGIN END", "ALTER TABLE vigil.alerts RENAME TO x"}) {
            assertThatThrownBy(() -> SqlStatement.of(sql)).as(sql).isInstanceOf(QueryException.class)
                    .hasMessageContaining("refused").hasMessageContaining("read-only");
        }
        assertThatThrownBy(() -> SqlStatement.of("DROP TABLE x")).hasMessageStartingWith("refused: 'DROP' statements");
    }

    @Test
    void takesOneStatementWithOrWithoutItsSemicolon() throws QueryException {
        assertThat(SqlStatement.of("SELECT 1;").flinkText()).isEqualTo("SELECT 1");
        assertThat(SqlStatement.of("SELECT 1 ; -- done\n;").flinkText()).isEqualTo("SELECT 1");
        assertThat(SqlStatement.of("SELECT ';' AS s").flinkText()).isEqualTo("SELECT ';' AS s");
        assertThatThrownBy(() -> SqlStatement.of("SELECT 1; DROP TABLE vigil.alerts"))
                .hasMessageContaining("one statement at a time");
        assertThatThrownBy(() -> SqlStatement.of("  -- nothing\n")).hasMessageContaining("no statement");
    }

    @Test
    void keywordsInStringsAndCommentsDoNotCount() throws QueryException {
        assertThat(SqlStatement.of("/* DROP */ SELECT 'DROP TABLE x; DELETE' AS s -- ; DROP\n").flinkText())
                .isEqualTo("/* DROP */ SELECT 'DROP TABLE x; DELETE' AS s -- ; DROP");
        assertThat(SqlStatement.of("SELECT 'it''s; fine' AS s").flinkText()).isEqualTo("SELECT 'it''s; fine' AS s");
    }

    @Test
    void quotesNamesAsFlinkDoes() throws QueryException {
        assertThat(SqlStatement.of("SELECT * FROM vigil.pipeline_runs$snapshots").flinkText())
                .isEqualTo("SELECT * FROM vigil.`pipeline_runs$snapshots`");
        // Athena's (Trino's) quoting
        assertThat(SqlStatement.of("SELECT \"day\" FROM \"vigil\".\"alerts$files\"").flinkText())
                .isEqualTo("SELECT `day` FROM `vigil`.`alerts$files`");
        assertThat(SqlStatement.of("SELECT 'a$b', `x$y` FROM t").flinkText()).isEqualTo("SELECT 'a$b', `x$y` FROM t");
    }
}
