package io.pressroom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on a free local port that reads every request and never answers: a receiver that hangs, as one
 * behind a stuck proxy or an overloaded application does. Counts the connections that wait for their answer.
 */
public final class SilentReceiver extends RawReceiver {

    private final AtomicInteger open = new AtomicInteger();

    public SilentReceiver() throws IOException {
        super("silent-receiver");
    }

    @Override
    void serve(Socket socket) {
        open.incrementAndGet();
        try (InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // the request is read and never answered
            }
        } catch (IOException closed) {
            // reset by the sender, or closed by close()
        } finally {
            open.decrementAndGet();
        }
    }

    /** Connections open now: tries waiting for an answer. */
    public int open() {
        return open.get();
    }
}
