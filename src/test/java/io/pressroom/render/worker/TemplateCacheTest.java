package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.github.jknack.handlebars.Template;

import io.pressroom.template.TemplateEngine;
import io.pressroom.template.TemplateEngine.TemplateException;

/** Inline templates are compiled once per project and source, and never shared between projects. */
class TemplateCacheTest {

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
    private final TemplateCache cache = new TemplateCache(null, engine);

    @Test
    void theSameTemplateOfOneProjectIsCompiledOnce() throws Exception {
        TemplateCache.Prepared first = cache.inline("prj_a", HTML);
        TemplateCache.Prepared again = cache.inline("prj_a", new String(HTML.toCharArray()));

        assertThat(again).isSameAs(first);
        assertThat(engine.compiles).hasValue(1);
        assertThat(again.template().apply(Map.of("number", "2026-17"))).isEqualTo("<h1>Invoice 2026-17</h1>");
    }

    @Test
    void anotherProjectsIdenticalTemplateIsCompiledForIt() {
        TemplateCache.Prepared mine = cache.inline("prj_a", HTML);
        TemplateCache.Prepared theirs = cache.inline("prj_b", HTML);

        assertThat(theirs).isNotSameAs(mine);
        assertThat(engine.compiles).hasValue(2);
        assertThat(cache.inline("prj_a", HTML + " ")).isNotSameAs(mine);
    }

    @Test
    void aTemplateThatDoesNotCompileIsNotKept() {
        String broken = "<p>{{#each items}}</p>";
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> cache.inline("prj_a", broken)).isInstanceOf(TemplateException.class);
            assertThat(engine.compiles).hasValue(attempt);
        }
    }
}
