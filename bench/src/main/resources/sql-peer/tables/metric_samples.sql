-- Writes Vigil's event table metric_samples: every valid metric sample.
INSERT INTO lake.vigil.metric_samples
SELECT name, metric_value, CAST(ts AS TIMESTAMP(6)), labels, source
FROM metrics;
