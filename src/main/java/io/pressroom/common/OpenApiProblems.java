package io.pressroom.common;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the errors every endpoint can answer, once, instead of on each method: the RFC 9457 {@code Problem}
 * schema and, per operation, 400 (bodies and query parameters), 401 (key), 404 (path ids), 409 and 413 where they
 * apply, 500.
 */
public class OpenApiProblems implements OASFilter {

    private static final String PROBLEM = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().addSchema("Problem", OASFactory.createSchema()
                .type(java.util.List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem details; `code` is stable and documented")
                .addProperty("type", string("URI of the problem type"))
                .addProperty("title", string("Short summary"))
                .addProperty("status", OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", string("What went wrong, naming the field when it is about the request"))
                .addProperty("code", string("Stable error code, e.g. invalid_request, not_found, unauthorized"))
                .addProperty("instance", string("The request path")));
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            boolean hasId = path.getKey().contains("{");
            boolean signedLink = path.getKey().startsWith("/v1/downloads");
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().getOperations().entrySet()) {
                APIResponses responses = entry.getValue().getResponses();
                boolean writes = entry.getKey() != PathItem.HttpMethod.GET && entry.getKey() != PathItem.HttpMethod.DELETE;
                if (writes || entry.getValue().getParameters() != null) {
                    add(responses, "400", "Invalid request: the detail names the field");
                }
                if (signedLink) {
                    add(responses, "403", "The link was tampered with");
                    add(responses, "410", "The link has expired");
                } else {
                    add(responses, "401", "Missing, unknown or revoked API key");
                }
                if (hasId || signedLink) {
                    add(responses, "404", "Not found, or another project's");
                }
                if (writes || entry.getKey() == PathItem.HttpMethod.DELETE) {
                    add(responses, "409", "Conflicts with the resource's current state");
                }
                if (writes) {
                    add(responses, "413", "Body larger than the configured limit");
                }
                add(responses, "500", "Unexpected failure");
            }
        }
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)).description(description);
    }

    private static void add(APIResponses responses, String status, String description) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM)))));
    }
}
