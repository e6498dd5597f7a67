-- Fair dispatch (OutboxRelay): a job's render command carries its project, and the relay lets those out project by
-- project, as render slots free up, instead of oldest first. Every other message (cancels, template previews,
-- commands written before this migration) still goes out at once, through an index of its own, so a long backlog of
-- held commands costs the relay nothing when it looks for them.
ALTER TABLE outbox ADD COLUMN project_id text;
CREATE INDEX outbox_unsent_direct ON outbox (available_at, id)
    WHERE sent_at IS NULL AND dead_at IS NULL AND project_id IS NULL;
CREATE INDEX outbox_unsent_commands ON outbox (project_id, id)
    WHERE sent_at IS NULL AND dead_at IS NULL AND project_id IS NOT NULL;
