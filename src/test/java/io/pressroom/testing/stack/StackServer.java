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

    /**
     * Brings the server back on the same port and data, also after its process was killed from outside (SIGKILL):
     * {@link #stop()} then forgets the dead process (and releases what this JVM held for it) and {@link #start()}
     * starts a new one, which recovers the data as after a crash.
     */
    default void restart() throws Exception {
        stop();
        start();
    }

    @Override
    void close() throws Exception;
}
