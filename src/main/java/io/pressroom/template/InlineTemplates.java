package io.pressroom.template;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.jknack.handlebars.Template;

import io.pressroom.template.TemplateEngine.TemplateException;

/**
 * Inline templates (a job's {@code html}) compiled once per project and source, for the API that checks them when a
 * job is created and for the renderer that merges them: a client that sends the same template with every job has it
 * compiled once in each process, and once in all where the API and the renderer share one. Per project: how fast a
 * job is accepted or rendered must not tell one project whether another sent the same template. A template that does
 * not compile is not kept.
 */
@ApplicationScoped
public class InlineTemplates {

    /** Characters of template source kept compiled, all projects together. */
    private static final long MAX_CHARS = 8L * 1024 * 1024;

    private record Key(String projectId, String html) {
    }

    private final TemplateEngine engine;
    private final Cache<Key, Template> compiled = Caffeine.newBuilder()
            .maximumWeight(MAX_CHARS)
            .weigher((Key key, Template template) -> key.html().length())
            .build();

    public InlineTemplates(TemplateEngine engine) {
        this.engine = engine;
    }

    /** The project's template compiled from {@code html}; a {@link TemplateException} when it does not compile. */
    public Template compile(String projectId, String html) {
        return compiled.get(new Key(projectId, html), key -> engine.compile(key.html()));
    }
}
