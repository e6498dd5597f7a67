-- Webhooks (SPEC §2): project endpoints, the per-job webhook secret, and the deliveries written in the same
-- transaction as a job's terminal state. Secrets are stored as they are, not hashed: the API signs with them.

CREATE TABLE webhook_endpoints (
    id          text        PRIMARY KEY,
    project_id  text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    url         text        NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
    events      text[]      NOT NULL,
    secret      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_project ON webhook_endpoints (project_id, id);

-- Signs the deliveries to a job's own webhookUrl; made on first use.
ALTER TABLE projects ADD COLUMN job_webhook_secret text;

-- One message to one URL. The id is the webhook-id header, the same on every try; body is the exact JSON signed
-- and sent. A row is due while next_attempt_at is set; a sender claims it by moving next_attempt_at past its
-- timeout (a lease), so a crash mid-delivery leads to another try.
CREATE TABLE webhook_deliveries (
    id               text        PRIMARY KEY,
    job_id           text        NOT NULL REFERENCES render_jobs (id) ON DELETE CASCADE,
    project_id       text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    endpoint_id      text        REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    url              text        NOT NULL,
    event_type       text        NOT NULL,
    body             text        NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_status      integer,
    last_error       text,
    delivered_at     timestamptz,
    abandoned_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (job_id);
