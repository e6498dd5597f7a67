package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpClosedException;

class HarmlessErrorsFilterTest {

    private final HarmlessErrorsFilter filter = new HarmlessErrorsFilter();

    @Test
    void aStreamedResponsesWriteToAClientThatWentAwayIsNotLogged() {
        assertThat(filter.isLoggable(streaming(new ClosedChannelException()))).isFalse();
        assertThat(filter.isLoggable(streaming(new CompletionException(
                new IOException("recvAddress(..) failed with error(-104): Connection reset by peer"))))).isFalse();
        assertThat(filter.isLoggable(streaming(new IOException("writev(..) failed: Broken pipe")))).isFalse();
        assertThat(filter.isLoggable(streaming(new HttpClosedException("Connection was closed")))).isFalse();
    }

    @Test
    void anyOtherFailureOfAStreamedResponseIsLogged() {
        assertThat(filter.isLoggable(streaming(new IOException("Unable to execute HTTP request: Read timed out"))))
                .isTrue();
        assertThat(filter.isLoggable(streaming(new IllegalStateException("storage said 500")))).isTrue();
        assertThat(filter.isLoggable(streaming(null))).isTrue();
    }

    @Test
    void aClosedConnectionLoggedByAnyoneElseIsLogged() {
        LogRecord record = new LogRecord(Level.SEVERE, "the webhook's receiver went away");
        record.setLoggerName("io.pressroom.webhook.delivery.WebhookSender");
        record.setThrown(new ClosedChannelException());
        assertThat(filter.isLoggable(record)).isTrue();
    }

    @Test
    void theSqlPoolsSecondFailureOfAFailedQueryIsNotLogged() {
        // what Vert.x's uncaught-exception handler printed 218 times while PostgreSQL was away (vertx-sql-client#1706)
        IllegalStateException twice = new IllegalStateException("Result is already complete");
        twice.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 90),
                new StackTraceElement(HarmlessErrorsFilter.SQL_POOL, "lambda$execute$3", "SqlConnectionPool.java", 216),
                new StackTraceElement("io.vertx.core.impl.VertxImpl$InternalTimerHandler", "handle", "VertxImpl.java",
                        1100) });
        assertThat(filter.isLoggable(uncaught(twice))).isFalse();
    }

    @Test
    void anyOtherUncaughtVertxFailureIsLogged() {
        IllegalStateException elsewhere = new IllegalStateException("Result is already complete");
        elsewhere.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 90),
                new StackTraceElement("io.pressroom.job.service.JobWaits", "lambda$wait$1", "JobWaits.java", 60) });
        assertThat(filter.isLoggable(uncaught(elsewhere))).as("the same message from another place").isTrue();
        IllegalStateException other = new IllegalStateException("pool closed");
        other.setStackTrace(new StackTraceElement[] {
                new StackTraceElement(HarmlessErrorsFilter.SQL_POOL, "execute", "SqlConnectionPool.java", 200) });
        assertThat(filter.isLoggable(uncaught(other))).as("another failure of the pool").isTrue();
        assertThat(filter.isLoggable(uncaught(new NullPointerException()))).isTrue();
    }

    @Test
    void whatADatabaseCallThrowsAfterItsRequestGaveUpIsNotLogged() {
        // what Mutiny dropped while PostgreSQL was frozen: the cancelled call's rollback, its closed or gone session
        assertThat(filter.isLoggable(dropped(new IllegalStateException(
                "HR000090: Live transaction detected while closing the connection: it will be roll backed")))).isFalse();
        assertThat(filter.isLoggable(dropped(new IllegalStateException("Session/EntityManager is closed")))).isFalse();
        assertThat(filter.isLoggable(dropped(new IllegalStateException("No current Mutiny.Session found\n"
                + "\t- no reactive session was found in the Vert.x context")))).isFalse();
        assertThat(filter.isLoggable(dropped(new CompletionException(new java.util.concurrent.TimeoutException()))))
                .as("a transient failure").isFalse();
    }

    @Test
    void anyOtherDroppedExceptionIsLogged() {
        assertThat(filter.isLoggable(dropped(new IllegalStateException("Result is already complete")))).isTrue();
        assertThat(filter.isLoggable(dropped(new IllegalArgumentException("Session/EntityManager is closed"))))
                .as("another type with the same message").isTrue();
        assertThat(filter.isLoggable(dropped(new NullPointerException()))).isTrue();
        assertThat(filter.isLoggable(dropped(null))).isTrue();
        LogRecord elsewhere = new LogRecord(Level.SEVERE, "could not close");
        elsewhere.setLoggerName("io.pressroom.job.service.JobService");
        elsewhere.setThrown(new IllegalStateException("HR000090: Live transaction detected while closing"));
        assertThat(filter.isLoggable(elsewhere)).as("the same exception logged by anyone else").isTrue();
    }

    private static LogRecord dropped(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "Mutiny had to drop the following exception");
        record.setLoggerName(HarmlessErrorsFilter.MUTINY_DROPPED);
        record.setThrown(thrown);
        return record;
    }

    private static LogRecord uncaught(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "Uncaught exception received by Vert.x");
        record.setLoggerName(HarmlessErrorsFilter.VERTX_UNCAUGHT);
        record.setThrown(thrown);
        return record;
    }

    private static LogRecord streaming(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE,
                "Exception in SSE server handling, impossible to send it to client");
        record.setLoggerName(HarmlessErrorsFilter.STREAMING_HANDLER);
        record.setThrown(thrown);
        return record;
    }
}
