-- The list benchmark: one project with 1,000,000 jobs, then EXPLAIN ANALYZE of the list queries.
--   psql -h 127.0.0.1 -p 55432 -U postgres -v project=prj_… -f deploy/bench/list-million.sql
-- (the local run's database; take a project id from `select project_id from api_keys`). Then time the API:
--   curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $PRESSROOM_TOKEN" \
--     "$PRESSROOM_API/v1/render-jobs?limit=20&status=failed"
INSERT INTO render_jobs (id, project_id, status, inline_html, file_name, business_key, requested_at)
SELECT 'rj_00' || lpad(i::text, 24, '0'), :'project',
       (ARRAY['succeeded', 'failed', 'queued', 'cancelled'])[1 + i % 4], '<p>x</p>', 'x', 'bk-' || (i % 1000),
       now() - (1000000 - i) * interval '1 second'
FROM generate_series(1, 1000000) i;
ANALYZE render_jobs;
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM render_jobs WHERE project_id = :'project' ORDER BY id DESC LIMIT 21;
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM render_jobs WHERE project_id = :'project' AND status = 'failed'
    AND id < 'rj_000000000000000000000500000' ORDER BY id DESC LIMIT 21;
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM render_jobs WHERE project_id = :'project' AND business_key = 'bk-7'
    ORDER BY id DESC LIMIT 21;
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM render_jobs WHERE project_id = :'project' AND acknowledged = true
    ORDER BY id DESC LIMIT 21;
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM render_jobs WHERE project_id = :'project' AND queue = 'priority'
    ORDER BY id DESC LIMIT 21;
