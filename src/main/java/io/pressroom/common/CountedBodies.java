package io.pressroom.common;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import org.jboss.logging.Logger;

import io.vertx.ext.web.RoutingContext;

/**
 * Counts every request body the REST layer reads and stops at {@code pressroom.http.max-body-size} with 413
 * problem+json: the check for bodies of unknown length (chunked, or HTTP/2 without {@code Content-Length}), which
 * {@link BodyLimit} cannot refuse up front. Such a body may also be {@linkplain #meter metered} while it is read, for
 * the memory it takes; when the meter refuses, the answer is its problem. A JSON body that holds the NUL character or
 * a lone UTF-16 surrogate, or that is in UTF-16 or UTF-32, is refused with 400 as it is read ({@link UnstorableText}).
 * Whatever the body's reader makes of the cut stream (Jackson may call it malformed JSON), the answer is the 413, the
 * meter's problem or the 400. A body larger than the REST layer's input buffer, read as it comes on a worker thread,
 * may also be {@linkplain #gateStreamed gated}.
 */
@Provider
public class CountedBodies implements ReaderInterceptor {

    private static final Logger LOG = Logger.getLogger(CountedBodies.class);
    private static final String METER = CountedBodies.class.getName() + ".meter";
    private static final String STREAM_GATE = CountedBodies.class.getName() + ".streamGate";

    /** Asked with the bytes read so far, whenever more are read: null to go on, or the problem that ends the body. */
    @FunctionalInterface
    public interface Meter {
        ApiProblem cover(long bytesRead);
    }

    /** Meters this request's body while the REST layer reads it. */
    public static void meter(RoutingContext request, Meter meter) {
        request.put(METER, meter);
    }

    /**
     * Asks {@code gate} before this request's body is read as it comes, on a worker thread (one larger than the REST
     * layer's input buffer): null to go on, or the problem that refuses it unread.
     */
    public static void gateStreamed(RoutingContext request, Supplier<ApiProblem> gate) {
        request.put(STREAM_GATE, gate);
    }

    private final BodyLimit limit;
    private final RoutingContext request;

    public CountedBodies(BodyLimit limit, RoutingContext request) {
        this.limit = limit;
        this.request = request;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        boolean json = type != null && (MediaType.APPLICATION_JSON_TYPE.isCompatible(type)
                || type.getSubtype().endsWith("+json"));
        Counted body = new Counted(context.getInputStream(), limit.bytes(), request.get(METER),
                json ? new UnstorableText.Escapes() : null);
        context.setInputStream(body);
        Supplier<ApiProblem> gate = body.buffered ? null : request.get(STREAM_GATE);
        ApiProblem busy = gate == null ? null : gate.get();
        if (busy != null) {
            body.refuse(busy);
            BodyLimit.closeAfterResponse(request);
            throw busy;
        }
        try {
            return context.proceed();
        } catch (IOException | RuntimeException e) {
            if (body.refusal == null) {
                throw e;
            }
            if (!body.unstorable || !body.buffered) {
                BodyLimit.closeAfterResponse(request); // the rest of the body is not worth reading
            }
            throw body.refusal;
        }
    }

    /**
     * Fails a read that goes past the limit or its meter, or that brings text PostgreSQL cannot store into a JSON body;
     * remembers why, however the reader reports the failure.
     */
    private final class Counted extends FilterInputStream {

        private final long maxBytes;
        private final Meter meter;
        private final UnstorableText.Escapes escapes;
        /**
         * The REST layer read the whole body into memory before the request ran (one up to
         * {@code quarkus.rest.input-buffer-size}); a larger one is read from the connection as it comes, on a worker
         * thread.
         */
        private final boolean buffered;
        private long read;
        private ApiProblem refusal;
        private boolean unstorable;
        private boolean closed;

        Counted(InputStream in, long maxBytes, Meter meter, UnstorableText.Escapes escapes) {
            super(in);
            this.maxBytes = maxBytes;
            this.meter = meter;
            this.escapes = escapes;
            this.buffered = in instanceof ByteArrayInputStream;
        }

        /**
         * A body read from the connection is read to its end before the connection can take another request, and
         * its reader may close it well before that (Jackson stops at the end of its value, or at a refusal). What is
         * left is read here through the count, so a body that goes on past the limit is refused like any other; the
         * REST layer's own close reads it to its end however long it goes on, on a worker thread, before the answer
         * (seen: 4 GB in 20 s of an endless chunked body, and no answer). A refused body is not read any further: its
         * stream is closed once the answer has gone and the connection (HTTP/1) or the stream (HTTP/2) has ended.
         */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (buffered) {
                super.close();
                return;
            }
            try {
                byte[] rest = new byte[8192];
                while (refusal == null && read(rest, 0, rest.length) >= 0) {
                    // counted and scanned by read
                }
            } finally {
                if (refusal == null) {
                    super.close(); // at its end, or broken: returns at once
                } else {
                    closeAfterTheAnswer();
                }
            }
        }

        /** Refused before any of it was read. */
        void refuse(ApiProblem problem) throws IOException {
            refusal = problem;
            close();
        }

        /** Every refusal also ends the connection or the stream ({@link BodyLimit#closeAfterResponse}). */
        private void closeAfterTheAnswer() {
            request.addEndHandler(answered -> {
                request.vertx().executeBlocking(() -> {
                    try {
                        in.close(); // its wait for more ends with the connection or the stream
                    } catch (IOException | RuntimeException e) {
                        LOG.debugf("Closed a refused request body: %s", e.getMessage());
                    }
                    return null;
                }, false);
            });
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = super.read();
            } catch (IOException e) {
                throw cut(e);
            }
            if (b >= 0) {
                count(1);
                scan(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                throw cut(e);
            }
            if (n > 0) {
                count(n);
                for (int i = offset; i < offset + n; i++) {
                    scan(buffer[i]);
                }
            }
            return n;
        }

        /**
         * The connection ended, or sent nothing for {@code quarkus.http.read-timeout}, before the body's end: the
         * client's doing, answered (if it still listens) with 400 rather than taken for a failure of ours.
         */
        private IOException cut(IOException e) {
            if (refusal == null) {
                refusal = ApiProblem.badRequest("request body: it ended before it was complete (" + e.getMessage() + ")");
            }
            return new IOException(refusal.detail(), e);
        }

        private void scan(int b) throws IOException {
            String unstorable = escapes == null ? null : escapes.nextByte(b & 0xFF);
            if (unstorable != null) {
                this.unstorable = true;
                refusal = ApiProblem.badRequest(UnstorableText.inBody(unstorable));
                throw new IOException(refusal.detail());
            }
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws IOException {
            read += n;
            refusal = read > maxBytes ? limit.problem() : meter != null ? meter.cover(read) : null;
            if (refusal != null) {
                throw new IOException(refusal.detail());
            }
        }
    }
}
