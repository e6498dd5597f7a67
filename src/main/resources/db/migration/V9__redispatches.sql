-- How many times the reaper sent a job's current attempt again because its command was consumed and lost; capped
-- (pressroom.jobs.max-redispatches), then the job fails instead of being re-sent forever.
ALTER TABLE render_jobs ADD COLUMN redispatches integer NOT NULL DEFAULT 0;
