-- The hidden test copies of estimates and template previews are deleted as soon as their answer is read; the
-- retention sweep deletes one left behind by an API pod that went away meanwhile (pressroom.retention.hidden-copy-age).
-- A partial index: the copies are few, and a sweep must not read every job to find them.
CREATE INDEX render_jobs_hidden_copies ON render_jobs (requested_at) WHERE estimate;
