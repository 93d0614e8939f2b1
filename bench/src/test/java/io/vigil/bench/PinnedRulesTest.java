package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.RuleSet;
import org.junit.jupiter.api.Test;

/** The bench judges by its own pinned rules, the ones its SQL peer expresses, whatever conf/rules.yaml holds. */
class PinnedRulesTest {
    @Test
    void thePinnedRulesAreTheSqlPeersSeventeen() throws Exception {
        RuleSet pinned = Pipelines.rules();
        assertThat(pinned.rules).extracting(r -> r.id).containsExactlyElementsOf(SqlPeer.RULES);
        assertThat(pinned.rule("kpi_par_90").critical).isEqualTo(5);
        assertThat(pinned.rule("auth_bruteforce").pattern).isNotNull();
    }
}
