package io.pressroom.testing.stack;

/**
 * One server of the Pressroom stack.
 * <p>
 * {@link #stop()} keeps the data so that {@link #start()} can bring the same server back (same port, same data);
 * {@link #close()} stops it for good and removes whatever temporary directories it created. All three are
 * idempotent, because shutdown hooks and test lifecycles may call them more than once.
 */
public interface StackServer extends AutoCloseable {

    void start() throws Exception;

    void stop() throws Exception;

    @Override
    void close() throws Exception;
}
