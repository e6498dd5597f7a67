-- Filters on acknowledged and queue must not scan a large project (seen: 200 ms for acknowledged=true over 1M
-- jobs of which none matched, through the primary key); with these they are index range scans.
CREATE INDEX render_jobs_project_acknowledged ON render_jobs (project_id, acknowledged, id DESC);
CREATE INDEX render_jobs_project_queue ON render_jobs (project_id, queue, id DESC);
