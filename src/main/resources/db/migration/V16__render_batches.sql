-- Issue 15, point 4: batches. One job per item through the normal pipeline, linked by batch_id (and its place in
-- the batch, batch_index); the batch counts its items as they end (in each item's terminal transaction), and once
-- all have ended it is assembled (merged PDF, zip) by whichever API pod claims it: assembly_lease_until is the
-- claim, so a pod that dies mid-assembly leaves the batch to another once the lease ends.
CREATE TABLE render_batches (
    id                    text        PRIMARY KEY,
    project_id            text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    deploy_id             text        NOT NULL,
    deploy_version_id     text        NOT NULL,
    status                text        NOT NULL
        CHECK (status IN ('running', 'assembling', 'succeeded', 'failed', 'cancelled')),
    item_count            integer     NOT NULL CHECK (item_count BETWEEN 1 AND 1000),
    succeeded_count       integer     NOT NULL DEFAULT 0,
    failed_count          integer     NOT NULL DEFAULT 0,
    cancelled_count       integer     NOT NULL DEFAULT 0,
    merge                 boolean     NOT NULL DEFAULT false,
    zip                   boolean     NOT NULL DEFAULT false,
    test                  boolean     NOT NULL DEFAULT false,
    webhook_url           text,
    cancel_requested      boolean     NOT NULL DEFAULT false,
    assembly_attempts     integer     NOT NULL DEFAULT 0,
    assembly_lease_until  timestamptz,
    error_code            text,
    error_message         text,
    created_at            timestamptz NOT NULL,
    finished_at           timestamptz,
    updated_at            timestamptz NOT NULL
);
CREATE INDEX render_batches_project ON render_batches (project_id, id DESC);
CREATE INDEX render_batches_assembling ON render_batches (assembly_lease_until) WHERE status = 'assembling';

ALTER TABLE render_jobs
    ADD COLUMN batch_id    text REFERENCES render_batches (id) ON DELETE SET NULL,
    ADD COLUMN batch_index integer;
CREATE UNIQUE INDEX render_jobs_batch ON render_jobs (batch_id, batch_index) WHERE batch_id IS NOT NULL;

-- What an assembly produced: the merged PDF and the zip, served through the same signed links as a job's PDF.
CREATE TABLE batch_outputs (
    id            text        PRIMARY KEY,
    batch_id      text        NOT NULL REFERENCES render_batches (id) ON DELETE CASCADE,
    project_id    text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind          text        NOT NULL CHECK (kind IN ('merged', 'zip')),
    storage_key   text        NOT NULL,
    file_name     text        NOT NULL,
    content_type  text        NOT NULL,
    bytes         bigint      NOT NULL,
    page_count    integer,
    sha256        text        NOT NULL,
    state         text        NOT NULL DEFAULT 'available' CHECK (state IN ('available', 'deleted')),
    created_at    timestamptz NOT NULL,
    CONSTRAINT batch_outputs_one_per_kind UNIQUE (batch_id, kind)
);

-- A batch's own webhooks (batch.succeeded, batch.failed) belong to the batch, not to a job.
ALTER TABLE webhook_deliveries
    ALTER COLUMN job_id DROP NOT NULL,
    ADD COLUMN batch_id text REFERENCES render_batches (id) ON DELETE CASCADE,
    ADD CONSTRAINT webhook_deliveries_owner CHECK (job_id IS NOT NULL OR batch_id IS NOT NULL);
