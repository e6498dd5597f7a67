package io.pressroom.common;

import java.io.CharConversionException;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place that turns failures into RFC 9457 problem+json. Clients get a stable {@code code} and a short
 * sentence; causes are logged, never sent.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem, UriInfo uri) {
        return respond(problem, uri);
    }

    /** Services refuse in their own terms; the HTTP status of each kind is decided here, once. */
    @ServerExceptionMapper
    public Response refusal(Refusal refusal, UriInfo uri) {
        return respond(toProblem(refusal), uri);
    }

    public static ApiProblem toProblem(Refusal refusal) {
        if (refusal instanceof Refusal.Busy busy) {
            return ApiProblem.tooMany(busy.code(), busy.detail(), busy.retryAfterSeconds());
        }
        if (refusal instanceof Refusal.OverQuota over) {
            return ApiProblem.of(402, over.code(), over.detail()).withMember("quota", over.quota())
                    .withMember("used", over.used()).withMember("resetsAt", over.resetsAt().toString());
        }
        int status = refusal instanceof Refusal.Invalid ? 400
                : refusal instanceof Refusal.NotFound ? 404
                        : refusal instanceof Refusal.Conflict ? 409
                                : refusal instanceof Refusal.TooLarge ? 413
                                        : refusal instanceof Refusal.Gone ? 410 : 503;
        ApiProblem problem = ApiProblem.of(status, refusal.code(), refusal.detail());
        return refusal instanceof Refusal.Invalid invalid ? problem.withViolations(invalid.violations()) : problem;
    }

    /** A download's range lies beyond the file: 416 saying how long the file is (RFC 9110 §15.5.17). */
    @ServerExceptionMapper
    public Response unsatisfiable(ByteRanges.Unsatisfiable unsatisfiable, UriInfo uri) {
        return respond(ApiProblem.of(416, "range_not_satisfiable", unsatisfiable.getMessage())
                .withHeader("Content-Range", "bytes */" + unsatisfiable.length()), uri);
    }

    @ServerExceptionMapper
    public Response validation(ValidationException exception, UriInfo uri) {
        if (exception instanceof ConstraintViolationException violations && isAboutInput(violations)) {
            String detail = violations.getConstraintViolations().stream()
                    .map(v -> fieldName(v) + ": " + v.getMessage())
                    .sorted()
                    .collect(Collectors.joining("; "));
            return respond(ApiProblem.badRequest(detail), uri);
        }
        return internal(exception, uri);
    }

    @ServerExceptionMapper({ MismatchedInputException.class, JsonMappingException.class, JsonProcessingException.class })
    public Response unreadableJson(JsonProcessingException exception, UriInfo uri) {
        String detail = "request body is not valid JSON";
        // past one of Jackson's reading limits (nesting depth, a string's or a number's length)
        var beyond = Causes.find(exception, StreamConstraintsException.class);
        if (beyond.isPresent()) {
            return respond(readerLimit(beyond.get(), exception), uri);
        }
        if (exception instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()
                && expectsObject(mismatch.getTargetType())) {
            detail = "request body: must be a JSON object"; // valid JSON ([], "x", 1) of another shape
        } else if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = field(mapping);
            detail = field + ": has the wrong type or format";
            // bodies are strict (quarkus.jackson.fail-on-unknown-properties): a misspelt option is an error, not
            // silently a default
            if (exception instanceof UnrecognizedPropertyException unknown) {
                detail = field + ": is not a known field" + known(unknown);
            }
        }
        return respond(ApiProblem.badRequest(detail), uri);
    }

    /** Whether a body read as {@code type} is a JSON object: a record, a bean or a map, not a list or a scalar. */
    private static boolean expectsObject(Class<?> type) {
        return type != null && !type.isArray() && !type.isPrimitive() && !Iterable.class.isAssignableFrom(type)
                && !CharSequence.class.isAssignableFrom(type) && !Number.class.isAssignableFrom(type)
                && type != Boolean.class && !type.getName().startsWith("com.fasterxml.jackson.databind.");
    }

    private static String field(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /**
     * Past the JSON reader's limits (Jackson's {@code StreamReadConstraints}): a string too long for it is a body too
     * large (413; only a body over the payload's or a bundle's own limit can hold one), anything else (nesting too
     * deep, a number too long) bad input. Jackson's sentence says which limit and by how much, without its own
     * class names.
     */
    private static ApiProblem readerLimit(StreamConstraintsException beyond, JsonProcessingException failure) {
        String what = beyond.getOriginalMessage().replaceAll(",? from `[^`]*`", "");
        String where = failure instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? field(mapping) + ": "
                : "request body: ";
        return what.startsWith("String value length") ? ApiProblem.tooLarge(where + what)
                : ApiProblem.badRequest(where + what);
    }

    /**
     * A body whose first bytes make Jackson guess UTF-16 or UTF-32 and which then holds no such character: Jackson
     * reports it as a {@link CharConversionException}, not a parse error (found by {@code CreateJobParsingFuzzTest}).
     */
    @ServerExceptionMapper
    public Response undecodableBody(CharConversionException exception, UriInfo uri) {
        return respond(ApiProblem.badRequest("request body is not valid JSON"), uri);
    }

    /**
     * The query parameter whose value a converter refused, or null: the refusal quotes the value ({@code For input
     * string: "abc"}, {@code not a boolean: "yes"}).
     */
    private static String queryParameterOf(IllegalArgumentException bad, UriInfo uri) {
        String message = String.valueOf(bad.getMessage());
        return uri.getQueryParameters().entrySet().stream()
                .filter(parameter -> parameter.getValue().stream().anyMatch(v -> message.contains('"' + v + '"')))
                .map(Map.Entry::getKey).sorted().findFirst().orElse(null);
    }

    private static String known(UnrecognizedPropertyException unknown) {
        if (unknown.getKnownPropertyIds() == null || unknown.getKnownPropertyIds().isEmpty()) {
            return "";
        }
        return " (known: " + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                .collect(Collectors.joining(", ")) + ")";
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException exception, UriInfo uri) {
        int status = exception.getResponse().getStatus();
        // the REST layer answers 404 when a query parameter does not convert (JAX-RS's rule); ?limit=abc is bad input
        if (exception instanceof NotFoundException && exception.getCause() instanceof IllegalArgumentException bad) {
            String parameter = queryParameterOf(bad, uri);
            String wanted = bad instanceof NumberFormatException ? "an integer"
                    : bad instanceof StrictBooleans.NotABoolean ? "true or false" : null;
            if (parameter != null && wanted != null) {
                return respond(ApiProblem.badRequest(parameter + ": must be " + wanted), uri);
            }
        }
        // the JSON reader wraps what Jackson found wrong with the body in a plain 400
        if (status == 400 && exception.getCause() instanceof JsonProcessingException unreadable) {
            return unreadableJson(unreadable, uri);
        }
        if (status >= 500) {
            return internal(exception, uri);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        String code = switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> "http_" + status;
        };
        String detail = status == 404 ? "no such resource" : title;
        return respond(new ApiProblem(status, code, title, detail), uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable throwable, UriInfo uri) {
        if (Transient.is(throwable)) {
            // a statement or pool timeout, a lost connection: the dependency is away, not the request wrong
            LOG.debugf(throwable, "dependency unavailable on %s", uri == null ? "?" : uri.getPath());
            return respond(toProblem(Transient.unavailable("a dependency is not available")), uri);
        }
        if (Db.refusedNul(throwable)) {
            // past the checks of bodies and addresses (UnstorableText): a form field, a body in UTF-16
            return respond(ApiProblem.badRequest("request: a text " + UnstorableText.NUL), uri);
        }
        return internal(throwable, uri);
    }

    public static Response respond(ApiProblem problem, UriInfo uri) {
        String path = uri == null ? null : uri.getPath();
        Response.ResponseBuilder response = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(problem, path));
        problem.headers().forEach(response::header);
        if (problem.status() == 503 && !problem.headers().containsKey("Retry-After")) {
            // a dependency is away: most outages we ride out are seconds long
            response.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    private static Response internal(Throwable throwable, UriInfo uri) {
        if (Transient.is(throwable)) {
            LOG.warnf("A dependency is not available on %s: %s", logged(uri), throwable.getMessage());
            return respond(toProblem(Transient.unavailable("a service this request needs is not available")), uri);
        }
        LOG.errorf(throwable, "Unexpected failure on %s", logged(uri));
        return respond(new ApiProblem(500, "internal_error", "Internal error", "the request failed unexpectedly"), uri);
    }

    /** The request's path as a log line may show it: without a download link's token. */
    private static String logged(UriInfo uri) {
        return uri == null ? "?" : SecretPaths.redact(uri.getPath());
    }

    private static boolean isAboutInput(ConstraintViolationException violations) {
        return violations.getConstraintViolations().stream().allMatch(v -> {
            for (Path.Node node : v.getPropertyPath()) {
                if (node.getKind() == ElementKind.RETURN_VALUE) {
                    return false;
                }
            }
            return true;
        });
    }

    /** {@code create.arg0.name} → {@code name}: the field as the client spelled it. */
    private static String fieldName(ConstraintViolation<?> violation) {
        StringBuilder name = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getIndex() != null) {
                    name.append('[').append(node.getIndex()).append(']');
                }
                if (node.getName() != null && !node.getName().startsWith("<")) {
                    if (!name.isEmpty()) {
                        name.append('.');
                    }
                    name.append(node.getName());
                }
            }
        }
        return name.isEmpty() ? "body" : name.toString();
    }
}
