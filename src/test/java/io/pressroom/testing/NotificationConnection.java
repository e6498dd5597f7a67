package io.pressroom.testing;

import io.pressroom.common.Notifications;

/** This test pod's PostgreSQL LISTEN connection ({@link io.pressroom.common.Notifications}). */
public final class NotificationConnection {

    /** Its row in pg_stat_activity. */
    private static final String ITS_ROW = " FROM pg_stat_activity WHERE datname = current_database()"
            + " AND application_name = '" + Notifications.APPLICATION_NAME + "'";

    /**
     * Ends the connection (the pod reconnects with backoff). Run in the transaction whose notification must go unheard:
     * PostgreSQL sends it at commit, when the pod no longer listens.
     */
    public static final String DROP = "SELECT pg_terminate_backend(pid)" + ITS_ROW;

    /** The server process of the connection (one per pod: the tests run one). */
    public static final String BACKEND = "SELECT pid" + ITS_ROW;

    private NotificationConnection() {
    }
}
