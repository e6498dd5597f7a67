package io.pressroom.render.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Chromium runs tenants' pages: it gets none of the JVM's environment beyond locale, fonts and directories. */
class ChromiumEnvironmentTest {

    @Test
    void chromiumSeesOnlyTheVariablesItNeeds() throws Exception {
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1));
        try {
            assertThat(pool.version()).contains("Chrome");
            long pid = pool.chromium().pid();
            // the browser process: its helpers inherit its environment (and zygotes reuse that memory for their
            // process titles, so theirs cannot be read back)
            List<String> names = Arrays.stream(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid),
                    "environ")), StandardCharsets.UTF_8).split("\0")).filter(entry -> !entry.isEmpty())
                    .map(entry -> entry.substring(0, Math.max(0, entry.indexOf('=')))).toList();
            assertThat(names).as("environment of Chromium (pid %d)", pid).isNotEmpty()
                    .isSubsetOf(ChromiumProcess.PASSED_ENVIRONMENT)
                    .noneMatch(name -> name.startsWith("AWS_") || name.startsWith("PRESSROOM_")
                            || name.startsWith("QUARKUS_") || name.startsWith("KAFKA_"));
            // so the assertion above could fail: this JVM has variables Chromium must not see
            assertThat(System.getenv().keySet()).anyMatch(name -> !ChromiumProcess.PASSED_ENVIRONMENT.contains(name));
        } finally {
            pool.close();
        }
    }

    @Test
    void onlyTheListedVariablesArePassed() throws Exception {
        String script = ChromiumProcess.launchScript(Map.of("HOME", "/home/app", "AWS_SECRET_ACCESS_KEY", "s3cr3t",
                "PRESSROOM_ADMIN_KEY", "pra_x", "LANG", "C.UTF-8", "TMPDIR", "/tmp/it's $HOME"), "/usr/bin/env");
        assertThat(script).doesNotContain("s3cr3t", "pra_x");
        // run with env itself as the "browser": it prints what it was given
        Path file = Files.createTempFile("launch", ".sh");
        try {
            Files.writeString(file, script);
            Process process = new ProcessBuilder("/bin/sh", file.toString(), "--null").start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).isZero();
            assertThat(printed.split("\0")).containsExactly("HOME=/home/app", "LANG=C.UTF-8", "TMPDIR=/tmp/it's $HOME");
        } finally {
            Files.delete(file);
        }
    }

    /**
     * A page that takes the pod past its memory limit must cost its own render, not the renderer: when a container's
     * memory runs out the kernel kills the process with the highest OOM score, and Chromium gives its renderer
     * processes {@code oom_score_adj} 300 (this JVM and the browser process keep 0). Measured in a 2 GiB memory cgroup
     * with a page that allocates without end: the kernel killed the page's renderer on each of the job's three
     * attempts (render_crashed) and the JVM and other jobs went on. A flag that lost this (one process for everything,
     * a launcher that resets the scores) would let a tenant's page kill the whole renderer pod.
     */
    @Test
    void aPagesRendererIsTheKernelsFirstChoiceWhenMemoryRunsOut() throws Exception {
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1));
        try {
            assertThat(pool.render(TestChromium.html("<p>hello</p>")).pdf()).isNotEmpty();
            int jvm = oomScoreAdj(ProcessHandle.current().pid());
            List<ProcessHandle> renderers = TestChromium.renderers(pool.chromium().pid());
            assertThat(renderers).isNotEmpty();
            assertThat(renderers).allSatisfy(renderer -> assertThat(oomScoreAdj(renderer.pid()))
                    .as("oom_score_adj of renderer %d", renderer.pid()).isGreaterThanOrEqualTo(jvm + 300));
            assertThat(oomScoreAdj(pool.chromium().pid())).isLessThanOrEqualTo(jvm + 300);
        } finally {
            pool.close();
        }
    }

    private static int oomScoreAdj(long pid) throws java.io.IOException {
        return Integer.parseInt(Files.readString(Path.of("/proc", Long.toString(pid), "oom_score_adj")).trim());
    }
}
