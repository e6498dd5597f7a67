package io.pressroom.render.browser;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.ruiyun.jvppeteer.api.core.Page;
import com.ruiyun.jvppeteer.api.core.Request;
import com.ruiyun.jvppeteer.api.events.PageEvents;
import com.ruiyun.jvppeteer.cdp.core.CdpPage;
import com.ruiyun.jvppeteer.cdp.core.CdpRequest;

class NavProbe {

    interface Job {
        void run() throws Exception;
    }

    static Map<String, Long> byType(long root) {
        Map<String, Long> m = new java.util.TreeMap<>();
        java.util.stream.Stream.concat(java.util.stream.Stream.of(ProcessHandle.of(root).orElseThrow()),
                ProcessHandle.of(root).orElseThrow().descendants()).forEach(p -> {
                    try {
                        String cmd = new String(java.nio.file.Files
                                .readAllBytes(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline")));
                        java.util.regex.Matcher mt = java.util.regex.Pattern.compile("--type=([a-z-]+)").matcher(cmd);
                        String type = mt.find() ? mt.group(1) : (p.pid() == root ? "browser" : "other");
                        if (cmd.contains("--utility-sub-type=")) {
                            var m2 = java.util.regex.Pattern.compile("--utility-sub-type=([a-zA-Z.]+)").matcher(cmd);
                            if (m2.find())
                                type += ":" + m2.group(1);
                        }
                        String st = java.nio.file.Files
                                .readString(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "stat"));
                        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                        m.merge(type, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
                    } catch (Exception e) {
                    }
                });
        return m;
    }

    @Test
    void probe() throws Exception {
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1).restartAfterRenders(100000));
        RenderRequest invoice = TestChromium.bench("invoice.html", RenderOptions.defaults(30_000));
        pool.render(invoice);
        long pid = pool.chromium().pid();
        var browser = pool.chromium().browser();
        String html = invoice.html();
        Map<String, Object> noStream = new HashMap<>(PrintParameters.of(RenderOptions.defaults(30_000)));
        noStream.remove("transferMode");
        Map<String, Object> stream = new HashMap<>(PrintParameters.of(RenderOptions.defaults(30_000)));
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        Consumer<Request> serve = request -> {
            String id = ((CdpRequest) request).interceptionId();
            request.client().send("Fetch.fulfillRequest", Cdp.params("requestId", id, "responseCode", 200,
                    "responseHeaders", List.of(Map.of("name", "Content-Type", "value", "text/html; charset=utf-8")),
                    "body", Base64.getEncoder().encodeToString(body)), null, false);
        };
        Page p1 = browser.newPage();
        Page p2 = browser.newPage();
        Page p3 = browser.newPage();
        p3.setRequestInterception(true);
        p3.on(PageEvents.Request, serve);
        Page p4 = browser.newPage();
        p4.setRequestInterception(true);
        p4.on(PageEvents.Request, serve);
        var ctx = browser.createBrowserContext();
        Page p5 = ctx.newPage();
        p5.setRequestInterception(true);
        p5.setCacheEnabled(false);
        p5.on(PageEvents.Request, serve);
        ((CdpPage) p5).client().send("Emulation.setEmulatedMedia", Cdp.params("media", "print"), 30000, true);
        Page p6 = browser.newPage();
        p6.setRequestInterception(true);
        p6.on(PageEvents.Request, serve);
        Map<String, Job> jobs = new LinkedHashMap<>();
        if (false)
            jobs.put("V1 setContent+print", () -> {
                p1.setContent(html);
                ((CdpPage) p1).client().send("Page.printToPDF", noStream, 30000, true);
            });
        if (false)
            jobs.put("V2 setContent+print(stream)", () -> {
                p2.setContent(html);
                var c = ((CdpPage) p2).client();
                JsonNode r = c.send("Page.printToPDF", stream, 30000, true);
                String h = r.get("stream").asText();
                while (!c.send("IO.read", Cdp.params("handle", h, "size", 1 << 20), 30000, true).path("eof").asBoolean()) {
                }
                c.send("IO.close", Cdp.params("handle", h), 30000, true);
            });
        if (false)
            jobs.put("V3 nav fixed origin+print", () -> {
                p3.goTo("https://bundle-fixed.pressroom.invalid/");
                ((CdpPage) p3).client().send("Page.printToPDF", noStream, 30000, true);
            });
        if (false)
            jobs.put("V4 nav random origin+print", () -> {
                p4.goTo("https://bundle-" + Long.toHexString(System.nanoTime()) + ".pressroom.invalid/");
                ((CdpPage) p4).client().send("Page.printToPDF", noStream, 30000, true);
            });
        if (false)
            jobs.put("V5 incognito nocache media random+print", () -> {
                p5.goTo("https://bundle-" + Long.toHexString(System.nanoTime()) + ".pressroom.invalid/");
                ((CdpPage) p5).client().send("Page.printToPDF", noStream, 30000, true);
            });
        jobs.put("V6 nav fixed origin only", () -> {
            p6.goTo("https://bundle-fixed.pressroom.invalid/");
        });
        jobs.put("V7 setContent only", () -> {
            p1.setContent(html);
        });
        Page p8 = browser.newPage();
        String dataUrl = "data:text/html;base64," + Base64.getEncoder().encodeToString(body);
        if (false)
            jobs.put("V8 nav data: url (no interception)", () -> {
                p8.goTo(dataUrl);
            });
        Page p9 = browser.newPage();
        if (false)
            jobs.put("V9 Page.setDocumentContent", () -> {
                var c = ((CdpPage) p9).client();
                String frame = p9.mainFrame().id();
                c.send("Page.setDocumentContent", Cdp.params("frameId", frame, "html", html), 30000, true);
            });
        Page p10 = browser.newPage();
        jobs.put("V10 nav about:blank", () -> {
            p10.goTo("about:blank");
        });
        Map<String, long[]> totals = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            for (var e : jobs.entrySet()) {
                for (int i = 0; i < 3; i++) {
                    e.getValue().run();
                }
                Thread.sleep(200);
                Map<String, Long> b0 = byType(pid);
                long c0 = PoolProbe.cpuTicks(pid);
                long t0 = System.nanoTime();
                for (int i = 0; i < 12; i++) {
                    e.getValue().run();
                }
                long wall = System.nanoTime() - t0;
                Thread.sleep(200);
                long cpu = PoolProbe.cpuTicks(pid) - c0;
                Map<String, Long> b1 = byType(pid);
                if (round > 0) {
                    StringBuilder sb = new StringBuilder();
                    b1.forEach((k, v) -> sb.append(k).append('=').append((v - b0.getOrDefault(k, 0L)) / 12.0).append(' '));
                    System.out.println("NAVTYPE " + e.getKey() + " " + sb);
                }
                if (round > 0) {
                    long[] t = totals.computeIfAbsent(e.getKey(), k -> new long[3]);
                    t[0] += cpu;
                    t[1] += wall / 1_000_000;
                    t[2] += 12;
                }
            }
        }
        totals.forEach((k, t) -> System.out.printf("NAVPROBE %-45s cpu/job %.1f ms wall/job %.1f ms%n", k,
                t[0] / (double) t[2], t[1] / (double) t[2]));
        pool.close();
    }
}
