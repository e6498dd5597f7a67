package io.pressroom.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.cli.Cli.Failure;

/**
 * The client commands' HTTP: one API and key, JSON in and out. An answer other than 2xx is a {@link Failure} with the
 * problem's detail ({@link Cli#API_ERROR}); no answer at all is {@link Cli#UNREACHABLE}.
 */
final class ApiClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** uploads of bundles, downloads of PDFs and creates that wait for the job */
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(2);

    final ObjectMapper json = new ObjectMapper();
    final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The body of a GET, as the API wrote it. */
    String get(String path) throws IOException, InterruptedException {
        return send(request(path, REQUEST_TIMEOUT).GET(), BodyHandlers.ofString()).body();
    }

    JsonNode getJson(String path) throws IOException, InterruptedException {
        return parse(get(path));
    }

    /** A GET that answers null for a 404: for things that may not exist yet. */
    JsonNode find(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(path, REQUEST_TIMEOUT).GET(), BodyHandlers.ofString(), 404);
        return response.statusCode() == 404 ? null : parse(response.body());
    }

    JsonNode post(String path, Object body, String... headers) throws IOException, InterruptedException {
        return post(path, "application/json", json.writeValueAsBytes(body), headers);
    }

    JsonNode post(String path, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, TRANSFER_TIMEOUT).header("Content-Type", contentType)
                .POST(BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return parse(send(request, BodyHandlers.ofString()).body());
    }

    JsonNode put(String path, Object body) throws IOException, InterruptedException {
        return parse(send(request(path, REQUEST_TIMEOUT).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofByteArray(json.writeValueAsBytes(body))), BodyHandlers.ofString()).body());
    }

    void delete(String path) throws IOException, InterruptedException {
        send(request(path, REQUEST_TIMEOUT).DELETE(), BodyHandlers.ofString());
    }

    HttpResponse<byte[]> download(String path) throws IOException, InterruptedException {
        return send(request(path, TRANSFER_TIMEOUT).GET(), BodyHandlers.ofByteArray());
    }

    /** {@code value} as one path segment or query value. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, BodyHandler<T> body, int... alsoAccepted)
            throws InterruptedException {
        HttpResponse<T> response;
        try {
            response = http.send(request.build(), body);
        } catch (IOException e) {
            throw new Failure(Cli.UNREACHABLE, "cannot reach the API at " + base + " (" + e + ")");
        }
        int status = response.statusCode();
        for (int accepted : alsoAccepted) {
            if (status == accepted) {
                return response;
            }
        }
        if (status / 100 != 2) {
            Object answer = response.body();
            throw new Failure(Cli.API_ERROR, problem(status, answer instanceof byte[] bytes
                    ? new String(bytes, StandardCharsets.UTF_8)
                    : String.valueOf(answer)));
        }
        return response;
    }

    /** "the API answered 404 not_found: …" from a problem document, else the start of whatever came. */
    private String problem(int status, String body) {
        try {
            JsonNode problem = json.readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                return "the API answered " + status + " " + problem.path("code").asText(problem.path("title").asText())
                        + ": " + problem.path("detail").asText();
            }
        } catch (JsonProcessingException e) {
            // not a problem document: show what came
        }
        String start = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        return "the API answered " + status + (start.isBlank() ? "" : ": " + start.strip());
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Failure(Cli.API_ERROR, "the answer at " + base + " is not Pressroom's JSON: " + e.getOriginalMessage());
        }
    }
}
