package io.pressroom.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An example of one success response of a REST operation, written on the resource method beside the rest of its
 * OpenAPI documentation; {@link OpenApiExamples} adds it to the response SmallRye made. Not an
 * {@code @ExampleObject} inside {@code @APIResponse}: content written there replaces the schema SmallRye derives
 * from the method's return type, and a generic one such as {@code Page<DeployView>} cannot be written back by hand.
 * A value for a JSON media type is parsed (the build fails on invalid JSON); any other is text.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ResponseExample.List.class)
public @interface ResponseExample {

    int status();

    String mediaType() default "application/json";

    /** The example's key in the document. */
    String name();

    String summary() default "";

    String value();

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        ResponseExample[] value();
    }
}
