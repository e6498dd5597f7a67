package io.pressroom.template;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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

import io.pressroom.common.Causes;

/**
 * Handlebars for user templates, locked down: the payload (JSON maps, lists and scalars) is the only thing a
 * template can reach. Values resolve through map keys only (no getters, fields or methods), nothing is loaded
 * from disk or the classpath, and output is HTML-escaped unless the template opts out with {@code {{{…}}}}.
 */
@ApplicationScoped
public class TemplateEngine {

    /** Widest {@code size} of the padding helpers ({@code ljust}, {@code rjust}, {@code center}). */
    public static final int MAX_PAD = 10_000;
    /** Most characters one string helper ({@code join}, {@code replace}) may build before it writes anything. */
    public static final int MAX_HELPER_RESULT = 1_000_000;
    /** A width or precision of 5 or more digits in a {@code stringFormat} pattern. */
    private static final Pattern WIDE_FORMAT = Pattern.compile("\\d{5,}");

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
        // helpers that allocate by argument, before anything is written: capped so one call cannot take the heap
        for (StringHelpers padding : List.of(StringHelpers.ljust, StringHelpers.rjust, StringHelpers.center)) {
            handlebars.registerHelper(padding.name(), (context, options) -> {
                Object size = options.hash("size");
                if (size != null && toLong(size) > MAX_PAD) {
                    throw new IllegalArgumentException(padding.name() + ": size must be at most " + MAX_PAD);
                }
                return padding.apply(context, options);
            });
        }
        handlebars.registerHelper(StringHelpers.stringFormat.name(), (context, options) -> {
            if (context != null && WIDE_FORMAT.matcher(context.toString()).find()) {
                throw new IllegalArgumentException("stringFormat: widths and precisions must be below 10000");
            }
            return StringHelpers.stringFormat.apply(context, options);
        });
        handlebars.registerHelper(StringHelpers.replace.name(), (context, options) -> {
            String value = context == null ? "" : context.toString();
            String target = String.valueOf(options.param(0, (Object) ""));
            String replacement = String.valueOf(options.param(1, (Object) ""));
            long occurrences = target.isEmpty() ? value.length() + 1L : occurrences(value, target);
            checkHelperResult("replace", value.length() + occurrences * replacement.length());
            return StringHelpers.replace.apply(context, options);
        });
        handlebars.registerHelper(StringHelpers.join.name(), (context, options) -> {
            Object separator = options.params.length == 0 ? "" : options.param(options.params.length - 1, (Object) "");
            long items = context instanceof java.util.Collection<?> list ? list.size()
                    : context instanceof Object[] array ? array.length : options.params.length + 1L;
            checkHelperResult("join", items * String.valueOf(separator).length());
            return StringHelpers.join.apply(context, options);
        });
    }

    private static long toLong(Object value) {
        try {
            return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long occurrences(String value, String target) {
        long count = 0;
        for (int at = value.indexOf(target); at >= 0; at = value.indexOf(target, at + target.length())) {
            count++;
        }
        return count;
    }

    private static void checkHelperResult(String helper, long chars) {
        if (chars > MAX_HELPER_RESULT) {
            throw new IllegalArgumentException(helper + ": the result would be longer than " + MAX_HELPER_RESULT
                    + " characters");
        }
    }

    /**
     * Compiles a template, or throws {@link TemplateException} naming the line of the first error. Blocks nested
     * thousands deep overflow the stack of Handlebars' parser (20,000 {@code {{#if}}}s in a 200 KB template did, on
     * the API's event loop): that is the template's error too, not the server's.
     */
    public Template compile(String source) {
        try {
            return handlebars.compileInline(source);
        } catch (HandlebarsException e) {
            throw TemplateException.from(e);
        } catch (IOException | RuntimeException e) {
            throw new TemplateException(0, 0, e.getMessage() == null ? "template does not compile" : e.getMessage());
        } catch (StackOverflowError e) {
            throw new TemplateException(0, 0, NESTED_TOO_DEEPLY);
        }
    }

    static final String NESTED_TOO_DEEPLY = "blocks or partials are nested too deeply";

    /** Merges a compiled template with a payload made of JSON maps, lists and scalars, without limits. */
    public String merge(Template template, Object payload) {
        return merge(template, payload, MergeBudget.UNLIMITED);
    }

    /**
     * Merges within {@code budget}: the output is written to a writer that counts what it takes and checks the
     * deadline (and the thread's interrupt flag) on every write, and every value lookup checks them too, so a
     * runaway merge — nested {@code {{#each}}} over large lists, with or without output — stops by itself with a
     * {@link TemplateException} instead of running on.
     */
    public String merge(Template template, Object payload, MergeBudget budget) {
        BoundedWriter out = new BoundedWriter(budget);
        Context context = Context.newBuilder(payload).resolver(new CheckedResolver(budget)).build();
        try {
            template.apply(context, out);
            return out.toString();
        } catch (HandlebarsException e) {
            throw exceeded(e).orElseGet(() -> TemplateException.from(e));
        } catch (IOException | RuntimeException e) {
            throw exceeded(e).orElseGet(() -> new TemplateException(0, 0,
                    e.getMessage() == null ? "template merge failed" : e.getMessage()));
        } catch (StackOverflowError e) { // a partial that includes itself, say
            throw new TemplateException(0, 0, NESTED_TOO_DEEPLY);
        } finally {
            context.destroy();
        }
    }

    private static java.util.Optional<TemplateException> exceeded(Throwable failure) {
        return Causes.find(failure, MergeBudget.Exceeded.class)
                .map(limit -> new TemplateException(0, 0, limit.getMessage()));
    }

    /** Output of a merge, counted and checked against its budget on every write. */
    private static final class BoundedWriter extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final MergeBudget budget;

        BoundedWriter(MergeBudget budget) {
            this.budget = budget;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            budget.check(text.length() + (long) length);
            text.append(chars, offset, length);
        }

        @Override
        public void write(String string, int offset, int length) {
            budget.check(text.length() + (long) length);
            text.append(string, offset, offset + length);
        }

        @Override
        public Writer append(CharSequence chars) {
            CharSequence value = chars == null ? "null" : chars;
            budget.check(text.length() + (long) value.length());
            text.append(value);
            return this;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Map keys only, like {@link MapValueResolver}, with the merge's deadline checked on every lookup. */
    private static final class CheckedResolver implements ValueResolver {
        private final MergeBudget budget;

        CheckedResolver(MergeBudget budget) {
            this.budget = budget;
        }

        @Override
        public Object resolve(Object context, String name) {
            budget.check(0);
            return MapValueResolver.INSTANCE.resolve(context, name);
        }

        @Override
        public Object resolve(Object context) {
            budget.check(0);
            return MapValueResolver.INSTANCE.resolve(context);
        }

        @Override
        public Set<Map.Entry<String, Object>> propertySet(Object context) {
            budget.check(0);
            return MapValueResolver.INSTANCE.propertySet(context);
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
