package io.pressroom.common;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The NUL character (U+0000), which PostgreSQL stores in no {@code text} and no {@code jsonb} value: a statement that
 * carries one fails. Requests are refused with it before they touch anything (400 naming where it was), and JSON
 * that the application must store whatever it holds (what a renderer reports of a page: its console errors, its
 * failures) has it replaced by U+FFFD, as browsers do.
 * <p>
 * In JSON text a NUL can only be an escape, a backslash, {@code u} and four zeros (a raw control character is not
 * valid JSON), so finding one needs no parse: {@link Escapes} follows the text a character, or a byte, at a time.
 * Written by hand because Jackson has no setting to refuse the character, and the request bodies and the events it
 * guards are read by different readers (the REST layer's, the event consumer's).
 */
public class NulCharacters {

    public static final String DETAIL = "must not contain the NUL character (\\u0000)";

    /** Finds NUL escapes in JSON text fed to it in order, across as many reads as it comes in. */
    public static final class Escapes {

        /** 0: in plain text; 1: after a backslash; 2 to 5: after a backslash, {@code u} and that many zeros less two. */
        private int state;

        /** Feeds the next character (or byte: an escape is ASCII); true when it ends a NUL escape. */
        public boolean endsNul(int c) {
            state = switch (state) {
                case 0 -> c == '\\' ? 1 : 0;
                case 1 -> c == 'u' ? 2 : 0; // any other escaped character, a backslash too, ends the escape
                default -> c == '0' ? state + 1 : 0;
            };
            if (state == 6) {
                state = 0;
                return true;
            }
            return false;
        }
    }

    /** The JSON text with each NUL replaced by U+FFFD; the same string when it holds none. */
    public static String replacedInJson(String json) {
        if (json == null || !json.contains("\\u0000")) {
            return json;
        }
        Escapes escapes = new Escapes();
        StringBuilder replaced = null;
        for (int i = 0; i < json.length(); i++) {
            if (escapes.endsNul(json.charAt(i))) {
                replaced = replaced == null ? new StringBuilder(json) : replaced;
                replaced.replace(i - 3, i + 1, "fffd");
            }
        }
        return replaced == null ? json : replaced.toString();
    }

    /**
     * Before routing: a path or a query parameter with a NUL is refused with 400 (it can name nothing that exists,
     * and would reach the database as it is).
     */
    @ServerRequestFilter(preMatching = true)
    public Response refuseInAddress(ContainerRequestContext request) {
        String where = request.getUriInfo().getPath().indexOf('\0') >= 0 ? "path"
                : request.getUriInfo().getQueryParameters().entrySet().stream()
                        .filter(parameter -> holdsNul(parameter.getKey(), parameter.getValue()))
                        .map(Map.Entry::getKey).sorted().findFirst().orElse(null);
        return where == null ? null
                : ProblemMapper.respond(ApiProblem.badRequest(where.replace('\0', '\uFFFD') + ": " + DETAIL),
                        request.getUriInfo());
    }

    private static boolean holdsNul(String name, List<String> values) {
        return name.indexOf('\0') >= 0 || values.stream().anyMatch(value -> value.indexOf('\0') >= 0);
    }
}
