package io.pressroom.common;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The RFC 9457 problem document every error of the API answers with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "RFC 9457 problem details; `code` is stable and documented")
public record Problem(@Schema(description = "URI of the problem type") String type,
        @Schema(description = "Short summary") String title, int status,
        @Schema(description = "What went wrong, naming the field when it is about the request") String detail,
        @Schema(description = "Stable error code, e.g. invalid_request, not_found, unauthorized") String code,
        @Schema(description = "The request path") String instance,
        @Schema(description = "With payload_invalid: every violation of the version's payload schema") List<Violation> violations,
        @Schema(hidden = true) @JsonIgnore Map<String, Object> members) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Problem types are documented under this base. */
    public static final String TYPE_BASE = "https://pressroom.dev/problems/";

    public static Problem of(ApiProblem problem, String instance) {
        return new Problem(TYPE_BASE + problem.code().replace('_', '-'), problem.title(), problem.status(),
                problem.detail(), problem.code(), instance,
                problem.violations().isEmpty() ? null : problem.violations(), problem.members());
    }

    /** Extension members (RFC 9457 §3.2), written beside the standard ones, e.g. {@code quota} of a 402. */
    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return members == null ? Map.of() : members;
    }
}
