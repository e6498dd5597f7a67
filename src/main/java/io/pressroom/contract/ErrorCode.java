package io.pressroom.contract;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a render attempt failed: the stable job error codes of SPEC §3, a bounded set that the renderer reports, the
 * API stores as the job's {@code errorCode}, the OpenAPI document lists, and metrics use as a tag. On the wire each
 * is its lower-case {@link #code()}.
 */
public enum ErrorCode {

    /** The page did not reach its load event within the navigation timeout. */
    NAVIGATION_TIMEOUT("navigation_timeout"),
    /** The whole render exceeded its budget ({@code renderTimeoutMs}); not retried. */
    RENDER_TIMEOUT_EXCEEDED("render_timeout_exceeded"),
    /** Chromium or the page's renderer died (or hung and was killed) under the render, or the renderer went away. */
    RENDER_CRASHED("render_crashed"),
    /** The template or the print options could not be used (merge failed, page range outside the document). */
    TEMPLATE_ERROR("template_error"),
    /** A forbidden URL was requested and the job asked to fail on it. */
    RESOURCE_BLOCKED("resource_blocked"),
    /** The PDF is larger, or longer, than the renderer's limits. */
    OUTPUT_TOO_LARGE("output_too_large"),
    /** Object storage failed under the render; retried. */
    STORAGE_ERROR("storage_error"),
    /** The job was cancelled while it waited or rendered; the render was stopped or skipped. */
    CANCELLED("cancelled"),
    /** Anything else, e.g. Chromium could not be started. */
    INTERNAL_ERROR("internal_error");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The stable wire name, e.g. {@code render_crashed}. */
    @JsonValue
    public String code() {
        return code;
    }

    /** The code with this wire name, if any. */
    public static Optional<ErrorCode> of(String code) {
        return Arrays.stream(values()).filter(value -> value.code.equals(code)).findFirst();
    }

    /** For Jackson: an unknown name is an error, so a malformed event is refused rather than stored. */
    @JsonCreator
    static ErrorCode fromJson(String code) {
        return of(code).orElseThrow(() -> new IllegalArgumentException("unknown error code '" + code + "'"));
    }

    @Override
    public String toString() {
        return code;
    }
}
