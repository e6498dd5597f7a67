package io.pressroom.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A problem+json answer of one REST operation, written on the resource method beside the rest of its OpenAPI
 * documentation. {@link OpenApiExamples} turns each into an example of the operation's error response, built with
 * {@link ApiProblem} and {@link Problem#of} as the API sends it. Only the problems particular to the operation go
 * here: 401, 429, 500, 413 for bodies and the 404 of an unknown path id are added to every operation they apply to.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ProblemExample.List.class)
public @interface ProblemExample {

    int status();

    /** The stable code; when empty, the usual one of the status (400 invalid_request, 404 not_found, …). */
    String code() default "";

    /** When empty, the usual title of the status (400 Invalid request, 404 Not found, …). */
    String title() default "";

    /** The detail the code writes, with the ids of the document's examples. */
    String detail();

    /** With payload_invalid: the violations listed, each {@code "pointer: message"}. */
    String[] violations() default {};

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        ProblemExample[] value();
    }
}
