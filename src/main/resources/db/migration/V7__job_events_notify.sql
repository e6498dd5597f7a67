-- Every timeline event tells every API pod's JobWatcher, at commit, that its job changed (LISTEN pressroom_jobs,
-- payload: the job id). One trigger instead of a pg_notify beside each writer of job_events: whatever appends to a
-- timeline wakes the waiters. PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION notify_job_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pressroom_jobs', NEW.job_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER job_events_notify AFTER INSERT ON job_events
    FOR EACH ROW EXECUTE FUNCTION notify_job_changed();
