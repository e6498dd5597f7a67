package io.pressroom.render.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Chromium's OS sandbox on the real browser: with it on, every renderer (the process that runs a tenant's page)
 * sits in its own user and PID namespaces under a seccomp-bpf filter. Chromium refuses the sandbox as root, so when
 * this JVM is root the browser is started as {@code nobody} through {@code setpriv}, as a non-root pod would run it.
 */
class ChromiumOsSandboxTest {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @Test
    void withTheSandboxOnEveryRendererIsConfinedByNamespacesAndSeccomp() throws Exception {
        Path wrapper = nonRootChromium();
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1)
                .executable(wrapper.toString(), Optional.of(true)));
        try {
            RenderResult result = pool.render(TestChromium.html("<h1>confined</h1>"));
            assertThat(TestChromium.pages(result.pdf()).get(0)).contains("confined");
            long browser = pool.chromium().pid();
            List<ProcessHandle> renderers = TestChromium.renderers(browser);
            assertThat(renderers).as("renderers of Chromium %d", browser).isNotEmpty();
            String browserNamespace = Files.readSymbolicLink(Path.of("/proc", Long.toString(browser), "ns", "user"))
                    .toString();
            for (ProcessHandle renderer : renderers) {
                Path proc = Path.of("/proc", Long.toString(renderer.pid()));
                assertThat(Files.readAllLines(proc.resolve("status"))).as("renderer %d", renderer.pid())
                        .contains("Seccomp:\t2"); // 2: a seccomp-bpf filter
                assertThat(Files.readSymbolicLink(proc.resolve("ns/user")).toString()).as("renderer %d", renderer.pid())
                        .isNotEqualTo(browserNamespace);
            }
        } finally {
            pool.close();
            Files.deleteIfExists(wrapper);
        }
    }

    @Test
    void withTheSandboxOffRenderersRunUnconfined() throws Exception {
        // the contrast that shows the test above can fail: the same check finds no filter here
        BrowserPool pool = TestChromium.pool(TestChromium.Config.defaults().concurrency(1));
        try {
            pool.render(TestChromium.html("<h1>unconfined</h1>"));
            List<ProcessHandle> renderers = TestChromium.renderers(pool.chromium().pid());
            assertThat(renderers).isNotEmpty().allSatisfy(renderer -> assertThat(
                    Files.readAllLines(Path.of("/proc", Long.toString(renderer.pid()), "status")))
                    .contains("Seccomp:\t0"));
        } finally {
            pool.close();
        }
    }

    @Test
    void rootIsReadFromTheProcessNotItsName() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(id.waitFor()).isZero();
        assertThat(ChromiumProcess.runsAsRoot()).isEqualTo(uid.equals("0"));
    }

    /**
     * A program that starts Chromium as this user when it is not root, else as {@code nobody} (with the profile
     * directory handed over to it).
     */
    private static Path nonRootChromium() throws IOException {
        String chromium = TestChromium.Config.defaults().executablePath();
        String script;
        if (ChromiumProcess.runsAsRoot()) {
            assumeTrue(Files.isExecutable(SETPRIV), "setpriv (util-linux) starts Chromium as nobody");
            script = """
                    #!/bin/sh
                    for arg in "$@"; do
                      case "$arg" in --user-data-dir=*) profile="${arg#--user-data-dir=}" ;; esac
                    done
                    chown -R 65534:65534 "$profile"
                    HOME="$profile" exec %s --reuid=65534 --regid=65534 --clear-groups %s "$@"
                    """.formatted(SETPRIV, chromium);
        } else {
            script = "#!/bin/sh\nexec " + chromium + " \"$@\"\n";
        }
        Path wrapper = Files.createTempFile("chromium-as-nobody", ".sh");
        Files.writeString(wrapper, script);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapper;
    }
}
