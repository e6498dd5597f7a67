package io.pressroom.render.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.ruiyun.jvppeteer.api.core.Page;
import com.ruiyun.jvppeteer.cdp.core.CdpPage;

class PoolProbe {

    static long cpuTicks(long root) {
        long[] sum = { 0 };
        java.util.stream.Stream.concat(java.util.stream.Stream.of(ProcessHandle.of(root).orElseThrow()),
                ProcessHandle.of(root).orElseThrow().descendants()).forEach(p -> {
                    try {
                        String s = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                        sum[0] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    } catch (Exception e) {
                    }
                });
        return sum[0] * 10;
    }

    @Test
    void probe() throws Exception {
        int n = Integer.getInteger("probe.n", 60);
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1).restartAfterRenders(100000));
        RenderRequest invoice = TestChromium.bench("invoice.html", RenderOptions.defaults(30_000));
        for (int i = 0; i < 20; i++) {
            pool.render(invoice);
        }
        long pid = pool.chromium().pid();
        for (String mode : System.getProperty("probe.modes", "default").split(",")) {
            System.setProperty("probe.mode", mode);
            for (int i = 0; i < 5; i++) {
                pool.render(invoice);
            }
            Thread.sleep(500);
            long cpu0 = cpuTicks(pid);
            long t0 = System.nanoTime();
            long load = 0, print = 0;
            for (int i = 0; i < n; i++) {
                RenderResult r = pool.render(invoice);
                load += r.loadMs();
                print += r.printMs();
            }
            long wall = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(500);
            long cpu = cpuTicks(pid) - cpu0;
            System.out.printf("PROBE pool %s: wall/job %.1f ms, chromium cpu/job %.1f ms, load %.1f print %.1f, renderers %d%n",
                    System.getProperty("probe.mode", "default"), wall / (double) n, cpu / (double) n, load / (double) n,
                    print / (double) n, TestChromium.renderers(pid).size());
        }
        // bare on the same browser
        Page page = pool.chromium().browser().newPage();
        var session = ((CdpPage) page).client();
        Map<String, Object> params = new HashMap<>(PrintParameters.of(RenderOptions.defaults(30_000)));
        params.remove("transferMode");
        for (int i = 0; i < 20; i++) {
            page.setContent(invoice.html());
            session.send("Page.printToPDF", params, 30000, true);
        }
        long cpu0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            page.setContent(invoice.html());
            session.send("Page.printToPDF", params, 30000, true);
        }
        long wall = (System.nanoTime() - t0) / 1_000_000;
        Thread.sleep(500);
        long cpu = cpuTicks(pid) - cpu0;
        System.out.printf("PROBE bare: wall/job %.1f ms, chromium cpu/job %.1f ms%n", wall / (double) n, cpu / (double) n);
        pool.close();
    }
}
