package io.pressroom.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.jknack.handlebars.Template;

import io.pressroom.template.TemplateEngine.TemplateException;

class TemplateEngineTest {

    private final TemplateEngine engine = new TemplateEngine();

    private String render(String template, Object payload) {
        return engine.merge(engine.compile(template), payload);
    }

    @Test
    void payloadIsTheRootAndBlocksWork() {
        Map<String, Object> payload = Map.of("customer", "Acme Corp", "paid", true,
                "items", List.of(Map.of("name", "Widget"), Map.of("name", "Gadget")),
                "address", Map.of("city", "Lyon"));
        String html = render("<h1>{{customer}}</h1>{{#each items}}<li>{{name}}</li>{{/each}}"
                + "{{#if paid}}PAID{{else}}DUE{{/if}}{{#with address}}{{city}}{{/with}}", payload);
        assertThat(html).isEqualTo("<h1>Acme Corp</h1><li>Widget</li><li>Gadget</li>PAIDLyon");
    }

    @Test
    void valuesAreHtmlEscapedUnlessTripleStashed() {
        Map<String, Object> payload = Map.of("evil", "<script>alert(1)</script>", "braces", "{{customer}}",
                "customer", "Acme", "trusted", "<b>bold</b>");
        assertThat(render("{{evil}}", payload)).isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(render("{{braces}}", payload)).isEqualTo("{{customer}}");
        assertThat(render("{{{trusted}}}", payload)).isEqualTo("<b>bold</b>");
        assertThat(render("<p title=\"{{q}}\">", Map.of("q", "\" onload=\"x"))).doesNotContain("\" onload");
    }

    @Test
    void nothingButMapKeysResolves() {
        // a String's getters (getBytes, getClass, isEmpty) must stay out of reach
        Map<String, Object> payload = Map.of("name", "Acme", "list", List.of("a"));
        assertThat(render("[{{name.class}}][{{name.bytes}}][{{name.empty}}][{{list.class.name}}]", payload))
                .isEqualTo("[][][][]");
        Object bean = new Object() {
            @SuppressWarnings("unused")
            public String getSecret() {
                return "leaked";
            }
        };
        assertThat(render("[{{bean.secret}}]", Map.of("bean", bean))).isEqualTo("[]");
    }

    @Test
    void partialsAndHelpersThatReachOutsideAreRefused() {
        assertThatThrownBy(() -> render("{{> /etc/passwd}}", Map.of())).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> render("{{> header}}", Map.of())).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> render("{{i18n \"hello\"}}", Map.of())).isInstanceOf(TemplateException.class)
                .hasMessageContaining("i18n");
        assertThatThrownBy(() -> render("{{embedded \"x\"}}", Map.of())).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> render("{{log \"x\"}}", Map.of())).isInstanceOf(TemplateException.class);
    }

    @Test
    void inlinePartialsStillWork() {
        assertThat(render("{{#*inline \"row\"}}<td>{{v}}</td>{{/inline}}{{#each cells}}{{> row}}{{/each}}",
                Map.of("cells", List.of(Map.of("v", "a"), Map.of("v", "b"))))).isEqualTo("<td>a</td><td>b</td>");
    }

    @Test
    void compileErrorsNameTheLine() {
        assertThatThrownBy(() -> engine.compile("<html>\n<body>\n{{#each items}}\n<p>{{name}}</p>\n</body>"))
                .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.line()).isPositive())
                .hasMessageStartingWith("line ");
        assertThatThrownBy(() -> engine.compile("ok\nstill ok\n{{#if}}{{/each}}"))
                .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.line()).isEqualTo(3));
    }

    @Test
    void cssAndScriptBracesAreLeftAlone() {
        String template = "<style>body { margin: 0 }</style><script>const o = { a: 1 };</script>{{x}}";
        assertThat(render(template, Map.of("x", "y")))
                .isEqualTo("<style>body { margin: 0 }</style><script>const o = { a: 1 };</script>y");
    }

    /** Five nested loops over 400 items: 10^13 iterations, days of work without a budget. */
    static final String NESTED_EACH = "{{#each items}}{{#each items}}{{#each items}}{{#each items}}{{#each items}}"
            + ".{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}";

    static Map<String, Object> fourHundredItems() {
        return Map.of("items", java.util.stream.IntStream.range(0, 400).boxed().toList());
    }

    @Test
    void aRunawayMergeStopsAtItsDeadlineWhetherItWritesOrNot() {
        for (String template : List.of(NESTED_EACH, NESTED_EACH.replace(".", ""))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.merge(engine.compile(template), fourHundredItems(),
                    MergeBudget.of(java.time.Duration.ofSeconds(1), Long.MAX_VALUE)))
                    .isInstanceOf(TemplateException.class).hasMessageContaining("longer than the render budget");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(java.time.Duration.ofSeconds(3));
        }
    }

    @Test
    void aMergeStopsAtItsOutputCap() {
        assertThatThrownBy(() -> engine.merge(engine.compile("{{#each items}}0123456789{{/each}}"),
                fourHundredItems(), MergeBudget.of(java.time.Duration.ofMinutes(1), 1000)))
                .isInstanceOf(TemplateException.class).hasMessageContaining("larger than 1000 characters");
        assertThat(engine.merge(engine.compile("{{#each items}}0{{/each}}"), fourHundredItems(),
                MergeBudget.of(java.time.Duration.ofMinutes(1), 1000))).hasSize(400);
    }

    @Test
    void helpersThatAllocateByArgumentAreCapped() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> render("{{ljust \"x\" size=200000000}}", Map.of()))
                .isInstanceOf(TemplateException.class).hasMessageContaining("size must be at most 10000");
        assertThatThrownBy(() -> render("{{rjust \"x\" size=\"200000000\"}}", Map.of()))
                .hasMessageContaining("size must be at most 10000");
        assertThatThrownBy(() -> render("{{center \"x\" size=10001}}", Map.of()))
                .hasMessageContaining("size must be at most 10000");
        assertThatThrownBy(() -> render("{{stringFormat \"%200000000s\" \"x\"}}", Map.of()))
                .hasMessageContaining("below 10000");
        assertThatThrownBy(() -> render("{{replace text \"\" r}}", Map.of("text", "a".repeat(100_000),
                "r", "b".repeat(100)))).hasMessageContaining("longer than 1000000 characters");
        assertThatThrownBy(() -> render("{{join items s}}", Map.of("items", java.util.Collections.nCopies(
                100_000, 1), "s", "-".repeat(100)))).hasMessageContaining("longer than 1000000 characters");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(2));
        // within the caps they work as before
        assertThat(render("[{{ljust \"x\" size=3}}][{{rjust \"x\" size=3}}][{{center \"x\" size=3}}]", Map.of()))
                .isEqualTo("[x  ][  x][ x ]");
        assertThat(render("{{stringFormat \"%05d\" 42}}", Map.of())).isEqualTo("00042");
        assertThat(render("{{replace \"a-b\" \"-\" \"+\"}}", Map.of())).isEqualTo("a+b");
        assertThat(render("{{join items \", \"}}", Map.of("items", List.of(1, 2)))).isEqualTo("1, 2");
    }

    @Test
    void nestingDeeperThanTheStackIsTheTemplatesError() {
        String deep = "{{#if a}}".repeat(20_000) + "x" + "{{/if}}".repeat(20_000);
        assertThatThrownBy(() -> engine.compile(deep)).isInstanceOf(TemplateException.class)
                .hasMessage(TemplateEngine.NESTED_TOO_DEEPLY);
        Template recursive = engine.compile("{{#*inline \"again\"}}{{> again}}{{/inline}}{{> again}}");
        assertThatThrownBy(() -> engine.merge(recursive, Map.of()))
                .isInstanceOf(TemplateException.class).hasMessage(TemplateEngine.NESTED_TOO_DEEPLY);
    }
}
