package io.pressroom.deploy.service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

import io.pressroom.bundle.TemplateBundle;
import io.pressroom.common.Refusal;
import io.pressroom.common.Violation;
import io.pressroom.config.PressroomConfig;

/**
 * The data contract of a deploy version: a JSON Schema (draft 2020-12) that every payload of a job for that version
 * must match, checked when the job is created so that a missing field is a 400 and not a blank PDF.
 * <p>
 * Schemas are compiled by networknt's json-schema-validator. Nothing is ever fetched: the registry knows the 2020-12
 * meta-schemas from its own classpath and its loader has remote fetching turned off, so a {@code $ref} to anything
 * outside the schema itself is refused when the version is published, never followed (a schema is hostile input,
 * and a fetch would be a request to any address the author names). Compiled schemas are cached per version id, a
 * bounded cache: versions never change, so an entry is never stale.
 */
@ApplicationScoped
public class PayloadContracts {

    public static final String PAYLOAD_INVALID = "payload_invalid";

    private static final Logger LOG = Logger.getLogger(PayloadContracts.class);

    /** A bound on the response: a payload can break a schema in as many places as it has values. */
    static final int MAX_LISTED = 100;

    private static final SpecificationVersion DIALECT = SpecificationVersion.DRAFT_2020_12;
    /** Keywords whose error points at an object but is about one of its properties, named in the error. */
    private static final Set<String> ABOUT_A_PROPERTY = Set.of("required", "dependentRequired",
            "additionalProperties", "unevaluatedProperties");

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(DIALECT,
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    private static final Schema META_SCHEMA = REGISTRY.getSchema(SchemaLocation.of(DIALECT.getDialectId()));

    /** The files of a bundle that hold its contract, at its root. */
    public static final String SCHEMA_FILE = "schema.json";
    public static final String SAMPLE_FILE = "sample.json";

    /** How the request that publishes a version names the schema and the sample, for the 400s. */
    public record Fields(String schema, String sample) {
        /** The JSON body's fields. */
        public static final Fields JSON = new Fields("schema", "samplePayload");
        /** A zip bundle's files. */
        public static final Fields ZIP = new Fields(SCHEMA_FILE, SAMPLE_FILE);
    }

    /** A version's contract: its schema and its sample payload, each null when the version has none. */
    public record Contract(JsonNode schema, JsonNode sample) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final Cache<String, Schema> compiled;
    private final long maxSchemaBytes;

    @Inject
    public PayloadContracts(PressroomConfig config) {
        this(config.templates().maxSchemaBytes(), config.templates().schemaCacheSize());
    }

    PayloadContracts(long maxSchemaBytes, int cacheSize) {
        this.maxSchemaBytes = maxSchemaBytes;
        this.compiled = Caffeine.newBuilder().maximumSize(cacheSize).build();
    }

    /**
     * Reads the contract of a bundle about to be published from its {@value #SCHEMA_FILE} and {@value #SAMPLE_FILE}:
     * the schema must be a usable 2020-12 schema (see {@link #compile}), the sample a JSON object that matches it
     * (400 {@code payload_invalid} otherwise).
     */
    public Contract read(TemplateBundle bundle, Fields fields) {
        JsonNode schema = bundle.content(SCHEMA_FILE).map(bytes -> {
            if (bytes.length > maxSchemaBytes) {
                throw new Refusal.TooLarge(fields.schema() + ": is larger than " + maxSchemaBytes + " bytes");
            }
            return parse(fields.schema(), bytes);
        }).orElse(null);
        JsonNode sample = bundle.content(SAMPLE_FILE).map(bytes -> parse(fields.sample(), bytes)).orElse(null);
        if (sample != null && !sample.isObject()) {
            throw new Refusal.Invalid(fields.sample() + ": must be a JSON object, as a job's payload is");
        }
        if (schema != null) {
            Schema compiledSchema = compile(fields.schema(), schema);
            if (sample != null) {
                check(compiledSchema, sample.toString(), fields.sample());
            }
        }
        return new Contract(schema, sample);
    }

    /**
     * Checks a schema about to be published: at most {@code max-schema-bytes}, valid against the 2020-12
     * meta-schema, every {@code $ref} resolvable within itself. 400 naming {@code field} otherwise.
     */
    public Schema compile(String field, JsonNode schema) {
        String text = schema.toString();
        if (text.length() > maxSchemaBytes) {
            throw new Refusal.TooLarge(field + ": is larger than " + maxSchemaBytes + " bytes");
        }
        if (!schema.isObject() && !schema.isBoolean()) {
            throw new Refusal.Invalid(field + ": must be a JSON Schema (an object or a boolean)");
        }
        JsonNode dialect = schema.path("$schema");
        if (!dialect.isMissingNode() && !DIALECT.getDialectId().equals(dialect.asText())) {
            throw new Refusal.Invalid(field + ".$schema: must be absent or " + DIALECT.getDialectId());
        }
        List<Violation> broken = violations(META_SCHEMA.validate(text, InputFormat.JSON));
        if (!broken.isEmpty()) {
            throw new Refusal.Invalid("invalid_request", field + ": is not a valid JSON Schema (draft 2020-12): "
                    + broken.get(0).pointer() + " " + broken.get(0).message(), broken);
        }
        try {
            Schema result = REGISTRY.getSchema(text, InputFormat.JSON);
            result.initializeValidators(); // resolves every $ref now, at publish time
            return result;
        } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
            // the cause names the library's internals: it stays in the log
            LOG.debugf(e, "a schema for %s cannot be compiled", field);
            throw new Refusal.Invalid(field + ": cannot be used: a $ref points outside the schema; only references "
                    + "into the schema itself (such as #/$defs/address) are followed, nothing is fetched");
        }
    }

    /**
     * Checks a payload (its JSON text) against a version's schema; 400 {@code payload_invalid} listing every
     * violation (at most {@link #MAX_LISTED}) with its JSON pointer. {@code what} names the document, e.g.
     * {@code payload}.
     */
    public void check(String versionId, JsonNode schema, String payload, String what) {
        Schema compiledSchema = compiled.get(versionId, id -> compile("schema", schema));
        check(compiledSchema, payload, what);
    }

    /** As {@link #check(String, JsonNode, String, String)}, against a schema just compiled. */
    public static void check(Schema schema, String payload, String what) {
        List<Error> errors = schema.validate(payload, InputFormat.JSON);
        if (errors.isEmpty()) {
            return;
        }
        List<Violation> all = violations(errors);
        List<Violation> listed = all.size() > MAX_LISTED ? all.subList(0, MAX_LISTED) : all;
        String count = all.size() == 1 ? "1 place" : all.size() + " places";
        String shown = listed.size() < all.size() ? " (the first " + listed.size() + " are listed)" : "";
        throw new Refusal.Invalid(PAYLOAD_INVALID, what + ": does not match the version's schema in " + count
                + shown + ": " + label(listed.get(0)), listed);
    }

    static List<Violation> violations(List<Error> errors) {
        List<Violation> violations = new ArrayList<>(errors.size());
        for (Error error : errors) {
            violations.add(new Violation(pointer(error), error.getMessage()));
        }
        return violations;
    }

    /**
     * The RFC 6901 pointer of what an error is about: the value's location, and for a missing or unexpected
     * property (an error the validator reports on the object that holds it) the property itself, so that a missing
     * {@code name} of {@code customer} is {@code /customer/name}.
     */
    static String pointer(Error error) {
        StringBuilder pointer = new StringBuilder();
        NodePath at = error.getInstanceLocation();
        for (int i = 0; at != null && i < at.getNameCount(); i++) {
            appendToken(pointer, String.valueOf(at.getElement(i)));
        }
        if (error.getProperty() != null && ABOUT_A_PROPERTY.contains(error.getKeyword())) {
            appendToken(pointer, error.getProperty());
        }
        return pointer.toString();
    }

    /** One reference token, escaped as RFC 6901 §3 says: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    static void appendToken(StringBuilder pointer, String token) {
        pointer.append('/').append(token.replace("~", "~0").replace("/", "~1"));
    }

    private static JsonNode parse(String field, byte[] content) {
        try {
            JsonNode node = JSON.readTree(content);
            if (node == null || node.isMissingNode()) {
                throw new Refusal.Invalid(field + ": is empty");
            }
            return node;
        } catch (IOException e) {
            throw new Refusal.Invalid(field + ": is not valid JSON");
        }
    }

    private static String label(Violation violation) {
        return (violation.pointer().isEmpty() ? "(the document)" : violation.pointer()) + " "
                + violation.message();
    }

}
