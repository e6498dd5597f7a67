package io.pressroom.common;

import java.sql.SQLException;

import io.vertx.pgclient.PgException;

/** What PostgreSQL said, for the few errors the API turns into answers. */
public final class Db {

    private static final String UNIQUE_VIOLATION = "23505";

    private Db() {
    }

    /**
     * Whether {@code failure} (or a cause) is a violation of the named unique constraint. Hibernate Reactive reports
     * it as an {@link SQLException} cause, the bare client as a {@link PgException}.
     */
    public static boolean isUniqueViolation(Throwable failure, String constraint) {
        return Causes.of(failure).filter(Db::isUniqueViolation).findFirst()
                .map(violation -> violation instanceof PgException pg
                        ? constraint.equals(pg.getConstraint()) || mentions(pg.getErrorMessage(), constraint)
                        : mentions(violation.getMessage(), "\"" + constraint + "\""))
                .orElse(false);
    }

    /** A unique violation as the bare client ({@link PgException}) or Hibernate Reactive ({@link SQLException}) tells it. */
    private static boolean isUniqueViolation(Throwable failure) {
        return UNIQUE_VIOLATION.equals(sqlState(failure))
                || failure instanceof SQLException sql && mentions(sql.getMessage(), "(" + UNIQUE_VIOLATION + ")");
    }

    /**
     * The SQLSTATE PostgreSQL gave for this one failure (not its causes), or null: Hibernate Reactive reports it as an
     * {@link SQLException}, the bare client as a {@link PgException}.
     */
    public static String sqlState(Throwable failure) {
        if (failure instanceof PgException pg) {
            return pg.getSqlState();
        }
        return failure instanceof SQLException sql ? sql.getSQLState() : null;
    }

    /**
     * Whether PostgreSQL refused a text for a NUL character in it: {@code 22P05} (its JSON escape in a {@code jsonb}
     * value) or {@code 22021} (a NUL byte in a {@code text} value).
     */
    public static boolean refusedNul(Throwable failure) {
        return Causes.of(failure).map(Db::sqlState).anyMatch(state -> "22P05".equals(state) || "22021".equals(state));
    }

    private static boolean mentions(String message, String text) {
        return message != null && message.contains(text);
    }
}
