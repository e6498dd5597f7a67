-- Pressroom's foundation schema. Ids are prefixed ULIDs (text), timestamps are timestamptz (the API speaks epoch ms).

CREATE TABLE projects (
    id          text        PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a key is stored; the plain key is shown once.
CREATE TABLE api_keys (
    id          text        PRIMARY KEY,
    project_id  text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        text,
    key_hash    text        NOT NULL UNIQUE,
    key_hint    text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_project ON api_keys (project_id);

CREATE TABLE deploys (
    id                 text        PRIMARY KEY,
    project_id         text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name               text        NOT NULL,
    slug               text        NOT NULL,
    latest_version_id  text,
    version_count      integer     NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deploys_slug_unique UNIQUE (project_id, slug)
);
-- list newest first per project (ids are time-ordered)
CREATE INDEX deploys_project_id ON deploys (project_id, id DESC);

-- Immutable uploads of a deploy; the bundle lives in object storage under storage_prefix.
CREATE TABLE deploy_versions (
    id              text        PRIMARY KEY,
    deploy_id       text        NOT NULL REFERENCES deploys (id) ON DELETE CASCADE,
    project_id      text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    number          integer     NOT NULL CHECK (number > 0),
    sha256          text        NOT NULL,
    bytes           bigint      NOT NULL CHECK (bytes >= 0),
    storage_prefix  text        NOT NULL,
    manifest        jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deploy_versions_number_unique UNIQUE (deploy_id, number)
);
CREATE INDEX deploy_versions_deploy ON deploy_versions (deploy_id, number DESC);

ALTER TABLE deploys
    ADD CONSTRAINT deploys_latest_version FOREIGN KEY (latest_version_id) REFERENCES deploy_versions (id);

CREATE TABLE render_jobs (
    id                  text        PRIMARY KEY,
    project_id          text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    deploy_id           text        REFERENCES deploys (id),
    deploy_version_id   text        REFERENCES deploy_versions (id),
    business_key        text,
    queue               text        NOT NULL DEFAULT 'default',
    status              text        NOT NULL
        CHECK (status IN ('queued', 'rendering', 'retry_scheduled', 'succeeded', 'failed', 'cancelled')),
    attempt             integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    max_attempts        integer     NOT NULL DEFAULT 3 CHECK (max_attempts > 0),
    output_mode         text        NOT NULL DEFAULT 'managed' CHECK (output_mode IN ('managed', 'transient')),
    formats             text[]      NOT NULL DEFAULT ARRAY['pdf'],
    options             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- inline payload, or a claim check (payload_ref) in object storage for large ones; both purged when terminal
    payload             jsonb,
    payload_ref         text,
    inline_html         text,
    webhook_url         text,
    source_type         text,
    source_id           text,
    acknowledged        boolean     NOT NULL DEFAULT false,
    requested_at        timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    finished_at         timestamptz,
    next_attempt_at     timestamptz,
    deadline_at         timestamptz,
    error_code          text,
    error_message       text,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
-- Listing: newest first per project, optionally filtered; ids are time-ordered so (project_id, id DESC) is the
-- cursor order. Partial/compound indexes serve the common filters without scanning the project.
CREATE INDEX render_jobs_project_id ON render_jobs (project_id, id DESC);
CREATE INDEX render_jobs_project_status ON render_jobs (project_id, status, id DESC);
CREATE INDEX render_jobs_project_deploy ON render_jobs (project_id, deploy_id, id DESC);
CREATE INDEX render_jobs_project_business_key ON render_jobs (project_id, business_key, id DESC)
    WHERE business_key IS NOT NULL;
CREATE INDEX render_jobs_project_source ON render_jobs (project_id, source_type, source_id, id DESC)
    WHERE source_type IS NOT NULL;
-- the reaper and the retry scheduler look only at live jobs
CREATE INDEX render_jobs_live ON render_jobs (status, deadline_at)
    WHERE status IN ('queued', 'rendering', 'retry_scheduled');

-- The timeline of a job.
CREATE TABLE job_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      text        NOT NULL REFERENCES render_jobs (id) ON DELETE CASCADE,
    type        text        NOT NULL,
    attempt     integer     NOT NULL DEFAULT 0,
    details     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_events_job ON job_events (job_id, id);

-- Transactional outbox: written in the same transaction as the state change, published by the relay.
CREATE TABLE outbox (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic         text        NOT NULL,
    message_key   text        NOT NULL,
    payload       jsonb       NOT NULL,
    headers       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    available_at  timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz,
    attempts      integer     NOT NULL DEFAULT 0
);
-- the relay reads only what is unsent, oldest first
CREATE INDEX outbox_unsent ON outbox (available_at, id) WHERE sent_at IS NULL;

-- Idempotency-Key records, unique per project + key: the constraint (not a read-then-write) makes two concurrent
-- requests with one key create one job.
CREATE TABLE idempotency_records (
    project_id      text        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    idempotency_key text        NOT NULL,
    request_hash    text        NOT NULL,
    job_id          text        REFERENCES render_jobs (id) ON DELETE CASCADE,
    response_status integer,
    response_body   jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (project_id, idempotency_key)
);
CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);
