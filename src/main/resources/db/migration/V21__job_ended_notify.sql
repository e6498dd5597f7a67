-- A job's end is also told on a channel of its own (pressroom_job_ended, payload: the job id), so that a sync wait
-- hears only of the end it waits for instead of looking at the job again at every event. pressroom_jobs goes on
-- carrying every event: live timelines need them, and so do the pods of an older version during a rolling upgrade.
-- A job ends only with its terminal event in the same transaction (JobTransitions), so the end is never missed.
CREATE OR REPLACE FUNCTION notify_job_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pressroom_jobs', NEW.job_id);
    IF NEW.type IN ('succeeded', 'failed', 'cancelled') THEN
        PERFORM pg_notify('pressroom_job_ended', NEW.job_id);
    END IF;
    RETURN NULL;
END
$$;
