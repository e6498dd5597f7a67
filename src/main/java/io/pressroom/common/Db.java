package io.pressroom.common;

import io.vertx.pgclient.PgException;

/** What PostgreSQL said, for the few errors the API turns into answers. */
public final class Db {

    private static final String UNIQUE_VIOLATION = "23505";

    private Db() {
    }

    /** Whether {@code failure} (or a cause) is a violation of the named unique constraint. */
    public static boolean isUniqueViolation(Throwable failure, String constraint) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return constraint.equals(pg.getConstraint())
                        || (pg.getErrorMessage() != null && pg.getErrorMessage().contains(constraint));
            }
        }
        return false;
    }
}
