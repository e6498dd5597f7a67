-- The project-wide secret of per-job webhooks rotates like an endpoint's (V11): the previous secret still signs,
-- next to the new one, until job_webhook_previous_secret_until.
ALTER TABLE projects
    ADD COLUMN job_webhook_previous_secret       text,
    ADD COLUMN job_webhook_previous_secret_until timestamptz;
