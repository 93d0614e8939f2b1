-- Mirrors Vigil rule job_flapping (a sequence rule, CEP in Vigil): four outcome changes among five
-- consecutive finished runs (FAIL or COMPLETE) of a job within 2h; warning.
-- How: MATCH_RECOGNIZE over the job's finished runs: a first run, then four each differing from
-- the one before (a logical offset, LAST(X.event_type, 1): Flink does not support PREV here).
-- Does NOT do what Vigil does: no resolution (Vigil resolves 2h after the last match), no
-- repeats, silences or inhibit rules.
SELECT *
FROM (SELECT job, event_type, ts FROM runs WHERE event_type IN ('FAIL', 'COMPLETE'))
MATCH_RECOGNIZE (
  PARTITION BY job
  ORDER BY ts
  MEASURES FIRST(A.ts) AS first_run, LAST(X.ts) AS last_run, FIRST(A.event_type) AS first_outcome
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (A X{4}) WITHIN INTERVAL '2' HOUR
  DEFINE X AS (LAST(X.event_type, 1) IS NULL AND X.event_type <> A.event_type)
    OR X.event_type <> LAST(X.event_type, 1)
);
