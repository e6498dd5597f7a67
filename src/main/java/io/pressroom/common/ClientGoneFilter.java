package io.pressroom.common;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;
import io.vertx.core.http.HttpClosedException;

/**
 * Keeps RESTEasy's ERROR for a streamed response whose client has gone out of the log ({@code Exception in SSE server
 * handling, impossible to send it to client}, with its stack trace): a download its client abandoned, or one Pressroom
 * cut off because its client stopped reading ({@code DownloadSlots}), fails its write on a closed or reset connection.
 * That is routine, and an error an operator can do nothing about. The same message with any other cause (a storage
 * read failing halfway through a download) is kept. Set on the console handler ({@code quarkus.log.console.filter}).
 */
@LoggingFilter(name = "client-gone")
public final class ClientGoneFilter implements Filter {

    static final String STREAMING_HANDLER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";

    /** What Linux's and Netty's native transport say of a connection the other end reset or closed. */
    private static final Set<String> GONE = Set.of("Connection reset by peer", "Broken pipe");

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(STREAMING_HANDLER.equals(record.getLoggerName()) && clientGone(record.getThrown()));
    }

    static boolean clientGone(Throwable failure) {
        return failure != null && Causes.of(failure).anyMatch(cause -> cause instanceof ClosedChannelException
                || cause instanceof HttpClosedException
                || cause instanceof IOException && cause.getMessage() != null
                        && GONE.stream().anyMatch(cause.getMessage()::contains));
    }
}
