package io.pressroom.common;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;
import io.vertx.core.http.HttpClosedException;

/**
 * Keeps three ERRORs with stack traces out of the console that report nothing an operator can act on, each matched
 * narrowly so that the same message with any other cause is still printed. Set on the console handler
 * ({@code quarkus.log.console.filter}).
 * <ul>
 * <li>RESTEasy's {@code Exception in SSE server handling, impossible to send it to client} when a streamed response's
 * client has gone: a download its client abandoned, or one Pressroom cut off because its client stopped reading
 * ({@code DownloadSlots}), fails its write on a closed or reset connection. That is routine. With another cause (a
 * storage read failing halfway through a download) it is kept.</li>
 * <li>Vert.x's {@code Uncaught exception … IllegalStateException: Result is already complete} from the SQL client's
 * pool: while PostgreSQL is away, each query that failed to get a connection has the pool's connection-timeout timer
 * fail it a second time when it fires (eclipse-vertx/vertx-sql-client#1706, open; in 4.5.24). The query itself already
 * failed, with its real cause, to its caller, which logs or answers it; the second failure is lost either way. During
 * an outage it printed one stack trace per failed query (218 in four minutes on the local run).</li>
 * <li>Mutiny's {@code Mutiny had to drop the following exception} with what a database call throws when it ends after
 * the request gave up on it ({@link RequestDeadline}: the client already has its 503): closing the call's session
 * rolls back its transaction ({@code HR000090: Live transaction detected while closing the connection}), a late result
 * or the call's next step finds that session closed or gone, or the statement itself fails for a transient reason
 * (PostgreSQL's statement timeout). Nothing awaits that failure, and the rollback is what the 503 promised. While
 * PostgreSQL stalls it printed about one stack trace per refused request (10 for 21 refusals in a 20 s freeze on the
 * local run). Any other dropped exception is kept.</li>
 * </ul>
 */
@LoggingFilter(name = "harmless-errors")
public final class HarmlessErrorsFilter implements Filter {

    static final String STREAMING_HANDLER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";
    static final String VERTX_UNCAUGHT = "io.quarkus.vertx.core.runtime.VertxCoreRecorder";
    static final String SQL_POOL = "io.vertx.sqlclient.impl.pool.SqlConnectionPool";
    static final String MUTINY_DROPPED = "io.quarkus.mutiny.runtime.MutinyInfrastructure";

    /** How Hibernate Reactive and Panache begin what a database call cancelled at its deadline throws afterwards. */
    private static final List<String> AFTER_CANCELLED_CALL = List.of("HR000090", "Session/EntityManager is closed",
            "No current Mutiny.Session found");

    /** What Linux's and Netty's native transport say of a connection the other end reset or closed. */
    private static final Set<String> GONE = Set.of("Connection reset by peer", "Broken pipe");

    @Override
    public boolean isLoggable(LogRecord record) {
        String logger = record.getLoggerName();
        Throwable thrown = record.getThrown();
        return !(STREAMING_HANDLER.equals(logger) && clientGone(thrown)
                || VERTX_UNCAUGHT.equals(logger) && poolTimerAfterFailure(thrown)
                || MUTINY_DROPPED.equals(logger) && afterCancelledDatabaseCall(thrown));
    }

    static boolean clientGone(Throwable failure) {
        return failure != null && Causes.of(failure).anyMatch(cause -> cause instanceof ClosedChannelException
                || cause instanceof HttpClosedException
                || cause instanceof IOException && cause.getMessage() != null
                        && GONE.stream().anyMatch(cause.getMessage()::contains));
    }

    /** The pool's timer failing a query's promise that its failed connection attempt already completed. */
    static boolean poolTimerAfterFailure(Throwable failure) {
        return failure instanceof IllegalStateException && "Result is already complete".equals(failure.getMessage())
                && Arrays.stream(failure.getStackTrace()).limit(3)
                        .anyMatch(frame -> SQL_POOL.equals(frame.getClassName()));
    }

    /** What a database call the request stopped waiting for throws when it ends. */
    static boolean afterCancelledDatabaseCall(Throwable failure) {
        if (failure == null) {
            return false;
        }
        String message = failure.getMessage();
        return failure instanceof IllegalStateException && message != null
                && AFTER_CANCELLED_CALL.stream().anyMatch(message::startsWith)
                || Transient.is(failure);
    }
}
