package io.pressroom.common;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header: every endpoint needs a project key unless it says otherwise. */
@OpenAPIDefinition(info = @Info(title = "Pressroom API", version = "1", description = "Render jobs: Handlebars templates plus JSON data to PDF. Errors are RFC 9457 problem+json."), security = @SecurityRequirement(name = "projectKey"), components = @Components(securitySchemes = {
        @SecurityScheme(securitySchemeName = "projectKey", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "A project API key: Authorization: Bearer prk_…"),
        @SecurityScheme(securitySchemeName = "adminKey", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "The admin key from pressroom.admin-key, for /v1/projects") }))
public class ApiDefinition extends Application {
}
