package io.pressroom.common;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose {@code Content-Length} is above {@code quarkus.http.limits.max-body-size} with 413
 * problem+json ({@code payload_too_large}), on every route, before any of the body is read (a client that sent
 * {@code Expect: 100-continue} never sends it). Quarkus makes the same check with an empty 413 (a route at order -2);
 * this route runs before it so that clients get the API's one error format.
 * <p>
 * A chunked body (no {@code Content-Length}) is left to Quarkus: the REST layer's body stream stops at the limit,
 * answers an empty 413 and closes the connection. Reading chunked bodies here instead (Vert.x's {@code BodyHandler})
 * would give them the problem document too, but would buffer up to the limit before authentication, which runs in
 * the REST layer: an anonymous client could then hold that much memory per connection.
 */
@ApplicationScoped
public class BodyLimit {

    /** Before Quarkus's own check ({@code order(-2)}) and the REST layer. */
    static final int ORDER = -1_000;

    private final Optional<MemorySize> maxBodySize;
    private final ObjectMapper json;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize,
            ObjectMapper json) {
        this.maxBodySize = maxBodySize;
        this.json = json;
    }

    void install(@Observes Router router) {
        maxBodySize.map(MemorySize::asLongValue)
                .ifPresent(limit -> router.route().order(ORDER).handler(context -> check(context, limit)));
    }

    private void check(RoutingContext context, long limit) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && declared(length) > limit) {
            refuse(context, limit);
        } else {
            context.next();
        }
    }

    /** The declared length; a malformed one does not get this far (Netty answers 400). */
    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refuse(RoutingContext context, long limit) {
        ApiProblem problem = ApiProblem.tooLarge("the request body is larger than " + limit + " bytes");
        byte[] body;
        try {
            body = json.writeValueAsBytes(Problem.of(problem, context.request().path()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serializes", e);
        }
        // the unread body is not worth reading: HTTP/1 closes the connection, HTTP/2 ending the stream is enough
        boolean close = context.request().version() != HttpVersion.HTTP_2;
        HttpServerResponse response = context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            response.putHeader(HttpHeaderNames.CONNECTION, "close");
        }
        response.end(Buffer.buffer(body)).onComplete(ignored -> {
            if (close) {
                context.request().connection().close();
            }
        });
    }
}
