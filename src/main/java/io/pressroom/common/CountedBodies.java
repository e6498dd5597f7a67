package io.pressroom.common;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.vertx.ext.web.RoutingContext;

/**
 * Counts every request body the REST layer reads and stops at {@code pressroom.http.max-body-size} with 413
 * problem+json: the check for chunked bodies, which have no {@code Content-Length} for {@link BodyLimit} to refuse up
 * front. Whatever the body's reader makes of the cut stream (Jackson may call it malformed JSON), the answer is 413.
 */
@Provider
public class CountedBodies implements ReaderInterceptor {

    private final BodyLimit limit;
    private final RoutingContext request;

    public CountedBodies(BodyLimit limit, RoutingContext request) {
        this.limit = limit;
        this.request = request;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Counted body = new Counted(context.getInputStream(), limit.bytes());
        context.setInputStream(body);
        try {
            return context.proceed();
        } catch (IOException | RuntimeException e) {
            if (!body.exceeded) {
                throw e;
            }
            BodyLimit.closeAfterResponse(request);
            throw limit.problem();
        }
    }

    /** Fails a read that goes past the limit; remembers that it did, however the reader reports the failure. */
    private static final class Counted extends FilterInputStream {

        private final long limit;
        private long read;
        private boolean exceeded;

        Counted(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws IOException {
            read += n;
            if (read > limit) {
                exceeded = true;
                throw new IOException("request body larger than " + limit + " bytes");
            }
        }
    }
}
