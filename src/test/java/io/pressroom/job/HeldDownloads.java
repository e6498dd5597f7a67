package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.pressroom.storage.ObjectStorage;
import io.pressroom.testing.Api.TestProject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Downloads whose clients stop reading, of files large enough that such a client holds its download open. */
final class HeldDownloads {

    private HeldDownloads() {
    }

    /** A succeeded job of {@code owner} whose stored PDF is {@code content}. */
    static String jobWithOutput(TestProject owner, byte[] content, ObjectStorage storage, Pool database)
            throws Exception {
        String id = owner.call().body(java.util.Map.of("html", "<p>big</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(owner, id).getString("job.status")).isEqualTo("succeeded");
        String key = database.preparedQuery("SELECT storage_key FROM render_outputs WHERE job_id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next().getString(0);
        storage.put(key, content, "application/pdf");
        database.preparedQuery("UPDATE render_outputs SET bytes = $1, sha256 = $2 WHERE job_id = $3")
                .execute(Tuple.of((long) content.length, sha256(content), id)).await().indefinitely();
        return id;
    }

    /**
     * A download of the job's PDF whose client reads its status line (see {@link #statusLine}) and no more: it holds
     * its place until the socket closes or the download is cut off.
     */
    static Socket open(int port, TestProject owner, String id) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", port));
        socket.getOutputStream().write(("GET /v1/render-jobs/" + id + "/output HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + owner.key() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    static String statusLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
