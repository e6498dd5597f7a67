-- The attempt number of the newest render command sent for a job: events of any other attempt are stale.
ALTER TABLE render_jobs ADD COLUMN dispatched_attempt integer NOT NULL DEFAULT 1 CHECK (dispatched_attempt >= 1);
ALTER TABLE render_jobs ADD COLUMN file_name text NOT NULL DEFAULT 'document';

-- What a succeeded job produced. One PDF per job (unique job_id, format), deleted or expired by state, never by row.
CREATE TABLE render_outputs (
    id            text        PRIMARY KEY,
    pdf_id        text        NOT NULL UNIQUE,
    job_id        text        NOT NULL REFERENCES render_jobs (id) ON DELETE CASCADE,
    project_id    text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    attempt       integer     NOT NULL,
    format        text        NOT NULL DEFAULT 'pdf',
    storage_key   text        NOT NULL,
    file_name     text        NOT NULL,
    content_type  text        NOT NULL,
    bytes         bigint      NOT NULL,
    page_count    integer,
    sha256        text        NOT NULL,
    state         text        NOT NULL DEFAULT 'available' CHECK (state IN ('available', 'deleted', 'expired')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    deleted_at    timestamptz,
    CONSTRAINT render_outputs_one_per_format UNIQUE (job_id, format)
);
CREATE INDEX render_outputs_expiring ON render_outputs (expires_at) WHERE state = 'available' AND expires_at IS NOT NULL;
