package io.pressroom.webhook.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

import io.pressroom.common.Causes;
import io.pressroom.webhook.service.WebhookEgress;
import io.vertx.core.VertxException;

/**
 * The coarse category of a failed try, what the timeline and the delivery row show instead of the exception's text:
 * a receiver's raw connection errors ("Connection refused: /10.0.3.7:5432", "No route to host") would tell a tenant
 * what listens where inside the network, a port scanner with a timeline. The cause goes to the log.
 */
final class TryErrors {

    static final String TIMEOUT = "timeout";
    static final String CONNECTION_REFUSED = "connection_refused";
    static final String CONNECTION_ERROR = "connection_error";
    static final String TLS_ERROR = "tls_error";
    static final String INTERNAL_ERROR = "internal_error";

    private TryErrors() {
    }

    /** The category of an HTTP answer that is not 2xx: {@code http_3xx} (redirects are not followed) … */
    static String ofStatus(int status) {
        return status >= 300 && status < 600 ? "http_" + status / 100 + "xx" : "http_status";
    }

    /** The category of a try that got no answer: the most telling cause anywhere in the chain. */
    static String of(Throwable failure) {
        var refused = Causes.find(failure, WebhookEgress.Refused.class);
        if (refused.isPresent()) {
            return refused.get().category();
        }
        // netty's ConnectTimeoutException is a ConnectException; Vert.x's and Mutiny's timeouts share no type
        if (Causes.of(failure).anyMatch(cause -> cause.getClass().getSimpleName().contains("Timeout"))) {
            return TIMEOUT;
        }
        if (has(failure, SSLException.class)) {
            return TLS_ERROR;
        }
        if (has(failure, UnknownHostException.class)) {
            return WebhookEgress.Refused.DNS_ERROR;
        }
        if (has(failure, ConnectException.class)) {
            return CONNECTION_REFUSED;
        }
        if (has(failure, IOException.class) || has(failure, VertxException.class)) {
            return CONNECTION_ERROR; // closed, reset, no route
        }
        return INTERNAL_ERROR;
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        return Causes.find(failure, type).isPresent();
    }
}
