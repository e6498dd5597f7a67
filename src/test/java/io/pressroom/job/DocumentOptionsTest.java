package io.pressroom.job;

import static io.pressroom.job.RenderFlowTest.awaitTerminal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.PdfA;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** PDF/A, metadata and protection through the whole pipeline, asserted on the PDF the client downloads. */
@QuarkusTest
class DocumentOptionsTest {

    private static final String HTML = "<h1>Statement</h1><h2>March</h2><p>Balance: EUR 1,234.56</p>";
    private static final String USER_PASSWORD = "user-Pw-7f3a9c";
    private static final String OWNER_PASSWORD = "owner-Pw-b81e20";

    @Inject
    Pool database;

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
    }

    @Test
    void aPdfaJobIsAValidPdfAWithItsMetadata() throws Exception {
        String jobId = create(Map.of("pdfa", "2b", "outline", true,
                "metadata", Map.of("title", "Statement March", "author", "Contoso Billing")));

        byte[] pdf = output(jobId);

        assertThat(PdfA.failedRules(pdf, "2b")).as("veraPDF PDF/A-2b failures").isEmpty();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getDocumentInformation().getTitle()).isEqualTo("Statement March");
            assertThat(document.getDocumentInformation().getAuthor()).isEqualTo("Contoso Billing");
            assertThat(document.getDocumentCatalog().getDocumentOutline().getFirstChild().getTitle())
                    .isEqualTo("Statement");
        }
    }

    @Test
    void aProtectedJobIsEncryptedAndItsPasswordsAreGoneOnceItSucceeded() throws Exception {
        String jobId = create(Map.of("protect", Map.of("userPassword", USER_PASSWORD, "ownerPassword", OWNER_PASSWORD,
                "permissions", Map.of("print", true, "copy", false, "modify", false))));

        byte[] pdf = output(jobId);

        assertThatThrownBy(() -> Loader.loadPDF(pdf).close()).isInstanceOf(InvalidPasswordException.class);
        try (PDDocument document = Loader.loadPDF(pdf, USER_PASSWORD)) {
            assertThat(document.getEncryption().getLength()).isEqualTo(256);
            assertThat(document.getCurrentAccessPermission().canPrint()).isTrue();
            assertThat(document.getCurrentAccessPermission().canExtractContent()).isFalse();
            assertThat(document.getCurrentAccessPermission().canModify()).isFalse();
        }
        String read = project.call().get("/v1/render-jobs/" + jobId).then().statusCode(200).extract().asString();
        String stored = database.preparedQuery("""
                SELECT CAST(j AS text)
                    || coalesce((SELECT string_agg(CAST(o AS text), ' ') FROM outbox o WHERE o.message_key = j.id), '')
                    || coalesce((SELECT string_agg(CAST(e AS text), ' ') FROM job_events e WHERE e.job_id = j.id), '')
                    AS everything
                FROM render_jobs j WHERE j.id = $1""").execute(Tuple.of(jobId)).await().indefinitely().iterator()
                .next().getString("everything");
        for (String password : new String[] { USER_PASSWORD, OWNER_PASSWORD }) {
            assertThat(read).as("the job read").doesNotContain(password);
            assertThat(stored).as("the job's rows").contains(jobId).doesNotContain(password);
        }
        assertThat(stored).as("the permissions stay").contains("permissions");
    }

    @Test
    void badDocumentOptionsAreRefusedNamingTheFieldAndCreateNothing() {
        refused(Map.of("pdfa", "1a"), "options.pdfa");
        refused(Map.of("pdfa", "2b", "protect", Map.of("userPassword", "x")), "options.protect");
        refused(Map.of("protect", Map.of("userPassword", "x", "permissions", Map.of("print", false))),
                "options.protect.ownerPassword");
        refused(Map.of("protect", Map.of()), "options.protect");
        refused(Map.of("protect", Map.of("ownerPassword", "p".repeat(129))), "options.protect.ownerPassword");
        refused(Map.of("metadata", Map.of("title", "t".repeat(501))), "options.metadata.title");
        refused(Map.of("metadata", Map.of("titel", "x")), "options.metadata.titel");
        refused(Map.of("outline", "yes"), "options.outline");
        project.call().get("/v1/render-jobs").then().statusCode(200).body("data", hasSize(0));
    }

    private void refused(Map<String, Object> options, String field) {
        project.call().body(Map.of("html", HTML, "options", options)).post("/v1/render-jobs").then().statusCode(400)
                .body("detail", startsWith(field));
    }

    private String create(Map<String, Object> options) {
        Map<String, Object> request = new HashMap<>();
        request.put("html", HTML);
        request.put("options", options);
        return project.call().body(request).post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
    }

    private byte[] output(String jobId) {
        JsonPath done = awaitTerminal(project, jobId);
        assertThat(done.getString("job.status")).as(done.prettify()).isEqualTo("succeeded");
        return project.call().get("/v1/render-jobs/" + jobId + "/output").then().statusCode(200)
                .contentType("application/pdf").extract().asByteArray();
    }
}
