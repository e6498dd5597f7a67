package io.pressroom.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pressroom.common.Hashes;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.pressroom.testing.Pdfs;
import io.pressroom.testing.WebhookReceiver;
import io.pressroom.testing.WebhookReceiver.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Batches end to end, over real PostgreSQL, Kafka, S3 and Chromium: one job per item, the merged PDF in item order,
 * the zip, cancel, the batch webhooks, idempotency, the all-or-nothing refusals, and an assembly taken over after the
 * pod that claimed it died.
 */
@QuarkusTest
class BatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each item prints {@code pages} pages, each saying which item and page it is. */
    private static final String PAGES = "{{#each pages}}<p style='page-break-after: always'>item {{../n}} page {{this}}</p>{{/each}}";
    private static final Duration RENDER = Duration.ofSeconds(120);

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    private TestProject project;
    private String deployId;

    @BeforeEach
    void newProject() {
        project = Api.newProject();
        deployId = Api.deployWith(project, PAGES);
    }

    private static Map<String, Object> item(int n, int pages) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("payload", Map.of("n", n, "pages", IntStream.rangeClosed(1, pages).boxed().toList()));
        item.put("businessKey", "statement-" + n);
        item.put("meta", Map.of("n", n));
        return item;
    }

    private Map<String, Object> batch(List<Map<String, Object>> items, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deployId", deployId);
        body.put("items", items);
        body.putAll(extra);
        return body;
    }

    private String create(Map<String, Object> body) {
        return project.call().body(body).post("/v1/render-batches").then().statusCode(202)
                .header("Location", containsString("/v1/render-batches/rb_")).body("accepted", equalTo(true))
                .extract().path("batch.id");
    }

    private JsonPath awaitBatch(String batchId, String... statuses) {
        return await().atMost(RENDER).pollInterval(Duration.ofMillis(300))
                .until(() -> project.call().get("/v1/render-batches/" + batchId).then().statusCode(200).extract()
                        .jsonPath(), batch -> Arrays.asList(statuses).contains(batch.getString("batch.status")));
    }

    @Test
    void aMergedBatchIsOnePdfOfEveryItemsPagesInItemOrderAndTheZipHoldsEachItemsPdf() throws Exception {
        String secret = project.call().get("/v1/webhooks/job-secret").then().statusCode(200).extract().path("secret");
        int[] pages = { 1, 2, 1, 3, 1 };
        List<Map<String, Object>> items = new ArrayList<>();
        for (int n = 0; n < pages.length; n++) {
            items.add(item(n + 1, pages[n]));
        }
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String batchId = create(batch(items, Map.of("merge", true, "zip", true,
                    "webhookUrl", receiver.url("/batch"))));
            JsonPath done = awaitBatch(batchId, "succeeded", "failed", "cancelled");
            assertThat(done.getString("batch.status")).isEqualTo("succeeded");
            assertThat(done.getInt("batch.itemCount")).isEqualTo(5);
            assertThat(done.getInt("batch.counts.succeeded")).isEqualTo(5);
            assertThat(done.getList("outputs.kind")).containsExactly("merged", "zip");
            assertThat(done.getInt("outputs[0].pageCount")).isEqualTo(8);

            // the merged PDF: every item's pages, in item order
            byte[] merged = project.call().get("/v1/render-batches/" + batchId + "/output?kind=merged").then()
                    .statusCode(200).contentType("application/pdf").extract().asByteArray();
            assertThat(done.getString("outputs[0].sha256")).isEqualTo(Hashes.sha256Hex(merged));
            Pdfs.Pdf pdf = Pdfs.read(merged);
            assertThat(pdf.pages()).isEqualTo(8);
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < pages.length; n++) {
                for (int page = 1; page <= pages[n]; page++) {
                    expected.add("item " + (n + 1) + " page " + page);
                }
            }
            assertThat(pdf.pageTexts().stream().map(String::strip).toList()).containsExactlyElementsOf(expected);

            // the zip, through a signed link like a job's output: five entries, each the item's PDF, in order
            String url = project.call().post("/v1/render-batches/" + batchId + "/output-download?kind=zip").then()
                    .statusCode(200).extract().path("access.url");
            byte[] zip = RestAssured.given().get(url).then().statusCode(200).contentType("application/zip")
                    .header("Content-Disposition", containsString(batchId + ".zip")).extract().asByteArray();
            assertThat(Hashes.sha256Hex(zip)).isEqualTo(done.getString("outputs[1].sha256"));
            List<String> names = new ArrayList<>();
            List<Integer> entryPages = new ArrayList<>();
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                    names.add(entry.getName());
                    byte[] entryBytes = in.readAllBytes();
                    assertThat(new String(entryBytes, 0, 5)).isEqualTo("%PDF-");
                    entryPages.add(Pdfs.read(entryBytes).pages());
                }
            }
            assertThat(names).containsExactly("0001-statement-1.pdf", "0002-statement-2.pdf", "0003-statement-3.pdf",
                    "0004-statement-4.pdf", "0005-statement-5.pdf");
            assertThat(entryPages).containsExactly(1, 2, 1, 3, 1);

            // the items are normal jobs, linked to the batch
            assertThat(project.call().get("/v1/render-jobs?batchId=" + batchId).then().statusCode(200).extract()
                    .<List<String>> path("data.batchId")).hasSize(5).containsOnly(batchId);
            JsonPath page1 = project.call().get("/v1/render-batches/" + batchId + "/items?limit=2").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(page1.getList("data.index")).containsExactly(0, 1);
            assertThat(page1.getList("data.businessKey")).containsExactly("statement-1", "statement-2");
            JsonPath page2 = project.call().get("/v1/render-batches/" + batchId + "/items?limit=10&cursor="
                    + page1.getString("nextCursor")).then().statusCode(200).extract().jsonPath();
            assertThat(page2.getList("data.index")).containsExactly(2, 3, 4);
            assertThat(page2.getList("data.status")).containsOnly("succeeded");
            assertThat(page2.getString("nextCursor")).isNull();

            // batch.succeeded, once, signed like a job's webhook, with the batch record
            await().atMost(RENDER).until(() -> receiver.received("/batch").size() == 1);
            Received webhook = receiver.received("/batch").get(0);
            assertThat(webhook.signedWith(secret)).isTrue();
            JsonNode body = JSON.readTree(webhook.body());
            assertThat(body.path("type").asText()).isEqualTo("batch.succeeded");
            assertThat(body.path("data").path("batch").path("id").asText()).isEqualTo(batchId);
            assertThat(body.path("data").path("outputs")).hasSize(2);

            // another project sees none of it
            Api.newProject().call().get("/v1/render-batches/" + batchId).then().statusCode(404);
        }
    }

    @Test
    void cancellingABatchCancelsItsUnfinishedItemsAndSendsBatchFailed() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int n = 1; n <= 5; n++) {
                items.add(item(n, 1));
            }
            // each render waits 20 s: none ends before the cancel
            String batchId = create(batch(items, Map.of("merge", true, "webhookUrl", receiver.url("/batch"),
                    "options", Map.of("waitDelayMs", 20000))));
            project.call().post("/v1/render-batches/" + batchId + "/cancel").then().statusCode(200)
                    .body("batch.id", equalTo(batchId));
            JsonPath done = awaitBatch(batchId, "succeeded", "failed", "cancelled");
            assertThat(done.getString("batch.status")).isEqualTo("cancelled");
            assertThat(done.getString("batch.errorCode")).isEqualTo("batch_cancelled");
            assertThat(done.getInt("batch.counts.cancelled")).isEqualTo(5);
            assertThat(done.getList("outputs")).isEmpty();
            assertThat(project.call().get("/v1/render-jobs?batchId=" + batchId).then().extract()
                    .<List<String>> path("data.status")).hasSize(5).containsOnly("cancelled");

            await().atMost(RENDER).until(() -> receiver.received("/batch").size() == 1);
            JsonNode body = JSON.readTree(receiver.received("/batch").get(0).body());
            assertThat(body.path("type").asText()).isEqualTo("batch.failed");
            assertThat(body.path("data").path("batch").path("status").asText()).isEqualTo("cancelled");

            // an ended batch is not cancelled again, and has no merged PDF
            project.call().post("/v1/render-batches/" + batchId + "/cancel").then().statusCode(409)
                    .contentType("application/problem+json").body("code", equalTo("batch_not_cancellable"));
            project.call().get("/v1/render-batches/" + batchId + "/output?kind=merged").then().statusCode(404)
                    .body("code", equalTo("output_not_found"));
        }
    }

    @Test
    void theSameIdempotencyKeyAndBodyGiveTheSameBatchAndAnotherBodyIsAConflict() {
        Map<String, Object> body = batch(List.of(item(1, 1), item(2, 1)), Map.of());
        JsonPath first = project.call().header("Idempotency-Key", "batch-1").body(body).post("/v1/render-batches")
                .then().statusCode(202).extract().jsonPath();
        JsonPath again = project.call().header("Idempotency-Key", "batch-1").body(body).post("/v1/render-batches")
                .then().statusCode(202).extract().jsonPath();
        assertThat(again.getString("batch.id")).isEqualTo(first.getString("batch.id"));
        assertThat(project.call().get("/v1/render-jobs?limit=100").then().extract().<List<String>> path("data.id"))
                .hasSize(2);
        project.call().header("Idempotency-Key", "batch-1").body(batch(List.of(item(1, 1)), Map.of()))
                .post("/v1/render-batches").then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("idempotency_key_reused"));
        awaitBatch(first.getString("batch.id"), "succeeded");
    }

    @Test
    void badBatchesAreRefusedWithTheFieldNamedAndCreateNothing() {
        String schemaDeploy = Api.createDeploy(project, "Contracted");
        project.call().body(Map.of("html", "<p>{{customer.name}}</p>", "schema", Map.of("type", "object",
                "required", List.of("customer"), "properties", Map.of("customer", Map.of("type", "object",
                        "required", List.of("name"))))))
                .post("/v1/deploys/" + schemaDeploy + "/versions").then().statusCode(201);
        Map<String, Object> good = Map.of("payload", Map.of("customer", Map.of("name", "Ada")));
        Map<String, Object> nameless = Map.of("payload", Map.of("customer", Map.of()));
        List<Map<String, Object>> items = List.of(good, good, good, nameless, good);

        project.call().body(Map.of("deployId", schemaDeploy, "items", items)).post("/v1/render-batches").then()
                .statusCode(400).contentType("application/problem+json").body("code", equalTo("payload_invalid"),
                        "detail", startsWith("items[3].payload: does not match the version's schema"),
                        "violations[0].pointer", equalTo("/items/3/payload/customer/name"));
        project.call().body(Map.of("deployId", deployId, "items", List.of())).post("/v1/render-batches").then()
                .statusCode(400).body("detail", startsWith("items: "));
        List<Map<String, Object>> tooMany = IntStream.range(0, 1001).mapToObj(i -> Map.<String, Object> of())
                .toList();
        project.call().body(Map.of("deployId", deployId, "items", tooMany)).post("/v1/render-batches").then()
                .statusCode(400).body("detail", startsWith("items: "));
        project.call().body(Map.of("deployId", deployId, "items", List.of(Map.of(),
                Map.of("meta", Map.of("big", "x".repeat(5000)))))).post("/v1/render-batches").then()
                .statusCode(400).body("detail", startsWith("items[1].meta: is larger than 4096 bytes"));
        project.call().body(Map.of("items", List.of(Map.of()))).post("/v1/render-batches").then()
                .statusCode(400).body("detail", startsWith("deployId: "));
        project.call().body(Map.of("deployId", deployId, "items", List.of(Map.of()), "options",
                Map.of("pdfa", "2b", "protect", Map.of("userPassword", "x")))).post("/v1/render-batches").then()
                .statusCode(400).body("detail", startsWith("options.protect: "));
        project.call().body(Map.of("deployId", deployId, "items", List.of(Map.of()), "merge", true))
                .post("/v1/render-batches/rb_nope/cancel").then().statusCode(404);

        // quota: a batch that would pass the monthly page quota is refused as a whole
        Api.admin().body(Map.of("monthlyPageQuota", 3)).patch("/v1/projects/" + project.id()).then().statusCode(200);
        project.call().body(batch(List.of(item(1, 1), item(2, 1), item(3, 1), item(4, 1)), Map.of()))
                .post("/v1/render-batches").then().statusCode(402).body("code", equalTo("quota_exceeded"));
        assertThat(project.call().get("/v1/render-jobs?limit=100").then().extract().<List<String>> path("data"))
                .isEmpty();
        // three fit
        create(batch(List.of(item(1, 1), item(2, 1), item(3, 1)), Map.of()));
    }

    @Test
    void aBatchOverTheUnfinishedJobCapIsRefusedAsAWhole() {
        // one job that renders for a while, then a batch of 1000: 1001 unfinished would pass the cap of 1000
        project.call().body(Map.of("html", "<p>slow</p>", "options", Map.of("waitDelayMs", 15000)))
                .post("/v1/render-jobs").then().statusCode(202);
        List<Map<String, Object>> items = IntStream.range(0, 1000).mapToObj(i -> Map.<String, Object> of())
                .toList();
        project.call().body(Map.of("deployId", deployId, "items", items)).post("/v1/render-batches").then()
                .statusCode(429).header("Retry-After", equalTo("10")).body("code", equalTo("queue_full"));
        assertThat(project.call().get("/v1/render-jobs?limit=100").then().extract().<List<String>> path("data"))
                .hasSize(1);
    }

    /**
     * A pod claimed the batch's assembly and died mid-merge: its lease ends, a sweep takes the batch over and
     * makes the merged PDF. Simulated in the database: the batch is put back as assembling, its outputs gone,
     * under a lease that ends in a moment.
     */
    @Test
    void anAssemblyWhosePodDiedIsTakenOverAfterItsLease() throws Exception {
        String batchId = create(batch(List.of(item(1, 2), item(2, 1)), Map.of("merge", true)));
        assertThat(awaitBatch(batchId, "succeeded", "failed").getString("batch.status")).isEqualTo("succeeded");
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password)) {
            execute(db, "DELETE FROM batch_outputs WHERE batch_id = ?", batchId);
            execute(db, "UPDATE render_batches SET status = 'assembling', finished_at = NULL, assembly_attempts = 1, "
                    + "assembly_lease_until = now() + interval '2 seconds' WHERE id = ?", batchId);
        }
        project.call().get("/v1/render-batches/" + batchId + "/output?kind=merged").then().statusCode(409)
                .body("code", equalTo("output_not_ready"));
        JsonPath done = awaitBatch(batchId, "succeeded", "failed");
        assertThat(done.getString("batch.status")).isEqualTo("succeeded");
        byte[] merged = project.call().get("/v1/render-batches/" + batchId + "/output?kind=merged").then()
                .statusCode(200).extract().asByteArray();
        assertThat(Pdfs.read(merged).pageTexts().stream().map(String::strip).toList())
                .containsExactly("item 1 page 1", "item 1 page 2", "item 2 page 1");
    }

    private static void execute(Connection db, String sql, String id) throws java.sql.SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, id);
            statement.executeUpdate();
        }
    }
}
