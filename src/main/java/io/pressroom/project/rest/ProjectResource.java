package io.pressroom.project.rest;

import java.net.URI;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.pressroom.common.ProblemExample;
import io.pressroom.common.ResponseExample;
import io.pressroom.project.repository.ApiKey;
import io.pressroom.project.repository.Project;
import io.pressroom.project.service.ProjectService;
import io.smallrye.mutiny.Uni;

/** Projects and their API keys; authenticated with the admin key. */
@Path("/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Projects (admin)", description = "Projects and their API keys, managed with the admin key")
@SecurityRequirement(name = "adminKey")
public class ProjectResource {

    private static final String PROJECT_ID = "The project's id (prj_…)";
    private static final String EXAMPLE_PROJECT = "prj_01m84qd0ek5dykbvnd7ebsjn6k";

    public record CreateProject(@NotBlank @Size(max = 200) String name) {
    }

    public record CreateKey(@Size(max = 200) String name) {
    }

    /** The fields a PATCH may change; a field left out keeps its value. */
    public record UpdateProject(
            @Schema(description = "Most pages the project's normal jobs may use per calendar month (UTC); null removes the quota", type = SchemaType.INTEGER, nullable = true, minimum = "0") Optional<@Min(0) Integer> monthlyPageQuota) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProjectView(String id, String name, long createdAt,
            @Schema(description = "Pages per calendar month (UTC); left out when the project has no quota") Integer monthlyPageQuota) {
        static ProjectView of(Project project) {
            return new ProjectView(project.id, project.name, project.createdAt.toEpochMilli(),
                    project.monthlyPageQuota);
        }
    }

    /** The plain {@code key} appears in this response only. */
    public record KeyView(String id, String projectId, @Schema(nullable = true) String name,
            @Schema(description = "The plain key, shown this once") String key,
            @Schema(description = "The key's first characters, to recognise it") String hint, long createdAt) {
        static KeyView of(ApiKey key, String plain) {
            return new KeyView(key.id, key.projectId, key.name, plain, key.keyHint, key.createdAt.toEpochMilli());
        }
    }

    private final ProjectService projects;

    public ProjectResource(ProjectService projects) {
        this.projects = projects;
    }

    @POST
    @Operation(operationId = "createProject", summary = "Create a project")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "project", value = """
            {"name": "Acme invoicing"}""")))
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", description = "The project's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = ProjectView.class)))
    @ResponseExample(status = 201, name = "created", value = """
            {"id": "prj_01m84qd0ek5dykbvnd7ebsjn6k", "name": "Acme invoicing", "createdAt": 1795455091159}""")
    @ProblemExample(status = 400, detail = "name: must not be blank")
    public Uni<Response> create(@Valid CreateProject request) {
        return projects.create(request.name().strip()).map(project -> Response
                .created(URI.create("/v1/projects/" + project.id)).entity(ProjectView.of(project)).build());
    }

    @PATCH
    @Path("/{projectId}")
    @Operation(operationId = "updateProject", summary = "Change a project's monthly page quota", description = "A "
            + "create whose project used its quota this month answers 402 quota_exceeded (docs/jobs.md#quotas); "
            + "test jobs still pass.")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "setQuota", summary = "1000 pages a month", value = """
                    {"monthlyPageQuota": 1000}"""),
            @ExampleObject(name = "clearQuota", summary = "No quota", value = """
                    {"monthlyPageQuota": null}""") }))
    @ResponseExample(status = 200, name = "updated", value = """
            {"id": "prj_01m84qd0ek5dykbvnd7ebsjn6k", "name": "Acme invoicing", "createdAt": 1795455091159, "monthlyPageQuota": 1000}""")
    @ProblemExample(status = 400, detail = "monthlyPageQuota: must be greater than or equal to 0")
    @ProblemExample(status = 404, detail = "project prj_01m84qd0ek5dykbvnd7ebsjn6k does not exist")
    public Uni<ProjectView> update(
            @Parameter(description = PROJECT_ID, example = EXAMPLE_PROJECT) @PathParam("projectId") String projectId,
            @Valid @NotNull UpdateProject request) {
        return projects.update(projectId, request.monthlyPageQuota()).map(ProjectView::of);
    }

    @POST
    @Path("/{projectId}/keys")
    @Operation(operationId = "createApiKey", summary = "Create an API key for a project", description = "The plain key is returned once and stored only as a hash.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "named", summary = "A named key (the body may also be omitted)", value = """
            {"name": "production"}""")))
    @APIResponse(responseCode = "201", description = "Created; the plain key is in this response only", content = @Content(schema = @Schema(implementation = KeyView.class)))
    @ResponseExample(status = 201, name = "created", value = """
            {
              "id": "key_01m84qd1tnx6y709mfsxsmtzqq",
              "projectId": "prj_01m84qd0ek5dykbvnd7ebsjn6k",
              "name": "production",
              "key": "prk_f1xr9fA0QgzlI2krCBbcyL4Mhp8NecbITuAwlv_I22M",
              "hint": "prk_f1xr9f",
              "createdAt": 1795455092565
            }""")
    @ProblemExample(status = 400, detail = "name: size must be between 0 and 200")
    public Uni<Response> createKey(
            @Parameter(description = PROJECT_ID, example = EXAMPLE_PROJECT) @PathParam("projectId") String projectId,
            @Valid CreateKey request) {
        String name = request == null ? null : request.name();
        return projects.issueKey(projectId, name).map(issued -> Response.status(Response.Status.CREATED)
                .entity(KeyView.of(issued.key(), issued.plainKey())).build());
    }

    @DELETE
    @Path("/{projectId}/keys/{keyId}")
    @Operation(operationId = "deleteApiKey", summary = "Revoke an API key", description = "Requests with the key fail with 401 from now on.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @ProblemExample(status = 404, detail = "key key_01m84qd1tnx6y709mfsxsmtzqq does not exist")
    public Uni<Response> revokeKey(
            @Parameter(description = PROJECT_ID, example = EXAMPLE_PROJECT) @PathParam("projectId") String projectId,
            @Parameter(description = "The key's id (key_…)", example = "key_01m84qd1tnx6y709mfsxsmtzqq") @PathParam("keyId") String keyId) {
        return projects.revokeKey(projectId, keyId).map(ignored -> Response.noContent().build());
    }
}
