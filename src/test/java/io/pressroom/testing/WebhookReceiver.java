package io.pressroom.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on a free local port (the JDK's HTTP server): records every POST and answers with the
 * statuses it was told to, then 200.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received: header names lower-case. */
    public record Received(String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name);
        }

        /**
         * Checks the Standard Webhooks signature independently of Pressroom's code: HMAC-SHA256, keyed with the
         * base64-decoded part of {@code whsec_…}, of {@code id.timestamp.body}, compared with each {@code v1,…}.
         */
        public boolean signedWith(String secret) {
            String signed = header("webhook-id") + "." + header("webhook-timestamp") + "." + body;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                        "HmacSHA256"));
                byte[] expected = mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
                for (String signature : header("webhook-signature").split(" ")) {
                    if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                            Base64.getDecoder().decode(signature.substring(3)))) {
                        return true;
                    }
                }
                return false;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private volatile Duration firstAnswerDelay = Duration.ZERO;

    /** @param firstStatuses the answers to the first requests, in order; 200 after them */
    public WebhookReceiver(Integer... firstStatuses) throws IOException {
        statuses.addAll(List.of(firstStatuses));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Answers the first request only after {@code delay}: a receiver that hangs. */
    public WebhookReceiver answeringFirstAfter(Duration delay) {
        firstAnswerDelay = delay;
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        received.add(new Received(exchange.getRequestURI().getPath(), headers, body));
        if (received.size() == 1 && !firstAnswerDelay.isZero()) {
            try {
                Thread.sleep(firstAnswerDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Integer status = statuses.poll();
        exchange.sendResponseHeaders(status == null ? 200 : status, -1);
        exchange.close();
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
