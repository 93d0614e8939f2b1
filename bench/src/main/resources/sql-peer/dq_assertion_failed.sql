-- Mirrors Vigil rule dq_assertion_failed: an OpenLineage dataQualityAssertions entry with
-- success: false (per dataset, assertion and column); warning.
-- How: the assertions of every run event unnested; each failed one is a row.
-- Does NOT do what Vigil does: every failing run is reported again (Vigil keeps one firing alert
-- per dataset, assertion and column, resolved when the assertion passes again); no repeats,
-- silences or inhibit rules.
SELECT a.dataset, a.assertion, a.column_name, r.job, r.run_id, r.ts
FROM runs AS r CROSS JOIN UNNEST(r.assertions) AS a (dataset, assertion, column_name, success)
WHERE a.success = FALSE;
