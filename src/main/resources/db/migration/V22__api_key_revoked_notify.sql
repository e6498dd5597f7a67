-- API pods keep the keys they found active for a short while (pressroom.http.key-cache-ttl) instead of looking every
-- request's key up. A key that stops being active (revoked, or deleted with its project) is told to every pod on
-- pressroom_api_keys (payload: its hash) at commit, however it was changed: through the API or by hand in SQL.
CREATE FUNCTION notify_api_key_inactive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pressroom_api_keys', OLD.key_hash);
    RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_inactive
    AFTER UPDATE OR DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION notify_api_key_inactive();
