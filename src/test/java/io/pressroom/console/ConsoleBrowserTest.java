package io.pressroom.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.ruiyun.jvppeteer.api.core.Browser;
import com.ruiyun.jvppeteer.api.core.Page;
import com.ruiyun.jvppeteer.api.events.PageEvents;
import com.ruiyun.jvppeteer.cdp.core.Puppeteer;
import com.ruiyun.jvppeteer.cdp.entities.ConsoleMessage;
import com.ruiyun.jvppeteer.cdp.entities.LaunchOptions;
import com.ruiyun.jvppeteer.cdp.entities.ScreenshotOptions;
import com.ruiyun.jvppeteer.cdp.entities.Viewport;
import com.ruiyun.jvppeteer.cdp.entities.WaitForOptions;

import io.pressroom.config.PressroomConfig;
import io.pressroom.testing.Api;
import io.pressroom.testing.Api.TestProject;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console in a real browser: the Debian Chromium the renderers use, driven through jvppeteer. A person signs in
 * with a key, sees a job created through the API appear in the list, opens it, and sees its live timeline and a page
 * preview; the browser reports no console error, no uncaught exception and no Content-Security-Policy violation.
 * Screenshots are written to target/console-screenshots/ (docs/console.md shows two of them).
 */
@QuarkusTest
class ConsoleBrowserTest {

    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @TestHTTPResource("/console")
    URL console;

    @Inject
    PressroomConfig config;

    private Browser browser;
    private Path profile;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void launch() throws IOException {
        profile = Files.createTempDirectory("pressroom-console-test-");
        List<String> args = new ArrayList<>(List.of("--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--force-color-profile=srgb", "--user-data-dir=" + profile));
        if ("root".equals(System.getProperty("user.name"))) {
            args.add("--no-sandbox"); // Chromium refuses its sandbox to root
        }
        browser = Puppeteer.launch(LaunchOptions.builder().executablePath(config.chromium().executablePath())
                .ignoreAllDefaultArgs(true).headless(false).args(args).timeout(60_000)
                // a waitFor… is one protocol call that lasts as long as the wait: longer than the page's timeout
                .protocolTimeout(180_000).build());
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void close() throws Exception {
        if (browser != null) {
            browser.close();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    @Test
    void signInSeeAJobArriveOpenItWatchItsTimelineAndPreview() throws Exception {
        TestProject project = Api.newProject();
        Page page = browser.newPage();
        page.setDefaultTimeout(90_000);
        page.setViewport(new Viewport(1280, 860));
        watch(page);

        page.goTo(console.toString());
        page.waitForSelector("#api-key");
        page.type("#api-key", project.key());
        page.click("#sign-in-form button[type=submit]");
        page.waitForFunction("() => document.getElementById('jobs-status').textContent.startsWith('No jobs')");

        // a job created through the API appears in the list by itself
        String jobId = project.call().body(Map.of("html", INVOICE, "businessKey", "INV-2026-0042",
                "formats", List.of("pdf", "png"), "meta", Map.of("orderId", "A-1001")))
                .post("/v1/render-jobs").then().statusCode(202).extract().path("job.id");
        String row = "#row-" + jobId;
        page.waitForSelector(row + " a[href='/console/jobs/" + jobId + "']");
        page.waitForFunction("() => document.querySelector('" + row + " .status').textContent === 'succeeded'");
        screenshot(page, "console-jobs.png");

        clickAndLoad(page, row + " a");
        assertThat(page.url()).endsWith("/console/jobs/" + jobId);
        // the timeline streams in, up to the terminal event
        page.waitForSelector("#timeline li.event-succeeded");
        assertThat(texts(page, "#timeline li strong")).startsWith("created", "queued", "rendering");
        // the page preview is fetched with the key and shown from a blob: URL
        // (the job's fragment is loaded again as its timeline moves: a check in one call sees one image)
        page.waitForFunction("() => { const img = document.querySelector('img.preview');"
                + " return img && img.complete && img.naturalWidth > 100 && img.src.startsWith('blob:'); }");
        page.waitForSelector("a[href^='/v1/downloads/']");
        assertThat((String) page.evaluate("() => document.getElementById('timeline-state').textContent"))
                .contains("complete");
        screenshot(page, "console-job.png");

        // the key never appears in a URL, and stays in this tab's session storage only
        assertThat(page.url()).doesNotContain(project.key());
        assertThat((String) page.evaluate("() => JSON.stringify(localStorage)")).doesNotContain(project.key());

        Thread.sleep(300); // late console messages of the last requests
        assertThat(problems).as("console errors, page errors and CSP violations").isEmpty();
        page.close();
    }

    @Test
    void aTemplatesPreviewFollowsTheEditedSamplePayloadAndUsageIsCharted() throws Exception {
        TestProject project = Api.newProject();
        String deployId = Api.createDeploy(project, "Invoice");
        project.call().body(Map.of("html", "<html><body><h1>Invoice for {{customer}}</h1></body></html>",
                "schema", Map.of("type", "object", "required", List.of("customer"),
                        "properties", Map.of("customer", Map.of("type", "string"))),
                "samplePayload", Map.of("customer", "Acme Corp")))
                .post("/v1/deploys/" + deployId + "/versions").then().statusCode(201);
        Page page = browser.newPage();
        page.setDefaultTimeout(90_000);
        page.setViewport(new Viewport(1280, 860));
        watch(page);

        page.goTo(console.toString() + "/deploys/" + deployId);
        page.waitForSelector("#api-key");
        page.type("#api-key", project.key());
        page.click("#sign-in-form button[type=submit]");
        page.waitForSelector("#sample-payload");
        assertThat((String) page.evaluate("() => document.getElementById('sample-payload').value"))
                .contains("Acme Corp");

        // an edit re-renders the preview through POST …/preview, shown from a blob: URL
        page.evaluate("() => { const area = document.getElementById('sample-payload');"
                + " area.value = JSON.stringify({customer: 'Globex'});"
                + " area.dispatchEvent(new Event('input', {bubbles: true})); }");
        page.waitForFunction("() => /^(Preview rendered|No preview|The payload)/.test("
                + "document.getElementById('preview-state').textContent)");
        assertThat((String) page.evaluate("() => document.getElementById('preview-state').textContent"))
                .startsWith("Preview rendered");
        page.waitForFunction("() => { const img = document.getElementById('preview-image');"
                + " return !img.hidden && img.complete && img.naturalWidth > 0; }");
        assertThat(((Number) page.evaluate("() => document.getElementById('preview-image').naturalWidth"))
                .intValue()).isGreaterThan(500);
        screenshot(page, "console-template.png");

        // a payload that breaks the version's contract is said in the status, not shown as a preview
        page.evaluate("() => { const area = document.getElementById('sample-payload');"
                + " area.value = JSON.stringify({customer: 42});"
                + " area.dispatchEvent(new Event('input', {bubbles: true})); }");
        page.waitForFunction("() => document.getElementById('preview-state').textContent.startsWith('No preview')");
        problems.removeIf(problem -> problem.contains("status of 400")); // the refused preview request itself

        clickAndLoad(page, "a[href='/console/usage']");
        // arriving signed in: the page's fragments load without another sign-in
        page.waitForFunction("() => document.querySelector('#usage svg') || !document.getElementById('problem').hidden");
        assertThat((String) page.evaluate("() => document.getElementById('problem').textContent")).isEmpty();
        assertThat(((Number) page.evaluate("() => document.querySelectorAll('#usage svg rect').length")).intValue())
                .isPositive();
        screenshot(page, "console-usage.png");

        Thread.sleep(300);
        assertThat(problems).as("console errors, page errors and CSP violations").isEmpty();
        page.close();
    }

    /** Console errors and warnings, uncaught exceptions and CSP violations (which Chromium logs as console errors). */
    private void watch(Page page) throws Exception {
        page.on(PageEvents.Console, (ConsoleMessage message) -> {
            String type = String.valueOf(message.type()).toLowerCase(java.util.Locale.ROOT);
            if (type.contains("error") || type.contains("warn") || type.contains("assert")) {
                problems.add("console " + type + ": " + message.text());
            }
        });
        page.on(PageEvents.PageError, (Object error) -> problems.add("page error: " + error));
        page.evaluateOnNewDocument("() => document.addEventListener('securitypolicyviolation', event => "
                + "console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI))");
    }

    /**
     * Clicks a link and waits for the page it opens to load: a wait started while the old page is being replaced
     * would be interrupted with it.
     */
    private static void clickAndLoad(Page page, String selector) {
        page.waitForNavigation(new WaitForOptions(), () -> {
            try {
                page.click(selector);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static List<String> texts(Page page, String selector) throws Exception {
        @SuppressWarnings("unchecked")
        List<String> texts = (List<String>) page.evaluate("() => Array.from(document.querySelectorAll('" + selector
                + "')).map(e => e.textContent)");
        return texts;
    }

    private static void screenshot(Page page, String name) throws Exception {
        ScreenshotOptions options = new ScreenshotOptions();
        options.setPath(SCREENSHOTS.resolve(name).toString());
        options.setFullPage(true);
        page.screenshot(options);
    }

    private static final String INVOICE = """
            <html><head><style>
              body { font-family: 'Liberation Sans', sans-serif; margin: 40px; color: #222 }
              h1 { color: #0b4f9c } table { border-collapse: collapse; width: 100% }
              td, th { border-bottom: 1px solid #ccc; padding: 6px; text-align: left }
            </style></head><body>
            <h1>Invoice INV-2026-0042</h1><p>Acme Corp, 1 Main Street</p>
            <table><tr><th>Item</th><th>Qty</th><th>Price</th></tr>
            <tr><td>Widget</td><td>2</td><td>19.00</td></tr><tr><td>Gadget</td><td>1</td><td>42.00</td></tr></table>
            <p><strong>Total: 80.00</strong></p></body></html>""";
}
