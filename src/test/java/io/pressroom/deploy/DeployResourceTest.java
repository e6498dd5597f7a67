package io.pressroom.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.bundle.BundleFile;
import io.pressroom.bundle.BundleStorage;
import io.pressroom.common.Hashes;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
class DeployResourceTest {

    @Inject
    BundleStorage bundles;

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void versionBundleRoundTripsThroughStorageByteForByte() {
        String deployId = Api.createDeploy(project, "Invoice");
        byte[] logo = new byte[4096];
        new Random(42).nextBytes(logo);
        String css = "body { font-family: sans-serif }";
        String html = "<html><head><link rel=\"stylesheet\" href=\"css/site.css\"></head><body>{{customer}}"
                + "<img src=\"img/logo.png\"></body></html>";

        JsonPath created = project.call()
                .body(Map.of("html", html, "assets", List.of(
                        Map.of("path", "css/site.css", "contentType", "text/css",
                                "base64", Base64.getEncoder().encodeToString(css.getBytes(StandardCharsets.UTF_8))),
                        Map.of("path", "img/logo.png", "contentType", "image/png",
                                "base64", Base64.getEncoder().encodeToString(logo)))))
                .post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(201)
                .header("Location", containsString("/v1/deploys/" + deployId + "/versions/dv_"))
                .body("id", startsWith("dv_"), "number", equalTo(1), "sha256", matchesPattern("[0-9a-f]{64}"),
                        "bytes", equalTo(html.length() + css.length() + logo.length), "createdAt", notNullValue())
                .extract().jsonPath();
        String versionId = created.getString("id");

        String prefix = BundleStorage.prefix(project.id(), deployId, versionId);
        assertThat(bundles.file(prefix, "index.html")).isEqualTo(html.getBytes(StandardCharsets.UTF_8));
        assertThat(bundles.file(prefix, "css/site.css")).isEqualTo(css.getBytes(StandardCharsets.UTF_8));
        assertThat(bundles.file(prefix, "img/logo.png")).isEqualTo(logo);
        assertThat(bundles.manifest(prefix)).extracting(BundleFile::path)
                .containsExactly("css/site.css", "img/logo.png", "index.html");
        assertThat(bundles.manifest(prefix)).filteredOn(f -> f.path().equals("img/logo.png"))
                .extracting(BundleFile::sha256).containsExactly(Hashes.sha256Hex(logo));

        project.call().get("/v1/deploys/" + deployId + "/versions/latest").then().statusCode(200)
                .body("id", equalTo(versionId), "sha256", equalTo(created.getString("sha256")),
                        "files", hasSize(3));
        project.call().get("/v1/deploys/" + deployId).then().statusCode(200)
                .body("latestVersionId", equalTo(versionId), "versionCount", equalTo(1));
    }

    @Test
    void newVersionsAreNumberedAndBecomeLatest() {
        String deployId = Api.createDeploy(project, "Report");
        project.call().get("/v1/deploys/" + deployId + "/versions/latest").then().statusCode(404);
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = project.call().body(Map.of("html", "<p>v" + i + " {{x}}</p>"))
                    .post("/v1/deploys/" + deployId + "/versions")
                    .then().statusCode(201).body("number", equalTo(i + 1)).extract().path("id");
        }
        project.call().get("/v1/deploys/" + deployId + "/versions/latest").then().body("id", equalTo(ids[2]));
        project.call().get("/v1/deploys/" + deployId + "/versions/" + ids[0]).then().statusCode(200)
                .body("number", equalTo(1));

        JsonPath first = project.call().queryParam("limit", 2).get("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(200).body("data.number", equalTo(List.of(3, 2))).extract().jsonPath();
        project.call().queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor"))
                .get("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(200).body("data.number", equalTo(List.of(1)), "nextCursor", nullValue());
    }

    private String publish(String deployId, String html) {
        return project.call().body(Map.of("html", html)).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(201).extract().path("id");
    }

    private ValidatableResponse moveLatest(TestProject as, String deployId, Object body) {
        return as.call().body(body).put("/v1/deploys/" + deployId + "/latest").then();
    }

    @Test
    void latestCanBeMovedBackAndJobsCreatedAfterwardsUseThatVersion() {
        String deployId = project.call().body(Map.of("name", "Rollback", "slug", "rollback")).post("/v1/deploys")
                .then().statusCode(201).extract().path("id");
        String v1 = publish(deployId, "<p>one {{customer}}</p>");
        String v2 = publish(deployId, "<p>two {{customer}}</p>");
        long publishedAt = project.call().get("/v1/deploys/" + deployId).then().body("latestVersionId", equalTo(v2))
                .extract().jsonPath().getLong("updatedAt");

        long movedAt = moveLatest(project, deployId, Map.of("versionId", v1)).statusCode(200)
                .contentType("application/json")
                .body("id", equalTo(deployId), "latestVersionId", equalTo(v1), "versionCount", equalTo(2))
                .extract().jsonPath().getLong("updatedAt");
        assertThat(movedAt).isGreaterThan(publishedAt);
        project.call().get("/v1/deploys/" + deployId + "/versions/latest").then().statusCode(200)
                .body("id", equalTo(v1), "number", equalTo(1));

        project.call().body(Map.of("deployId", deployId, "payload", Map.of("customer", "Acme")))
                .post("/v1/render-jobs").then().statusCode(202)
                .body("job.deployId", equalTo(deployId), "job.deployVersionId", equalTo(v1));
        project.call().body(Map.of("deployId", "rollback", "deployVersionId", "latest", "payload", Map.of()))
                .post("/v1/render-jobs").then().statusCode(202).body("job.deployVersionId", equalTo(v1));

        // forward again, by slug; a new version becomes latest as always
        moveLatest(project, "rollback", Map.of("versionId", v2)).statusCode(200).body("latestVersionId", equalTo(v2));
        String v3 = publish(deployId, "<p>three {{customer}}</p>");
        project.call().get("/v1/deploys/" + deployId).then().body("latestVersionId", equalTo(v3),
                "versionCount", equalTo(3));
    }

    @Test
    void latestMovesOnlyToAVersionOfTheSameDeploy() {
        String deployId = Api.createDeploy(project, "Pinned");
        String own = publish(deployId, "<p>own {{x}}</p>");
        String sibling = publish(Api.createDeploy(project, "Sibling"), "<p>sibling {{x}}</p>");
        TestProject stranger = Api.newProject();
        String strangersDeploy = Api.deployWith(stranger, "<p>stranger {{x}}</p>");
        String strangersVersion = stranger.call().get("/v1/deploys/" + strangersDeploy + "/versions/latest").then()
                .extract().path("id");

        moveLatest(project, deployId, Map.of("versionId", sibling)).statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("not_found"));
        moveLatest(project, deployId, Map.of("versionId", strangersVersion)).statusCode(404);
        moveLatest(project, deployId, Map.of("versionId", "dv_01hzzzzzzzzzzzzzzzzzzzzzzz")).statusCode(404);
        moveLatest(project, deployId, Map.of("versionId", "latest")).statusCode(404);
        moveLatest(stranger, deployId, Map.of("versionId", own)).statusCode(404);
        moveLatest(project, "dpl_01hzzzzzzzzzzzzzzzzzzzzzzz", Map.of("versionId", own)).statusCode(404);
        moveLatest(project, deployId, Map.of()).statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_request"), "detail", startsWith("versionId"));
        moveLatest(project, deployId, Map.of("versionId", " ")).statusCode(400).body("detail", startsWith("versionId"));
        project.call().put("/v1/deploys/" + deployId + "/latest").then().statusCode(400);

        project.call().get("/v1/deploys/" + deployId).then().body("latestVersionId", equalTo(own));
        stranger.call().get("/v1/deploys/" + strangersDeploy).then().body("latestVersionId", equalTo(strangersVersion));
    }

    @Test
    void slugsAreUniquePerProjectAndResolve() {
        String id = project.call().body(Map.of("name", "Contract", "slug", "contract")).post("/v1/deploys")
                .then().statusCode(201).body("slug", equalTo("contract")).extract().path("id");
        project.call().body(Map.of("name", "Contract 2", "slug", "contract")).post("/v1/deploys")
                .then().statusCode(409).contentType("application/problem+json").body("code", equalTo("slug_taken"));
        project.call().get("/v1/deploys/contract").then().statusCode(200).body("id", equalTo(id));
        // derived slugs never collide
        String a = project.call().body(Map.of("name", "Monthly Report!")).post("/v1/deploys").then().statusCode(201)
                .body("slug", equalTo("monthly-report")).extract().path("slug");
        String b = project.call().body(Map.of("name", "Monthly report")).post("/v1/deploys").then().statusCode(201)
                .extract().path("slug");
        assertThat(b).startsWith("monthly-report-").isNotEqualTo(a);
        project.call().body(Map.of("name", "x", "slug", "Bad Slug")).post("/v1/deploys").then().statusCode(400)
                .body("detail", startsWith("slug"));
    }

    @Test
    void templatesThatDoNotCompileAreRejectedNamingTheLine() {
        String deployId = Api.createDeploy(project, "Broken");
        project.call().body(Map.of("html", "<html>\n<body>\n{{#each items}}<p>{{name}}</p>\n</body>"))
                .post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("template_error"), "detail", containsString("line "));
        project.call().get("/v1/deploys/" + deployId).then().body("versionCount", equalTo(0),
                "latestVersionId", nullValue());
    }

    @Test
    void badBodiesAre400NamingTheField() {
        String deployId = Api.createDeploy(project, "Validated");
        String versions = "/v1/deploys/" + deployId + "/versions";
        project.call().body(Map.of()).post(versions).then().statusCode(400).body("detail", startsWith("html"));
        project.call().body(Map.of("html", "x", "assets", List.of(Map.of("path", "../../etc/passwd",
                "contentType", "text/plain", "base64", "eA==")))).post(versions)
                .then().statusCode(400).body("detail", startsWith("assets[0].path"));
        project.call().body(Map.of("html", "x", "assets", List.of(Map.of("path", "a.css",
                "contentType", "text/css", "base64", "%%%")))).post(versions)
                .then().statusCode(400).body("detail", startsWith("assets[0].base64"));
        project.call().body(Map.of("html", "x", "assets", List.of(Map.of("path", "a.css")))).post(versions)
                .then().statusCode(400).body("detail", containsString("assets[0].contentType"));
        project.call().body("{\"html\": ").post(versions).then().statusCode(400)
                .contentType("application/problem+json");
        project.call().body(Map.of("html", List.of(1))).post(versions).then().statusCode(400)
                .body("detail", startsWith("html"));
        project.call().body(Map.of()).post("/v1/deploys").then().statusCode(400).body("detail", startsWith("name"));
        project.call().get(versions).then().statusCode(200).body("data", hasSize(0));
    }

    @Test
    void listingIsNewestFirstWithACursor() {
        TestProject fresh = Api.newProject();
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = fresh.call().body(Map.of("name", "D" + i)).post("/v1/deploys").then().statusCode(201)
                    .extract().path("id");
        }
        String cursor = fresh.call().queryParam("limit", 2).get("/v1/deploys").then().statusCode(200)
                .body("data.id", equalTo(List.of(ids[2], ids[1]))).extract().path("nextCursor");
        fresh.call().queryParam("limit", 2).queryParam("cursor", cursor).get("/v1/deploys").then()
                .body("data.id", equalTo(List.of(ids[0])), "nextCursor", nullValue());
        fresh.call().queryParam("limit", 0).get("/v1/deploys").then().statusCode(400).body("detail", startsWith("limit"));
        fresh.call().queryParam("limit", 101).get("/v1/deploys").then().statusCode(400);
        fresh.call().queryParam("cursor", "!!").get("/v1/deploys").then().statusCode(400)
                .body("detail", startsWith("cursor"));
    }

    @Test
    void unknownThingsAre404() {
        project.call().get("/v1/deploys/dpl_01hzzzzzzzzzzzzzzzzzzzzzzz").then().statusCode(404)
                .body("code", equalTo("not_found"));
        project.call().get("/v1/deploys/no-such-slug").then().statusCode(404);
        String deployId = Api.createDeploy(project, "Known");
        project.call().get("/v1/deploys/" + deployId + "/versions/dv_unknown").then().statusCode(404);
        project.call().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }
}
