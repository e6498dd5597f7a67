package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpClosedException;

class ClientGoneFilterTest {

    private final ClientGoneFilter filter = new ClientGoneFilter();

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

    private static LogRecord streaming(Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE,
                "Exception in SSE server handling, impossible to send it to client");
        record.setLoggerName(ClientGoneFilter.STREAMING_HANDLER);
        record.setThrown(thrown);
        return record;
    }
}
