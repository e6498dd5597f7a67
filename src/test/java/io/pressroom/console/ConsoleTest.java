package io.pressroom.console;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The web console over the real stack: open shells, authenticated fragments, escaped data, strict headers. */
@QuarkusTest
class ConsoleTest {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Test
    void pagesAreStaticShellsServedWithoutAKeyUnderAStrictPolicy() {
        for (String page : List.of("/console", "/console/jobs", "/console/jobs/rj_01m84qd3w1v9d3cawbnr7tarnw",
                "/console/deploys", "/console/deploys/invoice", "/console/usage")) {
            String html = given().get(page).then().statusCode(200).contentType(startsWith("text/html"))
                    .header("Content-Security-Policy", POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .header("Cache-Control", "no-store")
                    .extract().asString();
            assertThat(html).as(page).contains("<label for=\"api-key\">API key</label>", "type=\"password\"",
                    "/console/assets/htmx.min.js");
            // nothing inline that the policy would have to allow
            assertThat(html).as(page)
                    .doesNotContainPattern("<script>|<script [^>]*>[^<]|<style|style=|hx-on|onclick=|javascript:");
        }
        given().get("/console/jobs/<script>").then().statusCode(404);
    }

    @Test
    void assetsAreServedFromTheApiWithTheirTypes() {
        given().get("/console/assets/htmx.min.js").then().statusCode(200).contentType(startsWith("text/javascript"))
                .header("Content-Security-Policy", POLICY).body(containsString("htmx"));
        given().get("/console/assets/console.js").then().statusCode(200).contentType(startsWith("text/javascript"))
                .body(containsString("htmx:configRequest"));
        given().get("/console/assets/console.css").then().statusCode(200).contentType(startsWith("text/css"));
        given().get("/console/assets/application.properties").then().statusCode(404);
    }

    @Test
    void fragmentsRefuseWithoutAValidKey() {
        for (String fragment : List.of("/console/fragments/jobs", "/console/fragments/jobs/rj_x",
                "/console/fragments/deploys", "/console/fragments/deploys/invoice", "/console/fragments/usage")) {
            given().get(fragment).then().statusCode(401).contentType("application/problem+json")
                    .header("Content-Security-Policy", POLICY).body("code", equalTo("unauthorized"));
            Api.as("prk_not_a_real_key_but_well_formed_000000000").get(fragment).then().statusCode(401);
        }
        given().post("/console/fragments/jobs/rj_x/cancel").then().statusCode(401);
        given().contentType(ContentType.URLENC).formParam("acknowledged", "true")
                .post("/console/fragments/jobs/rj_x/acknowledge").then().statusCode(401);
        given().contentType(ContentType.URLENC).formParam("versionId", "dv_x")
                .post("/console/fragments/deploys/invoice/latest").then().statusCode(401);
        // the admin key is no project key
        Api.admin().get("/console/fragments/jobs").then().statusCode(401);
    }

    @Test
    void userDataIsEscaped() {
        TestProject project = Api.newProject();
        String attack = "<script>alert('pwned')</script>";
        String jobId = project.call().body(Map.of("html", "<p>hello</p>", "businessKey", attack,
                "meta", Map.of("note", "<img src=x onerror=alert(1)>"))).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");

        String list = html(project).get("/console/fragments/jobs").then().statusCode(200)
                .contentType(startsWith("text/html")).header("Content-Security-Policy", POLICY).extract().asString();
        assertThat(list).contains(jobId, "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;", "&lt;img src=x")
                .doesNotContain("<script>", "<img src=x");

        String page = html(project).get("/console/fragments/jobs/" + jobId).then().statusCode(200).extract()
                .asString();
        assertThat(page).contains("&lt;script&gt;alert(").doesNotContain("<script>", "<img src=x");
        // another project sees nothing of it
        html(Api.newProject()).get("/console/fragments/jobs/" + jobId).then().statusCode(404);
        assertThat(html(Api.newProject()).get("/console/fragments/jobs").then().statusCode(200).extract().asString())
                .doesNotContain(jobId);
    }

    @Test
    void aJobPageShowsPreviewsLinksAndActsOnTheJob() {
        TestProject project = Api.newProject();
        String jobId = project.call().body(Map.of("html", "<h1>Console</h1>", "formats", List.of("pdf", "png")))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        assertThat(awaitTerminal(project, jobId).getString("job.status")).isEqualTo("succeeded");

        String page = html(project).get("/console/fragments/jobs/" + jobId).then().statusCode(200).extract()
                .asString();
        assertThat(page).contains("data-authed-src=\"/v1/render-jobs/" + jobId + "/output/pages/1.png\"",
                "href=\"/v1/downloads/", "Acknowledge").doesNotContain("Cancel the job");
        String inline = page.replaceAll("(?s).*href=\"(/v1/downloads/[^\"]+)\" target=.*", "$1");
        given().get(inline).then().statusCode(200).contentType("application/pdf");

        String acknowledged = html(project).contentType(ContentType.URLENC).formParam("acknowledged", "true")
                .post("/console/fragments/jobs/" + jobId + "/acknowledge").then().statusCode(200).extract().asString();
        assertThat(acknowledged).contains("Mark not acknowledged");
        project.call().get("/v1/render-jobs/" + jobId).then().body("job.acknowledged", equalTo(true));
        html(project).contentType(ContentType.URLENC).formParam("acknowledged", "maybe")
                .post("/console/fragments/jobs/" + jobId + "/acknowledge").then().statusCode(400);
        // a finished job cannot be cancelled: the API's 409, as problem+json
        html(project).post("/console/fragments/jobs/" + jobId + "/cancel").then().statusCode(409)
                .contentType("application/problem+json");

        html(project).get("/console/fragments/jobs?status=succeeded").then().statusCode(200)
                .body(containsString(jobId));
        html(project).get("/console/fragments/jobs?status=failed").then().statusCode(200)
                .body(not(containsString(jobId)));
        html(project).get("/console/fragments/jobs?status=bogus").then().statusCode(400);
    }

    @Test
    void aTemplatePageShowsVersionsSchemaSampleAndRollsBack() {
        TestProject project = Api.newProject();
        String deployId = Api.createDeploy(project, "Invoice <b>");
        Map<String, Object> schema = Map.of("type", "object", "required", List.of("customer"),
                "properties", Map.of("customer", Map.of("type", "string", "description", "who </textarea><script>")));
        String v1 = project.call().body(Map.of("html", "<p>{{customer}}</p>", "schema", schema, "samplePayload",
                Map.of("customer", "Acme </textarea><script>x</script>"))).post("/v1/deploys/" + deployId + "/versions")
                .then().statusCode(201).extract().path("id");
        String v2 = project.call().body(Map.of("html", "<p>v2 {{customer}}</p>"))
                .post("/v1/deploys/" + deployId + "/versions").then().statusCode(201).extract().path("id");

        String page = html(project).get("/console/fragments/deploys/" + deployId).then().statusCode(200).extract()
                .asString();
        assertThat(page).contains("Invoice &lt;b&gt;", v1, v2, "Make v1 latest", "This version has no schema",
                "data-preview=\"/v1/deploys/" + deployId + "/versions/" + v2 + "/preview\"")
                .doesNotContain("Make v2 latest");

        String first = html(project).get("/console/fragments/deploys/" + deployId + "?version=" + v1).then()
                .statusCode(200).extract().asString();
        assertThat(first).contains("&quot;customer&quot;", "Acme &lt;/textarea&gt;&lt;script&gt;")
                .doesNotContain("</textarea><script>");

        String rolledBack = html(project).contentType(ContentType.URLENC).formParam("versionId", v1)
                .post("/console/fragments/deploys/" + deployId + "/latest").then().statusCode(200).extract()
                .asString();
        assertThat(rolledBack).contains("Make v2 latest").doesNotContain("Make v1 latest");
        project.call().get("/v1/deploys/" + deployId).then().body("latestVersionId", equalTo(v1));

        assertThat(html(project).get("/console/fragments/deploys").then().statusCode(200).extract().asString())
                .contains("/console/deploys/" + deployId, "Invoice &lt;b&gt;");
        html(project).contentType(ContentType.URLENC).formParam("versionId", "dv_nope")
                .post("/console/fragments/deploys/" + deployId + "/latest").then().statusCode(404);
    }

    @Test
    void usageIsDrawnAsSvgBars() {
        TestProject project = Api.newProject();
        String jobId = project.call().body(Map.of("html", "<p>counted</p>")).post("/v1/render-jobs").then()
                .statusCode(202).extract().path("job.id");
        awaitTerminal(project, jobId);
        String usage = html(project).get("/console/fragments/usage").then().statusCode(200).extract().asString();
        assertThat(usage).contains("<svg role=\"img\"", "Jobs by status", "succeeded: 1 jobs", "pages: 1",
                "Pages per day, last 14 days");
    }

    private static RequestSpecification html(TestProject project) {
        return given().header("Authorization", "Bearer " + project.key()).accept(ContentType.HTML);
    }
}
