package io.pressroom.project.rest;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pressroom.project.repository.ApiKey;
import io.pressroom.project.repository.Project;
import io.pressroom.project.service.ProjectService;
import io.smallrye.mutiny.Uni;

/**
 * Projects and their API keys; authenticated with the admin key. The OpenAPI examples of these operations are in
 * {@code META-INF/openapi.yaml}.
 */
@Path("/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Projects (admin)", description = "Projects and their API keys, managed with the admin key")
@SecurityRequirement(name = "adminKey")
public class ProjectResource {

    public record CreateProject(@NotBlank @Size(max = 200) String name) {
    }

    public record CreateKey(@Size(max = 200) String name) {
    }

    public record ProjectView(String id, String name, long createdAt) {
        static ProjectView of(Project project) {
            return new ProjectView(project.id, project.name, project.createdAt.toEpochMilli());
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
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", description = "The project's URL", schema = @Schema(type = SchemaType.STRING)), content = @Content(schema = @Schema(implementation = ProjectView.class)))
    public Uni<Response> create(@Valid CreateProject request) {
        return projects.create(request.name().strip()).map(project -> Response
                .created(URI.create("/v1/projects/" + project.id)).entity(ProjectView.of(project)).build());
    }

    @POST
    @Path("/{projectId}/keys")
    @Operation(operationId = "createApiKey", summary = "Create an API key for a project", description = "The plain key is returned once and stored only as a hash.")
    @APIResponse(responseCode = "201", description = "Created; the plain key is in this response only", content = @Content(schema = @Schema(implementation = KeyView.class)))
    public Uni<Response> createKey(
            @Parameter(description = "The project's id (prj_…)") @PathParam("projectId") String projectId,
            @Valid CreateKey request) {
        String name = request == null ? null : request.name();
        return projects.issueKey(projectId, name).map(issued -> Response.status(Response.Status.CREATED)
                .entity(KeyView.of(issued.key(), issued.plainKey())).build());
    }

    @DELETE
    @Path("/{projectId}/keys/{keyId}")
    @Operation(operationId = "deleteApiKey", summary = "Revoke an API key", description = "Requests with the key fail with 401 from now on.")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Uni<Response> revokeKey(
            @Parameter(description = "The project's id (prj_…)") @PathParam("projectId") String projectId,
            @Parameter(description = "The key's id (key_…)") @PathParam("keyId") String keyId) {
        return projects.revokeKey(projectId, keyId).map(ignored -> Response.noContent().build());
    }
}
