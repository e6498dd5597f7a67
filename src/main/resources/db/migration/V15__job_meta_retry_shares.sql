-- Issue 15: the client's own JSON object carried with a job (meta), the job a retry was made from (retry_of),
-- and revocable share links of a succeeded job's PDF.
ALTER TABLE render_jobs
    ADD COLUMN meta     jsonb,
    ADD COLUMN retry_of text REFERENCES render_jobs (id) ON DELETE SET NULL;

CREATE TABLE job_shares (
    id          text        PRIMARY KEY,
    job_id      text        NOT NULL REFERENCES render_jobs (id) ON DELETE CASCADE,
    project_id  text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX job_shares_job ON job_shares (job_id, id);
