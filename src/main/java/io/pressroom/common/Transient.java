package io.pressroom.common;

import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Whether a failure says a dependency is away (and waiting helps) rather than that the work itself is wrong: a
 * refused, reset, closed or timed-out connection, or PostgreSQL saying it is starting, stopping, out of resources or that
 * two transactions collided.
 */
public final class Transient {

    /** SQLSTATE classes and codes worth waiting for (connection, resources, operator, lock and serialization). */
    private static final Set<String> CLASSES = Set.of("08", "53", "57");
    private static final Set<String> CODES = Set.of("40001", "40P01", "55P03");

    /** The code of a 503 while a dependency is away. */
    public static final String DEPENDENCY_UNAVAILABLE = "dependency_unavailable";

    private Transient() {
    }

    /**
     * {@code work}, failed with {@link Refusal.Unavailable} ({@code dependency_unavailable}, a 503 with
     * {@code Retry-After}) when it has not finished within {@code timeout}, or failed for a transient reason.
     */
    public static <T> Uni<T> bounded(Uni<T> work, Duration timeout, String dependency) {
        return work.ifNoItem().after(timeout).failWith(() -> unavailable(dependency + " did not answer within "
                + timeout.toMillis() + " ms"))
                .onFailure(failure -> !(failure instanceof Refusal) && is(failure))
                .transform(failure -> unavailable(dependency + " is not available"));
    }

    public static Refusal.Unavailable unavailable(String detail) {
        return new Refusal.Unavailable(DEPENDENCY_UNAVAILABLE, detail + "; try again shortly");
    }

    public static boolean is(Throwable failure) {
        return Causes.of(failure).anyMatch(Transient::passing);
    }

    private static boolean passing(Throwable cause) {
        // SocketException: refused (ConnectException) and reset, e.g. PostgreSQL killed mid-transaction
        if (cause instanceof SocketException || cause instanceof TimeoutException
                || cause instanceof io.smallrye.mutiny.TimeoutException
                || cause instanceof ClosedConnectionException
                || cause instanceof io.netty.channel.ConnectTimeoutException) {
            return true;
        }
        String state = Db.sqlState(cause);
        if (state != null && state.length() >= 2
                && (CODES.contains(state) || CLASSES.contains(state.substring(0, 2)))) {
            return true;
        }
        // the pool's own "Timeout" when no connection frees up in time carries no type of its own
        return cause.getClass().getName().startsWith("io.vertx.core.impl.NoStackTrace")
                && String.valueOf(cause.getMessage()).contains("Timeout");
    }
}
