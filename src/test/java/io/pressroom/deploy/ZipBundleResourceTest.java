package io.pressroom.deploy;

import static io.pressroom.deploy.Zips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.pressroom.bundle.BundleStorage;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Zip bundles over HTTP, stored in the real object storage. */
@QuarkusTest
class ZipBundleResourceTest {

    private static final String HTML = "<html><head><link rel=\"stylesheet\" href=\"css/site.css\"></head>"
            + "<body><img src=\"img/logo.png\"><p>{{customer}}</p></body></html>";
    private static final String CSS = "@font-face { font-family: Body; src: url(fonts/body.woff2) } p { color: navy }";

    @Inject
    BundleStorage bundles;

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    private RequestSpecification zipCall(byte[] zip) {
        return project.call().contentType("application/zip").body(zip);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aZipRoundTripsByteForByteWithTheDigestOfTheSameFilesAsJson() {
        byte[] logo = random(3 * 1024 * 1024, 7); // incompressible, so the body is well past the 10k input buffer
        byte[] font = random(2000, 8);
        byte[] zip = zip().directory("css").file("index.html", HTML).file("css/site.css", CSS)
                .stored("img/logo.png", logo).file("fonts/body.woff2", font).bytes();

        String deployId = Api.createDeploy(project, "Zipped");
        JsonPath created = zipCall(zip).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(201)
                .header("Location", containsString("/v1/deploys/" + deployId + "/versions/dv_"))
                .body("number", equalTo(1), "bytes", equalTo(HTML.length() + CSS.length() + logo.length + font.length),
                        "files.path", equalTo(List.of("css/site.css", "fonts/body.woff2", "img/logo.png", "index.html")),
                        "files.contentType", equalTo(List.of("text/css", "font/woff2", "image/png",
                                "text/html; charset=utf-8")))
                .extract().jsonPath();
        String versionId = created.getString("id");

        String prefix = BundleStorage.prefix(project.id(), deployId, versionId);
        assertThat(bundles.file(prefix, "index.html")).isEqualTo(HTML.getBytes(StandardCharsets.UTF_8));
        assertThat(bundles.file(prefix, "css/site.css")).isEqualTo(CSS.getBytes(StandardCharsets.UTF_8));
        assertThat(bundles.file(prefix, "img/logo.png")).isEqualTo(logo);
        assertThat(bundles.file(prefix, "fonts/body.woff2")).isEqualTo(font);
        project.call().get("/v1/deploys/" + deployId).then().body("latestVersionId", equalTo(versionId));

        String jsonDeployId = Api.createDeploy(project, "Same files as JSON");
        project.call().body(Map.of("html", HTML, "assets", List.of(
                asset("img/logo.png", "image/png", logo),
                asset("css/site.css", "text/css", CSS.getBytes(StandardCharsets.UTF_8)),
                asset("fonts/body.woff2", "font/woff2", font))))
                .post("/v1/deploys/" + jsonDeployId + "/versions")
                .then().statusCode(201).body("sha256", equalTo(created.getString("sha256")));
    }

    private static Map<String, String> asset(String path, String contentType, byte[] content) {
        return Map.of("path", path, "contentType", contentType, "base64", Base64.getEncoder().encodeToString(content));
    }

    @Test
    void windowsStyleZipMediaTypeIsAcceptedAndOtherTypesAre415() {
        String deployId = Api.createDeploy(project, "Media types");
        byte[] zip = zip().file("index.html", "<p>{{x}}</p>").bytes();
        project.call().contentType("application/x-zip-compressed").body(zip)
                .post("/v1/deploys/" + deployId + "/versions").then().statusCode(201);
        project.call().contentType("application/octet-stream").body(zip)
                .post("/v1/deploys/" + deployId + "/versions").then().statusCode(415)
                .contentType("application/problem+json").body("code", equalTo("unsupported_media_type"));
    }

    @Test
    void aTemplateThatDoesNotCompileIsRefusedAsForJson() {
        String deployId = Api.createDeploy(project, "Broken zip");
        zipCall(zip().file("index.html", "{{#each items}}<p>").bytes()).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(400).body("code", equalTo("template_error"));
    }

    @Test
    void theApiDocumentOffersBothBodies() {
        io.restassured.RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/deploys/{deployId}/versions'.post.requestBody.content.keySet()",
                        hasItems("application/json", "application/zip"),
                        "paths.'/v1/deploys/{deployId}/latest'.put.requestBody.content.keySet()",
                        hasItems("application/json"));
    }

    static Stream<Arguments> hostileZips() {
        byte[] plain = zip().file("index.html", HTML).file("css/site.css", CSS).file("css/main.css", CSS).bytes();
        Zips bombs = zip().file("index.html", HTML);
        for (int i = 0; i < 12; i++) {
            bombs.zeros("img/" + i + ".bin", 1);
        }
        Zips crowded = zip().file("index.html", HTML);
        for (int i = 0; i < 1000; i++) {
            crowded.directory("d" + i);
        }
        return Stream.of(
                Arguments.of("traversal", zip().file("index.html", HTML).file("../../etc/cron.d/x", "x").bytes(), 400,
                        "zip entry '../../etc/cron.d/x'"),
                Arguments.of("absolute", zip().file("index.html", HTML).file("/etc/passwd", "x").bytes(), 400,
                        "zip entry '/etc/passwd': absolute"),
                Arguments.of("backslash", zip().file("index.html", HTML).file("css\\..\\x.css", "x").bytes(), 400,
                        "backslashes"),
                Arguments.of("symlink", Zips.withUnixMode(plain, "css/site.css", Zips.S_IFLNK | 0777), 400,
                        "zip entry 'css/site.css': symbolic links"),
                Arguments.of("duplicate", Zips.renamed(plain, "css/main.css", "css/site.css"), 400,
                        "zip entry 'css/site.css': appears twice"),
                Arguments.of("encrypted", Zips.withFlag(plain, "css/main.css", 1), 400,
                        "zip entry 'css/main.css': is encrypted"),
                Arguments.of("not a zip", "<html>not a zip</html>".getBytes(StandardCharsets.UTF_8), 400,
                        "not a zip archive"),
                Arguments.of("bomb", zip().file("index.html", HTML).zeros("img/zeros.png", 50).bytes(), 413,
                        "zip entry 'img/zeros.png': inflates more than 200 times"),
                Arguments.of("many small bombs", bombs.bytes(), 413, "larger than 10485760 bytes once uncompressed"),
                Arguments.of("too many entries", crowded.bytes(), 413, "lists 1001 entries"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileZips")
    void hostileZipsAreRefusedNamingTheEntryAndNothingIsPublished(String name, byte[] zip, int status, String detail) {
        String deployId = Api.createDeploy(project, "Hostile " + name);
        zipCall(zip).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(status).contentType("application/problem+json")
                .body("code", equalTo(status == 413 ? "payload_too_large" : "invalid_request"),
                        "detail", allOf(containsString(detail)), "instance", startsWith("/v1/deploys/"));
        project.call().get("/v1/deploys/" + deployId).then()
                .body("versionCount", equalTo(0), "latestVersionId", nullValue());
    }
}
