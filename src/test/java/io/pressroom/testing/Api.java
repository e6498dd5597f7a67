package io.pressroom.testing;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Calls the API the way a client does, with real keys made through the admin endpoints. */
public final class Api {

    public static final String ADMIN_KEY = "pra_test_admin_key";

    private Api() {
    }

    public static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN_KEY).contentType(ContentType.JSON);
    }

    public static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** A new project and one key for it. */
    public record TestProject(String id, String keyId, String key) {
        public RequestSpecification call() {
            return as(key);
        }
    }

    public static TestProject newProject() {
        String projectId = admin().body(Map.of("name", "test project")).post("/v1/projects")
                .then().statusCode(201).extract().path("id");
        var key = admin().body(Map.of("name", "test key")).post("/v1/projects/" + projectId + "/keys")
                .then().statusCode(201).extract();
        return new TestProject(projectId, key.path("id"), key.path("key"));
    }

    /**
     * Opens a job's live timeline (SSE) on the API at {@code port} with {@code key}, resuming after
     * {@code lastEventId} when given; the body's lines arrive as the server sends them.
     */
    public static HttpResponse<Stream<String>> openEventStream(int port, String key, String jobId, String lastEventId)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/v1/render-jobs/" + jobId + "/events"))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** Creates a deploy without versions; returns its id. */
    public static String createDeploy(TestProject project, String name) {
        return project.call().body(Map.of("name", name)).post("/v1/deploys").then().statusCode(201)
                .extract().path("id");
    }

    /** Creates a deploy with one version of {@code html}; returns the deploy id. */
    public static String deployWith(TestProject project, String html) {
        String deployId = createDeploy(project, "Invoice");
        project.call().body(Map.of("html", html)).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(201);
        return deployId;
    }
}
