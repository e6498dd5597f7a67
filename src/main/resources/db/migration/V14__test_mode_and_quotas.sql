-- Test mode (issue 14): a test job renders with a TEST watermark and counts in no usage or quota figure.
ALTER TABLE render_jobs ADD COLUMN test boolean NOT NULL DEFAULT false;
-- The list filter test=true|false, and the usage and quota sums over a project's jobs of a period (ids start with
-- their creation time, so a period is an id range).
-- The hidden test copy an estimate renders (POST /v1/render-jobs/estimate): in no list, usage figure or webhook.
ALTER TABLE render_jobs ADD COLUMN estimate boolean NOT NULL DEFAULT false;
CREATE INDEX render_jobs_project_test ON render_jobs (project_id, test, id DESC);

-- A project's monthly page quota, set by the admin; null: no quota.
ALTER TABLE projects ADD COLUMN monthly_page_quota integer CHECK (monthly_page_quota >= 0);
