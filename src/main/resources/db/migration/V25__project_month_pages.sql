-- The monthly page quota's count, kept as jobs succeed: the pages of a project's succeeded normal jobs created in
-- each calendar month (UTC). Summing them over the month's jobs at every create read every job of the month: 190-220 ms
-- warm (896 ms cold) per create of a project with 300,000 jobs this month, in the create's transaction, growing
-- through the month; reading the count takes 0.35 ms.
-- A job's month is the month of its id (ids start with their creation time; JobUsage counts the month's jobs as an id
-- range), decoded here from the ULID's first ten characters, Crockford's base 32.
CREATE FUNCTION job_month(id text) RETURNS date LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT date_trunc('month', to_timestamp(sum(
               (strpos('0123456789abcdefghjkmnpqrstvwxyz', substr(lower(split_part(id, '_', 2)), i, 1)) - 1)::bigint
               << (5 * (10 - i))) / 1000.0) AT TIME ZONE 'UTC')::date
    FROM generate_series(1, 10) AS i
$$;

CREATE TABLE project_month_pages (
    project_id text    NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    month      date    NOT NULL,
    pages      bigint  NOT NULL,
    PRIMARY KEY (project_id, month)
);

-- A job's PDF output is attached in the transaction that makes it succeeded, and only then (JobTransitions).
CREATE FUNCTION count_month_pages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.format = 'pdf' AND NEW.page_count > 0 THEN
        INSERT INTO project_month_pages AS counted (project_id, month, pages)
        SELECT j.project_id, job_month(j.id), NEW.page_count FROM render_jobs j WHERE j.id = NEW.job_id AND NOT j.test
        ON CONFLICT (project_id, month) DO UPDATE SET pages = counted.pages + EXCLUDED.pages;
    END IF;
    RETURN NULL;
END
$$;

-- The trigger first: it waits for the transactions attaching outputs now, and holds the next ones until the count
-- below is committed, so that each output is counted once.
CREATE TRIGGER render_outputs_month_pages AFTER INSERT ON render_outputs
    FOR EACH ROW EXECUTE FUNCTION count_month_pages();

INSERT INTO project_month_pages (project_id, month, pages)
SELECT j.project_id, job_month(j.id), sum(o.page_count)
FROM render_jobs j JOIN render_outputs o ON o.job_id = j.id AND o.format = 'pdf'
WHERE j.status = 'succeeded' AND NOT j.test AND o.page_count > 0
GROUP BY j.project_id, job_month(j.id);
