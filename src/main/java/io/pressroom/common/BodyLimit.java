package io.pressroom.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Error;
import io.pressroom.config.PressroomConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The request body limit, {@code pressroom.http.max-body-size}: above it a request gets 413 problem+json
 * ({@code payload_too_large}) and its connection is closed after the answer (what is left of the body is not worth
 * reading).
 * <p>
 * A declared {@code Content-Length} is checked here, on every route, before any of the body is read (a client that
 * sent {@code Expect: 100-continue} never sends it). A chunked body has no length to check up front: the REST layer
 * counts it while reading ({@link CountedBodies}), after authentication, so an anonymous client never gets to send
 * one. Vert.x's {@code BodyHandler} could count it here instead, but it buffers before authentication.
 * <p>
 * Quarkus makes both checks too, with an empty 413, against {@code quarkus.http.limits.max-body-size}; that one is
 * kept far above this limit so that clients get the API's one error format.
 */
@ApplicationScoped
public class BodyLimit {

    /** Before Quarkus's own check ({@code order(-2)}) and the REST layer. */
    static final int ORDER = -1_000;

    private final long limit;
    private final ObjectMapper json;

    public BodyLimit(PressroomConfig config, ObjectMapper json) {
        this.limit = config.http().maxBodySize().asLongValue();
        this.json = json;
    }

    /** The largest body, in bytes. */
    long bytes() {
        return limit;
    }

    ApiProblem problem() {
        return ApiProblem.tooLarge("the request body is larger than " + limit + " bytes");
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && declared(length) > limit) {
            refuse(context);
        } else {
            context.next();
        }
    }

    /** A declared {@code Content-Length}; a malformed one does not get this far (Netty answers 400). */
    public static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refuse(RoutingContext context) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Problem.of(problem(), context.request().path()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serializes", e);
        }
        closeAfterResponse(context);
        context.response().setStatusCode(problem().status())
                .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(body));
    }

    /**
     * Ends the unread rest of the body once the response is sent, so that it is never read: an HTTP/1 connection is
     * closed (and the response says so); an HTTP/2 stream is reset with {@code NO_ERROR}, which asks the client to
     * stop sending without failing the complete response (RFC 9113, section 8.1), and leaves the connection's other
     * streams alone. The response alone ends only the server's half of the stream: the client went on sending.
     * <p>
     * Through the routing context's end handlers: setting the response's own end handler would replace the one they
     * hang on, and a request's end handlers (the body budget's release among them) would never run.
     */
    public static void closeAfterResponse(RoutingContext context) {
        if (context.request().version() == HttpVersion.HTTP_2) {
            context.addEndHandler(ignored -> context.response().reset(Http2Error.NO_ERROR.code())); // no-op if ended
            return;
        }
        context.response().putHeader(HttpHeaderNames.CONNECTION, "close");
        context.addEndHandler(ignored -> context.request().connection().close());
    }
}
