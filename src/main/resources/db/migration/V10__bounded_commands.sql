-- An outbox row Kafka will never take (too large for the broker, an unknown topic, …) is set aside instead of being
-- retried at the head of the outbox forever: dead_at says when, last_error why; the relay reads only rows that are
-- neither sent nor dead. A row that failed for a passing reason waits (available_at moves on) and keeps last_error.
ALTER TABLE outbox ADD COLUMN dead_at timestamptz, ADD COLUMN last_error text;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (available_at, id) WHERE sent_at IS NULL AND dead_at IS NULL;

-- Inline html larger than pressroom.jobs.inline-html-max-bytes is stored in object storage (payloads/{jobId}.html)
-- like a large payload, so the render command stays small; purged with the payload when the job ends.
ALTER TABLE render_jobs ADD COLUMN html_ref text;
