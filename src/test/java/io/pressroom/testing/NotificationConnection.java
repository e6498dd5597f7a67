package io.pressroom.testing;

/** This test pod's PostgreSQL LISTEN connection ({@link io.pressroom.common.Notifications}). */
public final class NotificationConnection {

    /**
     * Ends the connection (the pod reconnects with backoff). Run in the transaction whose notification must go unheard:
     * PostgreSQL sends it at commit, when the pod no longer listens.
     */
    public static final String DROP = """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%LISTEN pressroom%'""";

    private NotificationConnection() {
    }
}
