package io.pressroom.webhook.rest;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.pressroom.auth.Caller;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.ProblemExample;
import io.pressroom.common.ResponseExample;
import io.pressroom.webhook.repository.WebhookEndpoint;
import io.pressroom.webhook.service.JobWebhookSecrets;
import io.pressroom.webhook.service.WebhookService;
import io.smallrye.mutiny.Uni;

/** The project's webhook endpoints and the secret of per-job webhooks (docs/webhooks.md). */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Signed notifications of jobs that ended (Standard Webhooks)")
public class WebhookResource {

    private static final String WEBHOOK_ID = "The endpoint's id (wh_…)";
    private static final String EXAMPLE_WEBHOOK = "wh_01m84qd5k2c7h1a9t3x6rz0b4e";
    private static final String EVENTS = "Events sent to the endpoint: job.succeeded, job.failed, job.cancelled, batch.succeeded, "
            + "batch.failed; "
            + "all of them when absent";

    public record CreateWebhook(
            @NotBlank @Size(max = 2000) @Schema(description = "Absolute http(s) URL that receives the POSTs. Its host must be, or resolve only to, public addresses: loopback, private, link-local, multicast and reserved ones are refused unless the operator allows them (pressroom.webhooks.allow); redirects are not followed") String url,
            @Size(min = 1, max = 5) @Schema(description = EVENTS) List<@NotBlank String> events) {
    }

    public record WebhookView(String id, String url, List<String> events, long createdAt) {
        static WebhookView of(WebhookEndpoint endpoint) {
            return new WebhookView(endpoint.id, endpoint.url, Arrays.asList(endpoint.events),
                    endpoint.createdAt.toEpochMilli());
        }
    }

    /** The {@code secret} appears in this response only. */
    public record CreatedWebhook(String id, String url, List<String> events,
            @Schema(description = "whsec_…: verifies the signatures of this endpoint's webhooks; shown this once") String secret,
            long createdAt) {
        static CreatedWebhook of(WebhookService.WithSecret created) {
            WebhookEndpoint endpoint = created.endpoint();
            return new CreatedWebhook(endpoint.id, endpoint.url, Arrays.asList(endpoint.events), created.secret(),
                    endpoint.createdAt.toEpochMilli());
        }
    }

    /** The new {@code secret} appears in this response only. */
    public record RotatedSecret(String id,
            @Schema(description = "whsec_…: the endpoint's new secret; shown this once") String secret,
            @Schema(description = "Until when (epoch milliseconds) webhooks also carry a signature made with the "
                    + "previous secret") long previousSecretExpiresAt) {
        static RotatedSecret of(WebhookService.WithSecret rotated) {
            return new RotatedSecret(rotated.endpoint().id, rotated.secret(),
                    rotated.endpoint().previousSecretUntil.toEpochMilli());
        }
    }

    public record WebhookList(List<WebhookView> data) {
    }

    /** The new {@code secret} appears in this response only. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RotatedJobSecret(
            @Schema(description = "whsec_…: the project's new secret for per-job webhooks; shown this once") String secret,
            @Schema(description = "Until when (epoch milliseconds) per-job webhooks also carry a signature made with "
                    + "the previous secret; absent when there was none", nullable = true) Long previousSecretExpiresAt) {
    }

    public record JobSecret(
            @Schema(description = "whsec_…: verifies the signatures of webhooks sent to jobs' own webhookUrl") String secret) {
    }

    private final WebhookService webhooks;
    private final JobWebhookSecrets jobSecrets;
    private final Caller caller;

    public WebhookResource(WebhookService webhooks, JobWebhookSecrets jobSecrets, Caller caller) {
        this.webhooks = webhooks;
        this.jobSecrets = jobSecrets;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "createWebhookEndpoint", summary = "Create a webhook endpoint", description = "Each job of "
            + "the project that ends with a subscribed event is POSTed to the URL, signed with the endpoint's secret, "
            + "which this answer shows once. A project has at most pressroom.webhooks.max-endpoints-per-project "
            + "endpoints (20 by default).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "failuresOnly", summary = "Only jobs that failed or were cancelled", value = """
            {"url": "https://example.com/hooks/pressroom", "events": ["job.failed", "job.cancelled"]}""")))
    @APIResponse(responseCode = "201", description = "Created; the secret is in this response only", headers = @Header(name = "Location", description = "The endpoint's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = CreatedWebhook.class)))
    @ResponseExample(status = 201, name = "created", summary = "The secret is shown this once", value = """
            {
              "id": "wh_01m84qd5k2c7h1a9t3x6rz0b4e",
              "url": "https://example.com/hooks/pressroom",
              "events": ["job.failed", "job.cancelled"],
              "secret": "whsec_MJY//3EwsVzfaYhmHS0qf8tuS8NPTne8jwulxSG2R0c=",
              "createdAt": 1795455095210
            }""")
    @ProblemExample(status = 400, detail = "url: must be an absolute http(s) URL")
    @ProblemExample(status = 400, detail = "events[0]: must be one of job.succeeded, job.failed, job.cancelled, batch.succeeded, batch.failed")
    @ProblemExample(status = 400, detail = "url: must not point to a link-local address (169.254.169.254)")
    @ProblemExample(status = 409, code = "too_many_webhooks", detail = "the project has 20 webhook endpoints, the most "
            + "allowed; delete one before creating another")
    public Uni<Response> create(@Valid @NotNull CreateWebhook request) {
        return webhooks.create(caller.projectId(), request.url().strip(), request.events())
                .map(created -> Response.created(URI.create("/v1/webhooks/" + created.endpoint().id))
                        .entity(CreatedWebhook.of(created)).build());
    }

    @POST
    @Path("/{webhookId}/rotate-secret")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "rotateWebhookSecret", summary = "Rotate a webhook endpoint's secret", description = "Makes "
            + "a new secret and shows it this once. For an overlap window (pressroom.webhooks.secret-rotation-overlap, "
            + "24 h by default) each webhook to the endpoint carries two signatures in webhook-signature, one made "
            + "with the previous secret and one with the new, separated by a space; after it, only the new one. "
            + "Rotating again within the window drops the oldest secret. No request body.")
    @APIResponse(responseCode = "200", description = "Rotated; the new secret is in this response only", content = @Content(schema = @Schema(implementation = RotatedSecret.class)))
    @ResponseExample(status = 200, name = "rotated", summary = "The new secret is shown this once", value = """
            {
              "id": "wh_01m84qd5k2c7h1a9t3x6rz0b4e",
              "secret": "whsec_q3Vd0fJ8mS1cN5gQ2bXk7yT4hW9eR6uA0pL3zC8vB1o=",
              "previousSecretExpiresAt": 1795541495210
            }""")
    @ProblemExample(status = 404, detail = "webhook wh_01m84qd5k2c7h1a9t3x6rz0b4e does not exist")
    public Uni<RotatedSecret> rotateSecret(
            @Parameter(description = WEBHOOK_ID, example = EXAMPLE_WEBHOOK) @PathParam("webhookId") String webhookId) {
        return webhooks.rotateSecret(caller.projectId(), webhookId).map(RotatedSecret::of);
    }

    @GET
    @Operation(operationId = "listWebhookEndpoints", summary = "List the project's webhook endpoints", description = "Oldest "
            + "first; secrets are not shown.")
    @ResponseExample(status = 200, name = "endpoints", value = """
            {
              "data": [
                {
                  "id": "wh_01m84qd5k2c7h1a9t3x6rz0b4e",
                  "url": "https://example.com/hooks/pressroom",
                  "events": ["job.failed", "job.cancelled"],
                  "createdAt": 1795455095210
                }
              ]
            }""")
    public Uni<WebhookList> list() {
        return webhooks.list(caller.projectId())
                .map(endpoints -> new WebhookList(endpoints.stream().map(WebhookView::of).toList()));
    }

    @GET
    @Path("/{webhookId}")
    @Operation(operationId = "getWebhookEndpoint", summary = "Get a webhook endpoint", description = "Its secret is not shown.")
    @ResponseExample(status = 200, name = "endpoint", value = """
            {
              "id": "wh_01m84qd5k2c7h1a9t3x6rz0b4e",
              "url": "https://example.com/hooks/pressroom",
              "events": ["job.failed", "job.cancelled"],
              "createdAt": 1795455095210
            }""")
    public Uni<WebhookView> get(
            @Parameter(description = WEBHOOK_ID, example = EXAMPLE_WEBHOOK) @PathParam("webhookId") String webhookId) {
        return webhooks.find(caller.projectId(), webhookId).map(WebhookView::of);
    }

    @DELETE
    @Path("/{webhookId}")
    @Operation(operationId = "deleteWebhookEndpoint", summary = "Delete a webhook endpoint", description = "Deliveries "
            + "to it that are still pending are dropped.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Response> delete(
            @Parameter(description = WEBHOOK_ID, example = EXAMPLE_WEBHOOK) @PathParam("webhookId") String webhookId) {
        return webhooks.delete(caller.projectId(), webhookId).map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/job-secret")
    @Operation(operationId = "getJobWebhookSecret", summary = "Get the secret of per-job webhooks", description = "Webhooks "
            + "sent to a job's own webhookUrl are signed with this project-wide secret. It is made on first use and "
            + "changes only when rotated (POST /v1/webhooks/job-secret/rotate).")
    @ResponseExample(status = 200, name = "secret", value = """
            {"secret": "whsec_Fi/bRBAEvvY/vYe3WR3UAt9GkcRGkY4J+t2zmKKWZkc="}""")
    public Uni<JobSecret> jobSecret() {
        String projectId = caller.projectId();
        return jobSecrets.of(projectId)
                .onItem().ifNull().failWith(() -> ApiProblem.notFound("project " + projectId))
                .map(JobSecret::new);
    }

    @POST
    @Path("/job-secret/rotate")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "rotateJobWebhookSecret", summary = "Rotate the secret of per-job webhooks", description = ""
            + "Makes a new project-wide secret for webhooks sent to jobs' own webhookUrl and shows it this once. For "
            + "an overlap window (pressroom.webhooks.secret-rotation-overlap, 24 h by default) each such webhook "
            + "carries two signatures in webhook-signature, one made with the previous secret and one with the new; "
            + "after it, only the new one. Rotating again within the window drops the oldest. No request body.")
    @APIResponse(responseCode = "200", description = "Rotated; the new secret is in this response only", content = @Content(schema = @Schema(implementation = RotatedJobSecret.class)))
    @ResponseExample(status = 200, name = "rotated", summary = "The new secret is shown this once", value = """
            {
              "secret": "whsec_q3Vd0fJ8mS1cN5gQ2bXk7yT4hW9eR6uA0pL3zC8vB1o=",
              "previousSecretExpiresAt": 1795541495210
            }""")
    public Uni<RotatedJobSecret> rotateJobSecret() {
        String projectId = caller.projectId();
        return jobSecrets.rotate(projectId)
                .onItem().ifNull().failWith(() -> ApiProblem.notFound("project " + projectId))
                .map(rotated -> new RotatedJobSecret(rotated.secret(),
                        rotated.previousUntil().map(Instant::toEpochMilli).orElse(null)));
    }
}
