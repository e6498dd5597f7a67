package io.pressroom.common;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;
import io.vertx.core.http.HttpClosedException;

/**
 * Keeps two ERRORs with stack traces out of the console that report nothing an operator can act on, each matched
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
 * </ul>
 */
@LoggingFilter(name = "harmless-errors")
public final class HarmlessErrorsFilter implements Filter {

    static final String STREAMING_HANDLER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";
    static final String VERTX_UNCAUGHT = "io.quarkus.vertx.core.runtime.VertxCoreRecorder";
    static final String SQL_POOL = "io.vertx.sqlclient.impl.pool.SqlConnectionPool";

    /** What Linux's and Netty's native transport say of a connection the other end reset or closed. */
    private static final Set<String> GONE = Set.of("Connection reset by peer", "Broken pipe");

    @Override
    public boolean isLoggable(LogRecord record) {
        String logger = record.getLoggerName();
        Throwable thrown = record.getThrown();
        return !(STREAMING_HANDLER.equals(logger) && clientGone(thrown)
                || VERTX_UNCAUGHT.equals(logger) && poolTimerAfterFailure(thrown));
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
}
