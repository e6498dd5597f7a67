package io.pressroom.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The RFC 9457 problem document every error of the API answers with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Problem types are documented under this base. */
    public static final String TYPE_BASE = "https://pressroom.dev/problems/";

    public static Problem of(ApiProblem problem, String instance) {
        return new Problem(TYPE_BASE + problem.code().replace('_', '-'), problem.title(), problem.status(),
                problem.detail(), problem.code(), instance);
    }
}
