package io.pressroom.common;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * Boolean query parameters read {@code true} or {@code false} and nothing else. The REST layer's own reading is
 * {@link Boolean#valueOf}, which turns {@code ?sync=yes} or {@code ?sync=1} into false: the client asked to wait and
 * got a queued job back without a word. Here such a value is refused (400, see {@link ProblemMapper}); an empty one
 * ({@code ?sync=}) the REST layer takes for an absent one and never converts. Only {@code Boolean} parameters are read
 * here: for a primitive {@code boolean} the REST layer hands its converter "0" when the parameter is absent, so
 * resources declare {@code @DefaultValue("false") Boolean} (ArchUnit checks the type).
 */
@Provider
public class StrictBooleans implements ParamConverterProvider {

    /** The value that is neither true nor false; the REST layer wraps it into its 404 for unconvertible params. */
    public static final class NotABoolean extends IllegalArgumentException {

        NotABoolean(String value) {
            super("not a boolean: \"" + value + '"'); // quoted: ProblemMapper finds the parameter by its value
        }
    }

    private static final ParamConverter<Boolean> STRICT = new ParamConverter<>() {

        @Override
        public Boolean fromString(String value) {
            if (value == null) {
                return null;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new NotABoolean(value);
            };
        }

        @Override
        public String toString(Boolean value) {
            return String.valueOf(value);
        }
    };

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        return rawType == Boolean.class ? (ParamConverter<T>) STRICT : null;
    }
}
