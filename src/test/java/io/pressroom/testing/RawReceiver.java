package io.pressroom.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on a free local port that speaks raw TCP, for answers no HTTP server would give: each accepted
 * connection is served on a daemon thread of its own by {@link #serve(Socket)}.
 */
abstract class RawReceiver implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    RawReceiver(String name) throws IOException {
        server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        daemon(name, () -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    accepted.incrementAndGet();
                    daemon(name + "-connection", () -> serve(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Serves one connection, on its own thread. */
    abstract void serve(Socket socket);

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Connections taken since the start. */
    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
