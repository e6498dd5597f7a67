package io.pressroom.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.github.jknack.handlebars.Template;

import io.pressroom.template.TemplateEngine.TemplateException;

/** Inline templates are compiled once per project and source, and never shared between projects. */
class InlineTemplatesTest {

    private static final String HTML = "<h1>Invoice {{number}}</h1>";

    /** The real engine, counting its compiles. */
    private static final class CountingEngine extends TemplateEngine {
        final AtomicInteger compiles = new AtomicInteger();

        @Override
        public Template compile(String source) {
            compiles.incrementAndGet();
            return super.compile(source);
        }
    }

    private final CountingEngine engine = new CountingEngine();
    private final InlineTemplates templates = new InlineTemplates(engine);

    @Test
    void theSameTemplateOfOneProjectIsCompiledOnce() throws Exception {
        Template first = templates.compile("prj_a", HTML);
        Template again = templates.compile("prj_a", new String(HTML.toCharArray()));

        assertThat(again).isSameAs(first);
        assertThat(engine.compiles).hasValue(1);
        assertThat(again.apply(Map.of("number", "2026-17"))).isEqualTo("<h1>Invoice 2026-17</h1>");
    }

    @Test
    void anotherProjectsIdenticalTemplateIsCompiledForIt() {
        Template mine = templates.compile("prj_a", HTML);
        Template theirs = templates.compile("prj_b", HTML);

        assertThat(theirs).isNotSameAs(mine);
        assertThat(engine.compiles).hasValue(2);
        assertThat(templates.compile("prj_a", HTML + " ")).isNotSameAs(mine);
    }

    @Test
    void aTemplateThatDoesNotCompileIsNotKept() {
        String broken = "<p>{{#each items}}</p>";
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> templates.compile("prj_a", broken)).isInstanceOf(TemplateException.class);
            assertThat(engine.compiles).hasValue(attempt);
        }
    }
}
