package io.pressroom.render.worker;

import io.pressroom.contract.JobOptions;
import io.pressroom.render.browser.Margin;
import io.pressroom.render.browser.RenderOptions;

/**
 * A command's options (nulls meaning "default") as the browser's complete set of render options. The render budget
 * has no default here: the API puts the effective one in every command. The pages to print are cut to one more than
 * the page cap ({@link PageCap}), so that a longer document is known to be too long without printing all of it.
 */
final class RenderOptionsMapper {

    private RenderOptionsMapper() {
    }

    static RenderOptions toRenderOptions(JobOptions job, int maxPages) {
        RenderOptions defaults = RenderOptions.defaults(job.renderTimeoutMs());
        Margin margin = job.margin() == null ? defaults.margin()
                : new Margin(job.margin().top(), job.margin().right(), job.margin().bottom(), job.margin().left());
        return new RenderOptions(
                or(job.format(), defaults.format()),
                or(job.landscape(), defaults.landscape()),
                margin,
                or(job.printBackground(), defaults.printBackground()),
                or(job.scale(), defaults.scale()),
                PageCap.of(job.pageRanges(), maxPages + 1),
                or(job.preferCssPageSize(), defaults.preferCssPageSize()),
                or(job.headerTemplate(), defaults.headerTemplate()),
                or(job.footerTemplate(), defaults.footerTemplate()),
                or(job.emulateMedia(), defaults.emulateMedia()),
                job.waitFor() == null ? defaults.waitForSelector() : job.waitFor().selector(),
                or(job.waitForExpression(), defaults.waitForExpression()),
                or(job.waitDelayMs(), defaults.waitDelayMs()),
                job.renderTimeoutMs(),
                or(job.javascript(), defaults.javascript()),
                or(job.outline(), defaults.outline()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
