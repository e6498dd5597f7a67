-- Webhook secret rotation (issue 11, 8d): an endpoint's previous secret still signs its webhooks, next to the new
-- one, until previous_secret_until. Secrets are written encrypted (v1:<keyId>:<base64>); rows written before as
-- plaintext still read, so none is rewritten here.
ALTER TABLE webhook_endpoints
    ADD COLUMN previous_secret       text,
    ADD COLUMN previous_secret_until timestamptz;
