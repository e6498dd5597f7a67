package io.pressroom.common;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One way a document breaks its JSON Schema: where (a JSON pointer into the document) and what. */
@Schema(description = "One violation of a version's payload schema")
public record Violation(
        @Schema(description = "RFC 6901 JSON pointer to the offending value, or to the missing one; \"\" is the whole document", example = "/customer/name") String pointer,
        @Schema(description = "What is wrong there", example = "required property 'name' not found") String message) {
}
