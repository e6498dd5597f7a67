package io.pressroom.common;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error the client should see, rendered as RFC 9457 problem+json by {@link ProblemMapper}. The {@code code} is
 * stable and documented; the {@code detail} is a human-readable sentence that never carries internals.
 */
public class ApiProblem extends RuntimeException {

    /** The title of each status Pressroom answers with: the same for every problem of that status. */
    private static final Map<Integer, String> TITLES = Map.ofEntries(Map.entry(400, "Invalid request"),
            Map.entry(401, "Unauthorized"), Map.entry(402, "Payment required"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not found"),
            Map.entry(409, "Conflict"), Map.entry(410, "Gone"), Map.entry(413, "Payload too large"),
            Map.entry(416, "Range not satisfiable"), Map.entry(422, "Unprocessable content"),
            Map.entry(429, "Too many requests"), Map.entry(500, "Internal error"),
            Map.entry(503, "Service unavailable"), Map.entry(504, "Gateway timeout"));

    private final int status;
    private final String code;
    private final String title;
    /** Sent with the problem, e.g. {@code Retry-After} or {@code Content-Range}. */
    private final Map<String, String> headers = new LinkedHashMap<>();
    /** Extension members of the problem document beside its standard ones, e.g. a quota's figures. */
    private final Map<String, Object> members = new LinkedHashMap<>();

    /** Every way the request's document broke its schema; empty for other problems. */
    private List<Violation> violations = List.of();

    public ApiProblem(int status, String code, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "invalid_request", "Invalid request", detail);
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(404, "not_found", "Not found", what + " does not exist");
    }

    public static ApiProblem conflict(String code, String detail) {
        return new ApiProblem(409, code, "Conflict", detail);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Unauthorized", detail);
    }

    public static ApiProblem tooLarge(String detail) {
        return new ApiProblem(413, "payload_too_large", "Payload too large", detail);
    }

    public static ApiProblem rateLimited(String detail) {
        return new ApiProblem(429, "rate_limited", "Too many requests", detail);
    }

    /** A 429: the client asks too much at once and may try again after {@code retryAfterSeconds}. */
    public static ApiProblem tooMany(String code, String detail, long retryAfterSeconds) {
        return new ApiProblem(429, code, "Too many requests", detail).withHeader("Retry-After",
                String.valueOf(retryAfterSeconds));
    }

    public static ApiProblem unavailable(String code, String detail) {
        return new ApiProblem(503, code, "Service unavailable", detail);
    }

    /** A 503: this pod holds as many request bodies as its memory allows ({@code pressroom.http.bodies-in-flight}). */
    public static ApiProblem serverBusy(String detail) {
        return unavailable("server_busy", detail + "; retry after 1 s").withHeader("Retry-After", "1");
    }

    /** A problem with the usual title of its status. */
    public static ApiProblem of(int status, String code, String detail) {
        return new ApiProblem(status, code, titleOf(status), detail);
    }

    /** The usual title of {@code status}, or null for one Pressroom does not answer with. */
    public static String titleOf(int status) {
        return TITLES.get(status);
    }

    /** Sends {@code name: value} with the problem (e.g. {@code Retry-After}); this problem. */
    public ApiProblem withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Adds the extension member {@code name} to the problem document (RFC 9457 §3.2); this problem. */
    public ApiProblem withMember(String name, Object value) {
        members.put(name, value);
        return this;
    }

    /** The extension members of the problem document. */
    public Map<String, Object> members() {
        return Collections.unmodifiableMap(members);
    }

    /** Lists {@code violations} in the problem; this problem. */
    public ApiProblem withViolations(List<Violation> violations) {
        this.violations = List.copyOf(violations);
        return this;
    }

    public List<Violation> violations() {
        return violations;
    }

    /** The headers sent with the problem. */
    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
