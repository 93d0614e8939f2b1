-- Writes Vigil's event table pipeline_runs: one row per finished run (COMPLETE, FAIL, ABORT), with
-- the start time of the run's START event.
-- How: each finish left-joined to its run's START at most 2 days before it (an interval join, the
-- retention of Vigil's run state) or 5 minutes after it (the producers' clocks differ: Vigil takes
-- a START that arrives before the watermark passes the finish, whatever its time, and keeps it
-- without a duration); a finish without a START is written without a start once the watermark
-- passes it by those 5 minutes.
-- Does NOT do what Vigil does: a repeated finish of a run is written again, and a run with two
-- STARTs gives two rows (Vigil writes a run once, with its earliest start).
INSERT INTO lake.vigil.pipeline_runs
SELECT f.job_namespace, f.job_name, f.run_id, f.event_type,
       CAST(s.ts AS TIMESTAMP(6)), CAST(f.ts AS TIMESTAMP(6)),
       CASE WHEN s.event_ms <= f.event_ms THEN f.event_ms - s.event_ms END,
       f.error_message, f.output_rows, f.source,
       f.parent_run_id, f.parent_job_namespace, f.parent_job_name, f.job_type, f.processing_type, f.integration,
       CAST(TO_TIMESTAMP_LTZ(f.nominal_start_ms, 3) AS TIMESTAMP(6)),
       CAST(TO_TIMESTAMP_LTZ(f.nominal_end_ms, 3) AS TIMESTAMP(6))
FROM (SELECT * FROM runs WHERE event_type IN ('COMPLETE', 'FAIL', 'ABORT')) AS f
LEFT JOIN (SELECT run_id, event_ms, ts FROM runs WHERE event_type = 'START') AS s
  ON f.run_id = s.run_id AND s.ts BETWEEN f.ts - INTERVAL '2' DAY AND f.ts + INTERVAL '5' MINUTE;
