-- Writes Vigil's event table dataset_updates: one row per output dataset of a COMPLETE run.
INSERT INTO lake.vigil.dataset_updates
SELECT o.namespace, o.name, r.job_namespace, r.job_name, r.run_id, CAST(r.ts AS TIMESTAMP(6)), o.row_count, r.source
FROM runs AS r CROSS JOIN UNNEST(r.output_datasets) AS o (namespace, name, row_count)
WHERE r.event_type = 'COMPLETE';
