package io.pressroom.render.browser;

import static io.pressroom.render.browser.TestChromium.pages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pressroom.contract.ErrorCode;

/**
 * A hostile template against canaries on loopback: a TCP server that counts every connection (not only HTTP
 * requests, so preconnects and WebSocket handshakes count too) and a UDP socket that counts any packet (WebRTC).
 */
class SandboxTest {

    private static BrowserPool pool;
    private static ServerSocket tcp;
    private static DatagramSocket udp;
    private static final AtomicInteger connections = new AtomicInteger();
    private static final AtomicInteger datagrams = new AtomicInteger();
    private static final List<String> requestLines = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(SandboxTest::acceptLoop);
        udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        daemon(SandboxTest::receiveLoop);
        pool = TestChromium.pool(TestChromium.Config.defaults());
    }

    @AfterAll
    static void stop() throws IOException {
        pool.close();
        tcp.close();
        udp.close();
    }

    @Test
    void nothingLeavesTheBrowserAndEveryAttemptIsRecorded() throws Exception {
        String canary = "http://127.0.0.1:" + tcp.getLocalPort();
        String html = """
                <!DOCTYPE html>
                <html><head>
                <link rel="prefetch" href="%1$s/prefetch">
                <link rel="preconnect" href="%1$s">
                <link rel="stylesheet" href="%1$s/style.css">
                <style>
                  @import url("%1$s/import.css");
                  @font-face { font-family: Evil; src: url("%1$s/font.woff2"); }
                  body { background: url("%1$s/css-background.png"); font-family: Evil, sans-serif; }
                </style>
                <meta http-equiv="refresh" content="0; url=%1$s/refresh">
                </head><body>
                <p>SANDBOX-OK</p>
                <img src="%1$s/img.png">
                <img src="file:///etc/passwd">
                <img src="http://169.254.169.254/latest/meta-data/">
                <img src="http://10.0.0.1/internal">
                <img src="http://localhost:%2$d/by-name">
                <iframe src="%1$s/iframe"></iframe>
                <iframe src="data:text/html,<img src='%1$s/data-iframe.png'>"></iframe>
                <iframe srcdoc="<img src='%1$s/srcdoc.png'>"></iframe>
                <form id="form" method="post" action="%1$s/form"><input name="a" value="b"></form>
                <script>
                  fetch('%1$s/fetch').catch(() => {});
                  const xhr = new XMLHttpRequest(); xhr.open('GET', '%1$s/xhr'); xhr.send();
                  try { new WebSocket('ws://127.0.0.1:%2$d/ws'); } catch (e) {}
                  try { navigator.sendBeacon('%1$s/beacon', 'x'); } catch (e) {}
                  new Worker(URL.createObjectURL(new Blob(["fetch('%1$s/worker').catch(() => {})"])));
                  try {
                    const rtc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:%3$d' }] });
                    rtc.createDataChannel('x');
                    rtc.createOffer().then(o => rtc.setLocalDescription(o));
                  } catch (e) {}
                  window.open('%1$s/popup');
                  // after load, so that each one gets its turn (see the next test for a navigation during load)
                  window.addEventListener('load', () => {
                    setTimeout(() => document.getElementById('form').submit(), 250);
                    setTimeout(() => { location.href = '%1$s/navigation'; }, 500);
                  });
                </script>
                </body></html>
                """.formatted(canary, tcp.getLocalPort(), udp.getLocalPort());

        RenderResult result = pool.render(new RenderRequest("job-hostile", html, Map.of(),
                Options.options().waitDelayMs(1500).build()));

        assertThat(pages(result.pdf()).get(0)).contains("SANDBOX-OK");
        assertThat(connections.get()).as("connections to the canary: %s", requestLines).isZero();
        assertThat(datagrams.get()).as("UDP packets to the canary").isZero();
        assertThat(result.blocked()).extracting(BlockedRequest::url).contains(
                canary + "/prefetch", canary + "/style.css", canary + "/css-background.png", canary + "/img.png",
                canary + "/iframe", canary + "/fetch", canary + "/xhr", canary + "/beacon", canary + "/worker",
                canary + "/import.css", canary + "/font.woff2", canary + "/data-iframe.png", canary + "/srcdoc.png",
                canary + "/refresh", canary + "/form", canary + "/navigation");
        assertThat(result.blocked()).contains(
                new BlockedRequest(canary + "/img.png", "loopback"),
                new BlockedRequest("http://169.254.169.254/latest/meta-data/", "link_local"),
                new BlockedRequest("http://10.0.0.1/internal", "private_network"),
                new BlockedRequest("http://localhost:" + tcp.getLocalPort() + "/by-name", "loopback"));
        // Chromium refuses these before any request exists, so interception never sees them
        assertThat(result.consoleErrors()).contains("Not allowed to load local resource: file:///etc/passwd")
                .anyMatch(e -> e.contains("WebSocket connection to 'ws://127.0.0.1:" + tcp.getLocalPort() + "/ws' failed")
                        && e.contains("ERR_NAME_NOT_RESOLVED"));
    }

    @Test
    void aNavigationDuringLoadIsRefusedAndThePagePrintsAsFarAsItGot() throws Exception {
        String html = "<p>BEFORE</p><script>location.href = 'http://127.0.0.1:" + tcp.getLocalPort()
                + "/away'</script><p>AFTER</p>";

        RenderResult result = pool.render(TestChromium.html(html));

        assertThat(pages(result.pdf()).get(0)).contains("BEFORE");
        assertThat(result.blocked()).containsExactly(
                new BlockedRequest("http://127.0.0.1:" + tcp.getLocalPort() + "/away", "loopback"));
    }

    @Test
    void theNextRenderSeesNothingOfThePreviousOne() throws Exception {
        // every place a page can keep something: the reader prints what it finds of the writer's
        String writer = """
                <p id="set"></p>
                <script>
                  document.cookie = 'secret=1; domain=pressroom.invalid; path=/';
                  document.cookie = 'own=1; path=/';
                  localStorage.setItem('secret', '1');
                  sessionStorage.setItem('secret', '1');
                  window.name = 'secret';
                  history.pushState({}, '', '#secret');
                  indexedDB.open('secret', 1).onupgradeneeded = e => e.target.result.createObjectStore('s');
                  caches.open('secret').catch(() => {});
                  if (window.cookieStore) {
                    cookieStore.set({ name: 'store', value: '1', domain: 'pressroom.invalid' }).catch(() => {});
                  }
                  document.getElementById('set').textContent = 'SET[' + document.cookie + '|' + typeof cookieStore + '|'
                      + typeof document.documentElement.appendChild(document.createElement('iframe'))
                          .contentWindow.cookieStore + ']';
                  // and late: while the page is left, and from a timer that outlives the render
                  addEventListener('pagehide', () => {
                    document.cookie = 'late=1; domain=pressroom.invalid; path=/';
                    window.name = 'late';
                  });
                  setInterval(() => { document.cookie = 'tick=1; domain=pressroom.invalid; path=/'; }, 1);
                </script>
                """;
        String reader = """
                <p id="out">pending</p>
                <p id="more">pending</p>
                <script>
                  document.getElementById('out').textContent =
                      'COOKIES[' + document.cookie + '] STORAGE[' + localStorage.length + ']';
                  const found = [];
                  if (sessionStorage.length) found.push('session');
                  if (window.name) found.push('name:' + window.name);
                  if (location.hash) found.push('hash');
                  if (history.length > 2) found.push('history:' + history.length);
                  Promise.all([
                    indexedDB.databases().then(d => { if (d.length) found.push('indexeddb'); }).catch(() => {}),
                    caches.keys().then(k => { if (k.length) found.push('caches'); }).catch(() => {}),
                    (window.cookieStore ? cookieStore.getAll() : Promise.resolve([]))
                        .then(c => { if (c.length) found.push('cookieStore:' + c.map(x => x.name)); })
                        .catch(() => {})
                  ]).then(() => { document.getElementById('more').textContent = 'FOUND[' + found.join(',') + ']'; });
                </script>
                """;
        // one after the other on the same page (a pool of one), then side by side (the other page)
        BrowserPool one = TestChromium.pool(TestChromium.Config.defaults().concurrency(1));
        try {
            String written = pages(one.render(new RenderRequest("job-writer", writer, Map.of(),
                    Options.options().waitDelayMs(300).build())).pdf()).get(0);
            assertThat(written).as("cookies are off, the Cookie Store API included")
                    .contains("SET[|undefined|undefined]");
            readNothing(one, reader);
            // a writer whose print Chromium refuses (a page range beyond its end) leaves its page for the next render
            // as a finished one does
            assertThatThrownBy(() -> one.render(new RenderRequest("job-refused-writer", writer, Map.of(),
                    Options.options().waitDelayMs(300).pageRanges("5-6").build())))
                    .isInstanceOfSatisfying(RenderFailure.class,
                            f -> assertThat(f.code()).isEqualTo(ErrorCode.TEMPLATE_ERROR));
            readNothing(one, reader);
        } finally {
            one.close();
        }

        RenderRequest slowWriter = new RenderRequest("job-writer", writer, Map.of(),
                Options.options().waitDelayMs(1500).build());
        RenderRequest lateReader = new RenderRequest("job-reader", "<script>setTimeout(() => {}, 0)</script>" + reader,
                Map.of(), Options.options().waitDelayMs(100).build());
        CompletableFuture<RenderResult> writing = CompletableFuture.supplyAsync(() -> render(slowWriter));
        Thread.sleep(700);
        String concurrent = pages(pool.render(lateReader).pdf()).get(0);
        writing.join();
        assertThat(concurrent).contains("COOKIES[] STORAGE[0]");
    }

    /** Two readers in turn: the second comes after a reader, when the writer's origin has been cleared. */
    private static void readNothing(BrowserPool one, String reader) throws Exception {
        for (int i = 0; i < 2; i++) {
            String next = pages(one.render(new RenderRequest("job-reader", reader, Map.of(),
                    Options.options().waitForExpression("document.getElementById('more').textContent !== 'pending'")
                            .build()))
                    .pdf()).get(0);
            assertThat(next).contains("COOKIES[] STORAGE[0]").contains("FOUND[]");
        }
    }

    @Test
    void aStaticDocumentReusesThePageOnlyAfterDocumentsThatRanNoScript() throws Exception {
        // the footer prints the document's URL: the same host means the page was reused without a navigation
        BrowserPool one = TestChromium.pool(TestChromium.Config.defaults().concurrency(1));
        try {
            String first = printed(one, "<style>p { color: #c00 }</style><p>alpha</p>");
            String second = printed(one, "<p>beta</p>");
            assertThat(second).contains("beta").doesNotContain("alpha");
            assertThat(host(second)).as("a static document after a static one").isEqualTo(host(first));

            String scripted = printed(one, "<p id=\"s\">gamma</p><script>window.leak = 1; setInterval(() => "
                    + "document.body.append('LEAK'), 1);</script>");
            assertThat(host(scripted)).as("a document with script gets a page of its own").isNotEqualTo(host(first));
            String after = printed(one, "<p>delta</p>");
            assertThat(after).contains("delta").doesNotContain("LEAK").doesNotContain("gamma");
            assertThat(host(after)).as("after script ran, a static document is navigated to afresh")
                    .isNotEqualTo(host(scripted));
            assertThat(host(printed(one, "<p>epsilon</p>"))).isEqualTo(host(after));
        } finally {
            one.close();
        }
    }

    private static String printed(BrowserPool pool, String html) throws Exception {
        return pages(pool.render(new RenderRequest("job-static", html, Map.of(),
                Options.options().footer("<span class=\"url\" style=\"font-size: 8px\"></span>").build())).pdf())
                .get(0);
    }

    private static String host(String text) {
        java.util.regex.Matcher host = java.util.regex.Pattern.compile("bundle-[0-9a-f]+\\.pressroom\\.invalid")
                .matcher(text);
        assertThat(host.find()).as("the footer's URL in %s", text).isTrue();
        return host.group();
    }

    private static RenderResult render(RenderRequest request) {
        try {
            return pool.render(request);
        } catch (RenderFailure e) {
            throw new IllegalStateException(e);
        }
    }

    private static void daemon(Runnable loop) {
        Thread thread = new Thread(loop, "canary");
        thread.setDaemon(true);
        thread.start();
    }

    private static void acceptLoop() {
        while (!tcp.isClosed()) {
            try (Socket socket = tcp.accept()) {
                connections.incrementAndGet();
                socket.setSoTimeout(1000);
                InputStream in = socket.getInputStream();
                byte[] head = in.readNBytes(Math.min(200, Math.max(1, in.available())));
                requestLines.add(new String(head, StandardCharsets.ISO_8859_1).lines().findFirst().orElse(""));
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                // closed at the end of the test, or a client that went away
            }
        }
    }

    private static void receiveLoop() {
        byte[] buffer = new byte[2048];
        while (!udp.isClosed()) {
            try {
                udp.receive(new DatagramPacket(buffer, buffer.length));
                datagrams.incrementAndGet();
            } catch (IOException e) {
                // closed at the end of the test
            }
        }
    }
}
