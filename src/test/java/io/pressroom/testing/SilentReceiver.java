package io.pressroom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on a free local port that reads every request and never answers: a receiver that hangs, as one
 * behind a stuck proxy or an overloaded application does. Counts the connections that wait for their answer.
 */
public final class SilentReceiver implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

    public SilentReceiver() throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        daemon("silent-receiver", () -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    held.add(socket);
                    accepted.incrementAndGet();
                    open.incrementAndGet();
                    daemon("silent-receiver-connection", () -> readUntilClosed(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void readUntilClosed(Socket socket) {
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

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Connections open now: tries waiting for an answer. */
    public int open() {
        return open.get();
    }

    /** Connections taken since the start. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
