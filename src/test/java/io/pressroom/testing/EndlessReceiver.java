package io.pressroom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on a free local port whose answer never ends: a 200 with a chunked body sent as fast as the
 * sender reads it. Counts the connections the sender has ended (a write fails).
 */
public final class EndlessReceiver extends RawReceiver {

    private final AtomicInteger ended = new AtomicInteger();

    public EndlessReceiver() throws IOException {
        super("endless-receiver");
    }

    @Override
    void serve(Socket socket) {
        try {
            readHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            while (true) {
                out.write(chunk);
            }
        } catch (IOException endedBySender) {
            ended.incrementAndGet();
        }
    }

    /** Reads up to the end of the request's headers; the body is left unread. */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = { '\r', '\n', '\r', '\n' };
        for (int b = in.read(); b >= 0; b = in.read()) {
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == end.length) {
                return;
            }
        }
    }

    /** Connections the sender has closed or reset while the answer was being sent. */
    public int endedBySender() {
        return ended.get();
    }
}
