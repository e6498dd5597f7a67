package io.pressroom.template;

import java.io.IOException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.ValueResolver;
import com.github.jknack.handlebars.context.MapValueResolver;
import com.github.jknack.handlebars.helper.ConditionalHelpers;
import com.github.jknack.handlebars.helper.StringHelpers;
import com.github.jknack.handlebars.io.AbstractTemplateLoader;
import com.github.jknack.handlebars.io.TemplateSource;

/**
 * Handlebars for user templates, locked down: the payload (JSON maps, lists and scalars) is the only thing a
 * template can reach. Values resolve through map keys only (no getters, fields or methods), nothing is loaded
 * from disk or the classpath, and output is HTML-escaped unless the template opts out with {@code {{{…}}}}.
 */
@ApplicationScoped
public class TemplateEngine {

    private static final List<ValueResolver> RESOLVERS = List.of(MapValueResolver.INSTANCE);

    /** Built-in helpers that reach outside the payload (classpath bundles, server logs, template files). */
    private static final List<String> FORBIDDEN_HELPERS = List.of("i18n", "i18nJs", "embedded", "precompile", "log");

    private final Handlebars handlebars;

    public TemplateEngine() {
        handlebars = new Handlebars(new NoTemplateLoader());
        handlebars.setInfiniteLoops(false);
        handlebars.registerHelpers(StringHelpers.class);
        handlebars.registerHelpers(ConditionalHelpers.class);
        Helper<Object> forbidden = (context, options) -> {
            throw new IllegalArgumentException("helper '" + options.helperName + "' is not available in templates");
        };
        FORBIDDEN_HELPERS.forEach(name -> handlebars.registerHelper(name, forbidden));
    }

    /** Compiles a template, or throws {@link TemplateException} naming the line of the first error. */
    public Template compile(String source) {
        try {
            return handlebars.compileInline(source);
        } catch (HandlebarsException e) {
            throw TemplateException.from(e);
        } catch (IOException | RuntimeException e) {
            throw new TemplateException(0, 0, e.getMessage() == null ? "template does not compile" : e.getMessage());
        }
    }

    /** Merges a compiled template with a payload made of JSON maps, lists and scalars. */
    public String merge(Template template, Object payload) {
        Context context = Context.newBuilder(payload).resolver(RESOLVERS.toArray(ValueResolver[]::new)).build();
        try {
            return template.apply(context);
        } catch (HandlebarsException e) {
            throw TemplateException.from(e);
        } catch (IOException | RuntimeException e) {
            throw new TemplateException(0, 0, e.getMessage() == null ? "template merge failed" : e.getMessage());
        } finally {
            context.destroy();
        }
    }

    /** Refuses every partial or layout that is not defined inline in the template itself. */
    private static final class NoTemplateLoader extends AbstractTemplateLoader {
        @Override
        public TemplateSource sourceAt(String location) throws IOException {
            throw new IOException("partial '" + location + "' is not defined in the template");
        }
    }

    /** A template that does not compile or merge; line and column are 1-based, 0 when unknown. */
    public static final class TemplateException extends RuntimeException {
        private final int line;
        private final int column;
        private final String reason;

        public TemplateException(int line, int column, String reason) {
            super(line > 0 ? "line " + line + ", column " + column + ": " + reason : reason, null, false, false);
            this.line = line;
            this.column = column;
            this.reason = reason;
        }

        static TemplateException from(HandlebarsException e) {
            HandlebarsError error = e.getError();
            if (error == null) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                return new TemplateException(0, 0, String.valueOf(cause.getMessage()));
            }
            return new TemplateException(error.line, error.column, error.reason);
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }

        public String reason() {
            return reason;
        }
    }
}
