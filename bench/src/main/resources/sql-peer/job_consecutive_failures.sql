-- Mirrors Vigil rule job_consecutive_failures (a sequence rule, CEP in Vigil): three FAIL runs of
-- a job in a row (no COMPLETE between them) within 24h; critical.
-- How: MATCH_RECOGNIZE over the job's finished runs (FAIL or COMPLETE: a START or ABORT between two
-- failures does not break the row), three consecutive FAIL rows.
-- Does NOT do what Vigil does: no resolution (Vigil resolves the alert at the job's next
-- COMPLETE), a fourth failure in a row is not part of the match and a sixth starts a new one
-- (Vigil keeps one firing alert); no repeats, silences or inhibit rules.
SELECT *
FROM (SELECT job, event_type, ts FROM runs WHERE event_type IN ('FAIL', 'COMPLETE'))
MATCH_RECOGNIZE (
  PARTITION BY job
  ORDER BY ts
  MEASURES FIRST(F.ts) AS first_failure, LAST(F.ts) AS last_failure, COUNT(F.event_type) AS failures
  ONE ROW PER MATCH
  AFTER MATCH SKIP PAST LAST ROW
  PATTERN (F{3}) WITHIN INTERVAL '24' HOUR
  DEFINE F AS F.event_type = 'FAIL'
);
