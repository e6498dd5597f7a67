package io.pressroom.webhook.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;

/** The timeline shows a category, never the exception's text ("Connection refused: /10.0.3.7:5432"). */
class TryErrorsTest {

    @Test
    void failuresWithoutAnAnswerAreCoarseCategories() {
        assertThat(TryErrors.of(new ConnectException("Connection refused: /10.0.3.7:5432")))
                .isEqualTo("connection_refused");
        assertThat(TryErrors.of(new ConnectTimeoutException("connection timed out: /10.0.3.7:5432")))
                .isEqualTo("timeout");
        assertThat(TryErrors.of(new io.smallrye.mutiny.TimeoutException())).isEqualTo("timeout");
        assertThat(TryErrors.of(new VertxException("wrapped", new SSLHandshakeException("PKIX path building failed"))))
                .isEqualTo("tls_error");
        assertThat(TryErrors.of(new UnknownHostException("nowhere.internal"))).isEqualTo("dns_error");
        assertThat(TryErrors.of(new NoRouteToHostException("No route to host"))).isEqualTo("connection_error");
        assertThat(TryErrors.of(new VertxException("Connection was closed", true))).isEqualTo("connection_error");
        assertThat(TryErrors.of(new IOException("Connection reset by peer"))).isEqualTo("connection_error");
        assertThat(TryErrors.of(new IllegalStateException("bug"))).isEqualTo("internal_error");
    }

    @Test
    void answersThatAreNot2xxAreCategorizedByClass() {
        assertThat(TryErrors.ofStatus(302)).isEqualTo("http_3xx");
        assertThat(TryErrors.ofStatus(404)).isEqualTo("http_4xx");
        assertThat(TryErrors.ofStatus(503)).isEqualTo("http_5xx");
        assertThat(TryErrors.ofStatus(101)).isEqualTo("http_status");
    }
}
