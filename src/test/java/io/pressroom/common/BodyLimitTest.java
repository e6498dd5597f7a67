package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http2.Http2Error;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Metrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.StreamResetException;

/**
 * Bodies above {@code pressroom.http.max-body-size} (20M) are refused with 413 problem+json and a closed connection:
 * before they are sent when their {@code Content-Length} says so, while they are read when they come chunked. Raw sockets, so
 * that no client
 * library rewrites the request (the JDK 17 HttpClient, for one, hangs on a final answer to
 * {@code Expect: 100-continue}).
 */
@QuarkusTest
class BodyLimitTest {

    private static final long LIMIT = 20L * 1024 * 1024;

    @TestHTTPResource("/")
    URL base;

    /** A response read off the wire. */
    record Raw(int status, Map<String, String> headers, byte[] body) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(body);
        }
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws Exception {
        Raw response = exchange("POST /v1/render-jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (LIMIT + 1) + "\r\n\r\n", null);
        assertProblem(response, "/v1/render-jobs");
    }

    @Test
    void aClientThatWaitsForContinueGetsTheProblemInsteadOfSendingTheBody() throws Exception {
        TestProject project = Api.newProject();
        Raw response = exchange("POST /v1/deploys/any/versions HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + project.key() + "\r\nContent-Type: application/zip\r\n"
                + "Expect: 100-continue\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n", null);
        assertProblem(response, "/v1/deploys/any/versions");
    }

    @Test
    void declaredLengthAtTheLimitIsReadAsUsual() throws Exception {
        TestProject project = Api.newProject();
        byte[] body = new byte[(int) LIMIT];
        Raw response = exchange("POST /v1/deploys/nope/versions HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + project.key() + "\r\nContent-Type: application/zip\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n", out -> out.write(body));
        // read to the end and handed to the endpoint, which finds it is not a zip
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains("not a zip archive");
    }

    /**
     * Chunked bodies have no length to check up front: the REST layer counts them while reading and stops at the
     * limit with the same problem and a closed connection, whatever the body's type. Authentication runs first, so
     * anonymous chunked uploads are refused before any of their body is read.
     */
    @Test
    void chunkedBodyOverTheLimitIsRefusedWhileReading() throws Exception {
        BodyWriter tooMuch = chunked(new byte[1024 * 1024], 25);
        TestProject project = Api.newProject();
        Raw zip = exchange("POST /v1/deploys/any/versions HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + project.key() + "\r\nContent-Type: application/zip\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", tooMuch);
        assertProblem(zip, "/v1/deploys/any/versions");

        byte[] spaces = new byte[1024 * 1024];
        Arrays.fill(spaces, (byte) ' ');
        Raw json = exchange("POST /v1/render-jobs HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + project.key() + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", chunked(spaces, 25));
        assertProblem(json, "/v1/render-jobs");

        Raw anonymous = exchange("POST /v1/deploys/any/versions HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/zip\r\nTransfer-Encoding: chunked\r\n\r\n", tooMuch);
        assertThat(anonymous.status()).isEqualTo(401);

        // the memory the refused bodies held is given back: the project's next upload is not refused for it
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.sum("pressroom_http_bodies_held_bytes") == 0);
        project.call().body(Map.of("name", "After")).post("/v1/deploys").then().statusCode(201);
    }

    /**
     * A chunked body that never ends is refused at the limit while the client is still sending it, whatever its
     * reader made of it: its JSON cut off, complete and followed by more, or broken early. Before, the rest of the
     * body was read to its end before the answer, on a worker thread: 4 GB in 20 s, and no answer.
     */
    @Test
    void aBodyThatNeverEndsIsRefusedAtTheLimitWhileItIsStillSent() throws Exception {
        TestProject project = Api.newProject();
        for (String start : new String[] { "{\"html\": \"", "{\"html\": \"<p>x</p>\"}", "{\"html\": ]" }) {
            byte[] filler = new byte[64 * 1024];
            Arrays.fill(filler, (byte) (start.endsWith("\"") ? 'x' : ' '));
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/render-jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + project.key()
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                AtomicLong sent = new AtomicLong();
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    try {
                        writeChunk(out, start.getBytes(StandardCharsets.US_ASCII));
                        while (sent.addAndGet(filler.length) < 4L * 1024 * 1024 * 1024) {
                            writeChunk(out, filler);
                        }
                    } catch (IOException e) {
                        // the server closed the connection after its answer
                    }
                });
                Raw response = read(socket.getInputStream()); // before: no answer until the 4 GiB were sent
                assertProblem(response, "/v1/render-jobs");
                sending.get(30, TimeUnit.SECONDS); // the connection is closed under the sender
                assertThat(sent.get()).as("%s: sent before the connection was closed", start).isLessThan(LIMIT * 10);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Metrics.sum("pressroom_http_bodies_held_bytes") == 0);
        project.call().body(Map.of("name", "After")).post("/v1/deploys").then().statusCode(201);
    }

    /**
     * Over HTTP/2 (a body without {@code Content-Length}) the same: the 413 comes while the body is being sent, its
     * stream is reset with {@code NO_ERROR}, which asks the client to stop without failing the answer (RFC 9113,
     * section 8.1), and the connection's next request is answered.
     */
    @Test
    void aBodyThatNeverEndsOverHttp2IsRefusedAndOnlyItsStreamEnded() throws Exception {
        TestProject project = Api.newProject();
        Vertx vertx = Vertx.vertx();
        HttpClient h2c = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false).setDefaultHost(base.getHost()).setDefaultPort(base.getPort()),
                new PoolOptions().setHttp2MaxSize(1)); // one connection for both requests
        try {
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Long> reset = new CompletableFuture<>();
            CompletableFuture<String> answer = new CompletableFuture<>();
            Buffer filler = Buffer.buffer("x".repeat(64 * 1024));
            h2c.request(HttpMethod.POST, "/v1/render-jobs").onSuccess(request -> {
                request.putHeader("Authorization", "Bearer " + project.key())
                        .putHeader("Content-Type", "application/json").setChunked(true); // no Content-Length
                request.exceptionHandler(
                        e -> reset.complete(e instanceof StreamResetException r ? r.getCode() : Long.MIN_VALUE));
                request.response().compose(response -> response.body().map(body -> response.statusCode() + " " + body))
                        .onSuccess(answer::complete).onFailure(answer::completeExceptionally);
                request.write("{\"html\": \"");
                Runnable[] pump = new Runnable[1];
                pump[0] = () -> {
                    while (!reset.isDone() && !request.writeQueueFull()
                            && sent.addAndGet(filler.length()) < 4L * 1024 * 1024 * 1024) {
                        request.write(filler);
                    }
                    if (!reset.isDone()) {
                        request.drainHandler(drained -> pump[0].run());
                    }
                };
                pump[0].run();
            }).onFailure(answer::completeExceptionally);

            assertThat(answer.get(30, TimeUnit.SECONDS)).startsWith("413 ").contains("payload_too_large");
            assertThat(reset.get(30, TimeUnit.SECONDS)).isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(sent.get()).isLessThan(LIMIT * 10);
            int next = h2c.request(HttpMethod.POST, "/v1/deploys")
                    .compose(request -> request.putHeader("Authorization", "Bearer " + project.key())
                            .putHeader("Content-Type", "application/json").send("{\"name\": \"After h2\"}"))
                    .map(HttpClientResponse::statusCode).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(next).isEqualTo(201);
        } finally {
            h2c.close();
            vertx.close();
        }
    }

    private static void writeChunk(OutputStream out, byte[] chunk) throws IOException {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void chunkedBodiesWithinTheLimitReachTheApi() throws Exception {
        TestProject project = Api.newProject();
        byte[] body = "{\"name\": \"Chunked\"}".getBytes(StandardCharsets.UTF_8);
        Raw response = exchange("POST /v1/deploys HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + project.key() + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                out -> {
                    out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                });
        assertThat(response.status()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        assertThat(response.json().get("name").asText()).isEqualTo("Chunked");
    }

    private void assertProblem(Raw response, String path) throws IOException {
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.headers()).containsEntry("content-type", "application/problem+json")
                .containsEntry("connection", "close");
        JsonNode problem = response.json();
        assertThat(problem.get("code").asText()).isEqualTo("payload_too_large");
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("detail").asText()).contains(Long.toString(LIMIT));
        assertThat(problem.get("instance").asText()).isEqualTo(path);
    }

    /** {@code count} chunks of {@code chunk}, then the last chunk. */
    private static BodyWriter chunked(byte[] chunk, int count) {
        return out -> {
            for (int i = 0; i < count; i++) {
                writeChunk(out, chunk);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        };
    }

    interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Sends the head, then the body from another thread, and reads the response until the server closes. */
    private Raw exchange(String head, BodyWriter body) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CompletableFuture<Void> sending = body == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> {
                        try {
                            body.write(out);
                            out.flush();
                        } catch (IOException e) {
                            // the server may close while the rest of a refused body is still being sent
                        }
                    });
            Raw response = read(socket.getInputStream());
            sending.get();
            return response;
        }
    }

    private static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headEnd = -1;
        Map<String, String> headers = new TreeMap<>();
        int status = 0;
        long contentLength = -1;
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            all.write(buffer, 0, n);
            byte[] bytes = all.toByteArray();
            if (headEnd < 0) {
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end < 0) {
                    continue;
                }
                headEnd = end + 4;
                String[] lines = text.substring(0, end).split("\r\n");
                status = Integer.parseInt(lines[0].split(" ")[1]);
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
                contentLength = Long.parseLong(headers.getOrDefault("content-length", "-1"));
            }
            if (contentLength >= 0 && bytes.length - headEnd >= contentLength) {
                break;
            }
        }
        byte[] bytes = all.toByteArray();
        byte[] bodyBytes = headEnd < 0 ? new byte[0]
                : Arrays.copyOfRange(bytes, headEnd, (int) (contentLength >= 0 ? headEnd + contentLength : bytes.length));
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            bodyBytes = dechunk(bodyBytes);
        }
        return new Raw(status, headers, bodyBytes);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (true) {
            int lineEnd = text.indexOf("\r\n", at);
            int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
