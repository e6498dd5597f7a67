package io.pressroom.render.browser;

import static io.pressroom.render.browser.TestChromium.bench;
import static io.pressroom.render.browser.TestChromium.pages;
import static io.pressroom.render.browser.TestChromium.processesUsing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.ruiyun.jvppeteer.cdp.core.CdpPage;
import com.ruiyun.jvppeteer.util.Helper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pressroom.contract.ErrorCode;

/** Each test owns its pool: they kill browsers and check what is left behind. */
class SupervisionTest {

    @Test
    void aKilledBrowserFailsItsRenderAsCrashedAndIsReplaced() throws Exception {
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1));
        Path firstProfile;
        Path secondProfile;
        try {
            assertThat(pool.version()).contains("Chrome");
            pool.render(TestChromium.html("<p>warm</p>")); // the page exists: the kill lands in the wait below
            ChromiumProcess first = pool.chromium();
            firstProfile = first.profile();
            RenderRequest waiting = new RenderRequest("job-wait", "<p>never ready</p>", Map.of(),
                    Options.options().waitForExpression("window.ready === true").timeoutMs(20_000).build());
            CompletableFuture<RenderResult> render = renderAsync(pool, waiting);
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.busy() == 1);
            Thread.sleep(500); // into the wait

            long killedAt = System.nanoTime();
            ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();

            assertThatThrownBy(render::join).cause().isInstanceOfSatisfying(RenderFailure.class, f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.RENDER_CRASHED);
                assertThat(f.retryable()).isTrue();
            });
            assertThat((System.nanoTime() - killedAt) / 1_000_000).isLessThan(5000);

            assertThat(pages(pool.render(bench("invoice.html", RenderOptions.defaults(30_000))).pdf())).hasSize(1);
            assertThat(pool.chromium().pid()).isNotEqualTo(first.pid());
            secondProfile = pool.chromium().profile();
            assertThat(processesUsing(firstProfile)).isEmpty();
            assertThat(firstProfile).doesNotExist();
        } finally {
            pool.close();
        }
        assertThat(processesUsing(secondProfile)).isEmpty();
        assertThat(secondProfile).doesNotExist();
    }

    /**
     * Killed while a page was being opened in it, as in the fault soak: jvppeteer had sent {@code Target.createTarget}
     * and polled for the new target, a wait that a closed connection does not end (only its 30 s do), and the
     * replacement waited for that lease. The opener here makes the same wait on the first page, with jvppeteer's own
     * helper, so the kill lands in it every time.
     */
    @Test
    void aBrowserKilledWhileAPageIsOpenedInItIsReplacedAtOnce() throws Exception {
        CountDownLatch inTheWait = new CountDownLatch(1);
        AtomicInteger opened = new AtomicInteger();
        BrowserPool pool = new BrowserPool(TestChromium.Config.defaults().concurrency(2), new SimpleMeterRegistry(),
                ChromiumProcess::launch, chromium -> {
                    if (opened.incrementAndGet() == 1) {
                        inTheWait.countDown();
                        Helper.waitForCondition(() -> null, 30_000, "Waiting for target failed");
                    }
                    return PageSlot.open(chromium);
                });
        try {
            assertThat(pool.version()).contains("Chrome"); // started, no page yet
            ChromiumProcess first = pool.chromium();
            CompletableFuture<RenderResult> opening = renderAsync(pool, TestChromium.html("<p>opening</p>"));
            assertThat(inTheWait.await(10, TimeUnit.SECONDS)).isTrue();

            long killedAt = System.nanoTime();
            ProcessHandle browser = ProcessHandle.of(first.pid()).orElseThrow();
            List<ProcessHandle> tree = new ArrayList<>(browser.descendants().toList());
            tree.add(browser);
            tree.forEach(ProcessHandle::destroyForcibly); // what the soak's chromium_kill does

            RenderResult next = renderAsync(pool, TestChromium.html("<p>next</p>")).get(10, TimeUnit.SECONDS);
            assertThat(pages(next.pdf()).get(0)).contains("next");
            // the page's lease ended at once and went on in the new browser
            assertThat(pages(opening.get(10, TimeUnit.SECONDS).pdf()).get(0)).contains("opening");
            assertThat((System.nanoTime() - killedAt) / 1_000_000).isLessThan(10_000);
            assertThat(pool.chromium().pid()).isNotEqualTo(first.pid());
        } finally {
            pool.close();
        }
    }

    /**
     * A cancel that comes while the job's page is still being opened stops the render as soon as it begins (before,
     * it was ignored and the render ran to its end: seen in MultiPodIT on a loaded machine).
     */
    @Test
    void aCancelThatComesWhileThePageIsOpenedStopsTheRender() throws Exception {
        CountDownLatch opening = new CountDownLatch(1);
        CountDownLatch mayOpen = new CountDownLatch(1);
        BrowserPool pool = new BrowserPool(TestChromium.Config.defaults().concurrency(1), new SimpleMeterRegistry(),
                ChromiumProcess::launch, chromium -> {
                    opening.countDown();
                    try {
                        mayOpen.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return PageSlot.open(chromium);
                });
        try {
            RenderRequest slow = new RenderRequest("job-slow", "<p>slow</p>", Map.of(),
                    Options.options().waitDelayMs(20_000).timeoutMs(30_000).build());
            CompletableFuture<RenderResult> render = renderAsync(pool, slow);
            assertThat(opening.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.cancel("job-slow")).isFalse(); // not in flight yet
            long cancelledAt = System.nanoTime();
            mayOpen.countDown();

            assertThatThrownBy(() -> render.get(15, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(RenderFailure.class,
                            f -> assertThat(f.code()).isEqualTo(ErrorCode.CANCELLED));
            assertThat((System.nanoTime() - cancelledAt) / 1_000_000).isLessThan(10_000);
            assertThat(pages(pool.render(TestChromium.html("<p>after</p>")).pdf()).get(0)).contains("after");
        } finally {
            mayOpen.countDown();
            pool.close();
        }
    }

    /** A render waiting for its page to load fails as crashed the moment its browser dies, not at its timeout. */
    @Test
    void aRenderWaitingForItsPageEndsWhenItsBrowserIsKilled() throws Exception {
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1)
                .navigationTimeout(Duration.ofSeconds(30)));
        try {
            pool.render(TestChromium.html("<p>warm</p>"));
            ChromiumProcess first = pool.chromium();
            RenderRequest neverLoads = new RenderRequest("job-loop", "<script>while (true) {}</script>", Map.of(),
                    Options.options().timeoutMs(60_000).build());
            CompletableFuture<RenderResult> render = renderAsync(pool, neverLoads);
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.busy() == 1);
            Thread.sleep(1000); // into the wait for the load event, which never comes

            long killedAt = System.nanoTime();
            ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();

            assertThatThrownBy(() -> render.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(RenderFailure.class, f -> {
                        assertThat(f.code()).isEqualTo(ErrorCode.RENDER_CRASHED);
                        assertThat(f.retryable()).isTrue();
                    });
            // it waited for the navigation's 30 s (18.6 s after the kill, measured) before the exit was heeded
            assertThat((System.nanoTime() - killedAt) / 1_000_000).isLessThan(5000);
            assertThat(pages(pool.render(TestChromium.html("<p>after</p>")).pdf()).get(0)).contains("after");
        } finally {
            pool.close();
        }
    }

    @Test
    void aCrashedPageFailsItsRenderAsCrashedAndTheBrowserStays() throws Exception {
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1));
        try {
            pool.render(TestChromium.html("<p>warm</p>"));
            long pid = pool.chromium().pid();
            CompletableFuture<RenderResult> render = renderAsync(pool, new RenderRequest("job-wait",
                    "<p>never ready</p>", Map.of(), Options.options().waitForExpression("window.ready").build()));
            CdpPage page = await().atMost(Duration.ofSeconds(10)).until(() -> bundlePage(pool), p -> p != null);
            Thread.sleep(300);

            long crashedAt = System.nanoTime();
            // what the OOM killer does; Page.crash would also work but waits for crashpad to write a minidump
            page.client().send("Page.navigate", Cdp.params("url", "chrome://kill"), null, false);

            assertThatThrownBy(render::join).cause().isInstanceOfSatisfying(RenderFailure.class,
                    f -> assertThat(f.code()).isEqualTo(ErrorCode.RENDER_CRASHED));
            assertThat((System.nanoTime() - crashedAt) / 1_000_000).isLessThan(5000);
            assertThat(pages(pool.render(TestChromium.html("<p>after</p>")).pdf()).get(0)).contains("after");
            assertThat(pool.chromium().pid()).isEqualTo(pid);
        } finally {
            pool.close();
        }
    }

    /** A document that navigates: not {@link StaticHtml}, so each of its renders counts whole towards a recycle. */
    private static final RenderRequest NAVIGATES = TestChromium.html("<p>hello</p><script>document.title = 'x'</script>");

    @Test
    void theBrowserIsRecycledAfterItsRenders() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        BrowserPool pool = new BrowserPool(TestChromium.Config.defaults().restartAfterRenders(2), metrics);
        try {
            pool.render(NAVIGATES);
            ChromiumProcess first = pool.chromium();
            pool.render(NAVIGATES);
            assertThat(pool.chromium()).isSameAs(first);

            pool.render(NAVIGATES); // the third asks for the recycle, which starts the next browser beside it

            await().atMost(Duration.ofSeconds(30)).until(() -> pool.chromium() != first);
            // closed after the swap: its processes end, then its profile is deleted
            await().atMost(Duration.ofSeconds(10)).until(() -> processesUsing(first.profile()).isEmpty()
                    && !Files.exists(first.profile()));
            assertThat(metrics.counter("pressroom.chromium.restarts", "reason", "recycle").count()).isEqualTo(1);
            assertThat(metrics.get("pressroom.chromium.pool.capacity").gauge().value()).isEqualTo(2);
        } finally {
            pool.close();
        }
    }

    /**
     * A static document counts as a third of a render towards the recycle: Chromium's memory stays flat over them,
     * and each replacement slows the renders around it (docs/performance.md, "Twenty-second session").
     */
    @Test
    void staticDocumentsWearTheBrowserAThirdAsMuch() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        AtomicInteger launches = new AtomicInteger();
        BrowserPool pool = new BrowserPool(TestChromium.Config.defaults().restartAfterRenders(1), metrics, config -> {
            launches.incrementAndGet();
            return ChromiumProcess.launch(config);
        });
        try {
            RenderRequest small = TestChromium.html("<p>hello</p>");
            assertThat(StaticHtml.test(small.html())).isTrue();
            pool.render(small);
            ChromiumProcess first = pool.chromium();
            pool.render(small);
            pool.render(small);
            Thread.sleep(500); // a recycle asked for too soon would have begun to launch its successor by now
            assertThat(launches).as("browsers launched after three static renders").hasValue(1);
            assertThat(pool.chromium()).isSameAs(first);

            pool.render(small); // three static renders are one: the fourth asks for the recycle
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.chromium() != first);
            ChromiumProcess second = pool.chromium();

            pool.render(NAVIGATES); // one that navigates counts whole
            pool.render(small);
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.chromium() != second);
            assertThat(metrics.counter("pressroom.chromium.restarts", "reason", "recycle").count()).isEqualTo(2);
        } finally {
            pool.close();
        }
    }

    /**
     * A recycle does not hold renders up while the next browser starts (1.5 to 2 s, more on a busy machine): they go
     * on with the old one, which is closed once the new one has taken over.
     */
    @Test
    void rendersGoOnWhileARecycledBrowsersSuccessorStarts() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        CountDownLatch successorStarting = new CountDownLatch(1);
        CountDownLatch successorMayStart = new CountDownLatch(1);
        AtomicInteger launches = new AtomicInteger();
        BrowserPool pool = new BrowserPool(TestChromium.Config.defaults().restartAfterRenders(2), metrics, config -> {
            if (launches.incrementAndGet() == 2) {
                successorStarting.countDown();
                try {
                    successorMayStart.await(); // the successor's start takes as long as the test wants
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            return ChromiumProcess.launch(config);
        });
        try {
            RenderRequest small = TestChromium.html("<p>hello</p>");
            pool.render(NAVIGATES);
            pool.render(NAVIGATES);
            ChromiumProcess first = pool.chromium();
            CompletableFuture<RenderResult> third = renderAsync(pool, small); // asks for the recycle
            assertThat(successorStarting.await(30, TimeUnit.SECONDS)).as("the successor is being started").isTrue();

            // while it starts, renders are done by the browser they recycle
            third.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                renderAsync(pool, small).get(30, TimeUnit.SECONDS);
            }
            assertThat(pool.chromium()).isSameAs(first);

            successorMayStart.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> pool.chromium() != first);
            // it took over warm: a page that has rendered once waits for the first job (no job pays for the
            // browser's first render, which took seconds)
            assertThat(pool.readyPages(pool.chromium())).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> processesUsing(first.profile()).isEmpty());
            assertThat(pages(pool.render(small).pdf())).hasSize(1);
            assertThat(launches).hasValue(2);
            assertThat(metrics.counter("pressroom.chromium.restarts", "reason", "recycle").count()).isEqualTo(1);
        } finally {
            successorMayStart.countDown();
            pool.close();
        }
    }

    @Test
    void limitsEndRendersWithTheirOwnCodes() throws Exception {
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1).maxOutputBytes(20_000)
                .navigationTimeout(Duration.ofSeconds(2)));
        try {
            assertThatThrownBy(() -> pool.render(bench("report.html", RenderOptions.defaults(30_000))))
                    .isInstanceOfSatisfying(RenderFailure.class, f -> {
                        assertThat(f.code()).isEqualTo(ErrorCode.OUTPUT_TOO_LARGE);
                        assertThat(f.retryable()).isFalse();
                    });

            RenderRequest neverLoads = new RenderRequest("job-loop", "<script>while (true) {}</script>", Map.of(),
                    Options.options().timeoutMs(10_000).build());
            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.render(neverLoads)).isInstanceOfSatisfying(RenderFailure.class, f -> {
                assertThat(f.code()).isEqualTo(ErrorCode.NAVIGATION_TIMEOUT);
                assertThat(f.retryable()).isFalse();
            });
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(6000);

            assertThat(pages(pool.render(TestChromium.html("<p>small</p>")).pdf())).hasSize(1);
        } finally {
            pool.close();
        }
    }

    private static CompletableFuture<RenderResult> renderAsync(BrowserPool pool, RenderRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return pool.render(request);
            } catch (RenderFailure e) {
                throw new CompletionException(e);
            }
        });
    }

    /** The page showing a bundle right now, if any. */
    private static CdpPage bundlePage(BrowserPool pool) {
        return pool.chromium().browser().pages().stream().filter(p -> p.url().contains(".pressroom.invalid"))
                .map(CdpPage.class::cast).findFirst().orElse(null);
    }

    @Test
    void closingAnUnusedPoolStartsNothing() {
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults());
        pool.close();
        assertThat(pool.chromium()).isNull();
        assertThat(Files.exists(Path.of(System.getProperty("java.io.tmpdir")))).isTrue();
    }
}
