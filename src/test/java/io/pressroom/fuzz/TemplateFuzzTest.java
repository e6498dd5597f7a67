package io.pressroom.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.github.jknack.handlebars.Template;

import io.pressroom.template.MergeBudget;
import io.pressroom.template.TemplateEngine;
import io.pressroom.template.TemplateEngine.TemplateException;

/**
 * A tenant's template and payload, however hostile, either merge or fail as a template error (the job's
 * {@code template_error}): no other exception, and no merge that escapes its limits (a merge past its budget or size
 * is a template error too; one that ran away regardless would be a timeout or an out-of-memory finding).
 */
class TemplateFuzzTest {

    private static final TemplateEngine ENGINE = new TemplateEngine();
    /** Small limits, as a job's render budget and {@code pressroom.templates.max-merged-chars} are in production. */
    private static final Duration BUDGET = Duration.ofSeconds(2);
    private static final long MAX_CHARS = 1_000_000;

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    @DictionaryEntries({ "{{", "}}", "{{{", "}}}", "{{#each items}}", "{{/each}}", "{{#with a}}", "{{/with}}",
            "{{#if a}}", "{{else}}", "{{/if}}", "{{#unless a}}", "{{/unless}}", "{{> p}}", "{{#*inline \"p\"}}",
            "{{/inline}}", "{{lookup . \"a\"}}", "{{ljust a size=", "{{rjust a size=", "{{center a size=",
            "{{join items \",\"}}", "{{this}}", "{{../a}}", "{{@index}}", "{{@root}}", "{{log a}}", "{{i18n a}}",
            "{{embedded a}}", "{{#block \"b\"}}", "{{/block}}", "{{#partial \"b\"}}", "{{/partial}}", "{{!--",
            "--}}", "\\{{", "{{~", "~}}", "{{dateFormat", "{{numberFormat", "{{stringFormat", "{{replace",
            "{{substring", "{{wordWrap" })
    void anyTemplateMergesOrIsATemplateError(FuzzedDataProvider data) {
        Map<String, Object> payload = payload(data, 3);
        String source = data.consumeRemainingAsString();
        try {
            Template template = ENGINE.compile(source);
            ENGINE.merge(template, payload, MergeBudget.of(BUDGET, MAX_CHARS));
        } catch (TemplateException expected) {
            // the job fails template_error with this reason
        }
    }

    /** A JSON-like payload (maps, lists, strings, numbers, booleans), as Jackson reads one. */
    private static Map<String, Object> payload(FuzzedDataProvider data, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        int fields = data.consumeInt(0, 4);
        for (int i = 0; i < fields; i++) {
            map.put(data.pickValue(new String[] { "a", "b", "items", "name", "this", "size" }), value(data, depth));
        }
        return map;
    }

    private static Object value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, depth > 0 ? 5 : 3)) {
            case 0:
                return data.consumeString(20);
            case 1:
                return data.consumeInt();
            case 2:
                return data.consumeBoolean();
            case 3:
                return null;
            case 4:
                return payload(data, depth - 1);
            default:
                List<Object> list = new ArrayList<>();
                int items = data.consumeInt(0, 30);
                for (int i = 0; i < items; i++) {
                    list.add(value(data, depth - 1));
                }
                return list;
        }
    }
}
