package io.pressroom.common;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.pressroom.config.PressroomConfig;
import io.vertx.mutiny.core.Vertx;

/** The notification connection against a server that takes the connection and never answers. */
class NotificationsTest {

    private static final Duration CHECK = Duration.ofMillis(300);

    @Test
    void anAttemptToConnectThatIsNeverAnsweredIsClosedAndMadeAgain() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Vertx vertx = Vertx.vertx();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Notifications notifications = new Notifications(vertx, config(),
                    "postgresql://127.0.0.1:" + silent.getLocalPort() + "/postgres", "pressroom", "unused");
            notifications.start(null);
            try {
                // without a bound, the first attempt waits for the server's answer for good and no other is made
                await().atMost(Duration.ofSeconds(15)).until(() -> accepted.size() >= 2);
                assertFalse(notifications.listening());
                // and the abandoned attempt's socket is closed, not left open beside its successor
                Socket first = accepted.get(0);
                first.setSoTimeout((int) CHECK.multipliedBy(10).toMillis());
                assertEquals(-1, drain(first.getInputStream()), "the first attempt's socket was left open");
            } finally {
                notifications.stop(null);
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        } finally {
            vertx.closeAndAwait();
        }
    }

    /** Reads what the client sent (its startup message) until the client closes: -1, or 0 if it does not in time. */
    private static int drain(InputStream in) throws IOException {
        byte[] buffer = new byte[512];
        try {
            int read;
            do {
                read = in.read(buffer);
            } while (read > 0);
            return read;
        } catch (SocketTimeoutException open) {
            return 0;
        }
    }

    private static PressroomConfig config() {
        PressroomConfig.Database database = fake(PressroomConfig.Database.class, "notificationCheckInterval", CHECK);
        return fake(PressroomConfig.class, "role", PressroomConfig.Role.api, "database", database);
    }

    /** A configuration interface answering the given methods by name; any other method is a mistake of the test. */
    private static <T> T fake(Class<T> type, Object... answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
            for (int i = 0; i < answers.length; i += 2) {
                if (answers[i].equals(method.getName())) {
                    return answers[i + 1];
                }
            }
            throw new UnsupportedOperationException(method.getName());
        }));
    }
}
