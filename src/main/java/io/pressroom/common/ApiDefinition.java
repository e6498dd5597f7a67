package io.pressroom.common;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;

/**
 * The OpenAPI document's header: every endpoint needs a project key unless it says otherwise.
 * <p>
 * The document has one source, the annotations of the REST resources: each method carries its operationId, summary,
 * description, parameters, request examples ({@code @RequestBody}), response examples ({@link ResponseExample}) and
 * its particular errors ({@link ProblemExample}); {@link OpenApiExamples} adds the last two to the document, the
 * errors as problem+json examples together with those every operation can answer.
 * <p>
 * The examples' values were recorded from a run of the service (one project, the "invoice" deploy, its two versions
 * and the jobs rendered from them), so ids, sizes and hashes agree across examples, and the problems' ids and paths
 * are those of the same run. The versions' hashes were recomputed for the html shown; the report's blocked request
 * and the failed job are made up. Redocly ({@code redocly.yaml}) checks each example against its schema, unknown
 * fields included.
 */
@OpenAPIDefinition(info = @Info(title = "Pressroom API", version = "1", description = "Render jobs: Handlebars templates plus JSON data to PDF. Errors are RFC 9457 problem+json."), servers = @Server(url = "/", description = "The host this document is served from"), security = @SecurityRequirement(name = "projectKey"), components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class), securitySchemes = {
        @SecurityScheme(securitySchemeName = "projectKey", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "A project API key: Authorization: Bearer prk_…"),
        @SecurityScheme(securitySchemeName = "adminKey", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "The admin key from pressroom.admin-key, for /v1/projects") }))
public class ApiDefinition extends Application {
}
