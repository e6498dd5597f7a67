-- The retention sweeps (io.pressroom.retention) find what they delete through these indexes, so a sweep that finds
-- nothing to delete stays cheap however large a table grows. (Sent outbox rows need none: once swept, the outbox
-- holds about an hour of messages.)

-- Timeline events older than pressroom.retention.timeline-age (of jobs that ended before it).
CREATE INDEX job_events_at ON job_events (at);

-- Webhook deliveries by when they finished (delivered or abandoned); rows still being tried are not in it.
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries ((COALESCE(delivered_at, abandoned_at)))
    WHERE delivered_at IS NOT NULL OR abandoned_at IS NOT NULL;
