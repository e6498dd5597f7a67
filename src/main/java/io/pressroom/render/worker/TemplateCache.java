package io.pressroom.render.worker;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.jknack.handlebars.Template;

import io.pressroom.bundle.BundleFile;
import io.pressroom.bundle.BundleStorage;
import io.pressroom.bundle.TemplateBundle;
import io.pressroom.render.browser.BundleAsset;
import io.pressroom.template.InlineTemplates;
import io.pressroom.template.TemplateEngine;

/**
 * Template bundles by storage prefix, compiled once. Versions are immutable, so an entry never goes stale; the cache
 * is bounded by bytes. Blocking (reads object storage on a miss).
 * <p>
 * Inline templates (a job's {@code html}) are kept by {@link InlineTemplates}, per project and source.
 */
@ApplicationScoped
public class TemplateCache {

    /** A version ready to render: its compiled index.html and its assets by path. */
    public record Prepared(Template template, Map<String, BundleAsset> assets, long bytes) {
    }

    private static final long MAX_BYTES = 256L * 1024 * 1024;
    private final BundleStorage bundles;
    private final TemplateEngine templates;
    private final Cache<String, Prepared> cache = Caffeine.newBuilder()
            .maximumWeight(MAX_BYTES)
            .weigher((String prefix, Prepared prepared) -> (int) Math.min(Integer.MAX_VALUE, prepared.bytes()))
            .build();

    private final InlineTemplates inline;

    public TemplateCache(BundleStorage bundles, TemplateEngine templates, InlineTemplates inline) {
        this.bundles = bundles;
        this.templates = templates;
        this.inline = inline;
    }

    public Prepared get(String prefix) {
        return cache.get(prefix, this::load);
    }

    /** The template of an inline-html job of the project; one that does not compile is not kept. */
    public Prepared inline(String projectId, String html) {
        return new Prepared(inline.compile(projectId, html), Map.of(), html.length());
    }

    private Prepared load(String prefix) {
        List<BundleFile> manifest = bundles.manifest(prefix);
        if (manifest == null) {
            throw new IllegalStateException("template bundle " + prefix + " is missing from storage");
        }
        Map<String, BundleAsset> assets = new HashMap<>();
        String html = null;
        long bytes = 0;
        for (BundleFile file : manifest) {
            byte[] content = bundles.file(prefix, file.path());
            if (content == null) {
                throw new IllegalStateException("template bundle " + prefix + " lacks " + file.path());
            }
            bytes += content.length;
            if (file.path().equals(TemplateBundle.INDEX)) {
                html = new String(content, StandardCharsets.UTF_8);
            } else {
                assets.put(file.path(), new BundleAsset(file.contentType(), content));
            }
        }
        if (html == null) {
            throw new IllegalStateException("template bundle " + prefix + " has no index.html");
        }
        return new Prepared(templates.compile(html), Map.copyOf(assets), bytes);
    }
}
