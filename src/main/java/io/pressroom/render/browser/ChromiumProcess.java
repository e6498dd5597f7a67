package io.pressroom.render.browser;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import com.ruiyun.jvppeteer.api.core.Browser;
import com.ruiyun.jvppeteer.api.core.CDPSession;
import com.ruiyun.jvppeteer.cdp.core.BrowserRunner;
import com.ruiyun.jvppeteer.cdp.core.Puppeteer;
import com.ruiyun.jvppeteer.cdp.entities.LaunchOptions;

import io.pressroom.common.Scratch;
import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One Chromium process started by jvppeteer ({@code launch()}, never {@code connect()}: a connected browser that
 * dies goes unnoticed), with its own profile directory under {@code java.io.tmpdir}. Stopping it ends the whole
 * process tree (renderers, zygotes, utilities) and removes the profile.
 */
@RegisterForReflection(targets = BrowserRunner.class, fields = true)
final class ChromiumProcess {

    private static final Logger LOG = Logger.getLogger(ChromiumProcess.class);
    private static final long GRACEFUL_EXIT_MS = 2000;

    /**
     * Our flags replace jvppeteer's defaults entirely: those include {@code --disable-popup-blocking}, and we want
     * popups blocked. The host resolver rule fails every DNS lookup and IP literal inside Chromium, which also stops
     * what CDP interception cannot see (WebSockets, preconnects, service workers); WebRTC may not send UDP.
     * Package-visible so that the benchmark's bare Chromium starts with exactly these (deploy/bench).
     */
    static final List<String> FLAGS = List.of(
            "--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--disable-extensions", "--disable-breakpad",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--disable-hang-monitor",
            "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows", "--disable-ipc-flooding-protection",
            "--disable-features=Translate,MediaRouter,OptimizationHints,AcceptCHFrame,"
                    + "ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes",
            "--force-color-profile=srgb", "--hide-scrollbars", "--mute-audio", "--metrics-recording-only",
            "--password-store=basic", "--use-mock-keychain", "--no-pings", "--block-new-web-contents",
            "--webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--host-resolver-rules=MAP * ~NOTFOUND");

    /**
     * All Chromium sees of the JVM's environment: locale, time zone, fonts and directories. Nothing else (no
     * {@code AWS_*}, {@code PRESSROOM_*} or any other secret the JVM was given) reaches the process that runs
     * tenants' pages.
     */
    static final List<String> PASSED_ENVIRONMENT = List.of("HOME", "PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE",
            "TZ", "TMPDIR", "FONTCONFIG_FILE", "FONTCONFIG_PATH", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
            "XDG_DATA_HOME", "XDG_RUNTIME_DIR");

    /** Starts a program with an empty environment plus {@code NAME=value} arguments (coreutils, in every image). */
    private static final String ENV = "/usr/bin/env";

    private final Browser browser;
    private final CDPSession session;
    private final ProcessHandle process;
    private final Path profile;
    private final AtomicInteger renders = new AtomicInteger();
    /** What a render that navigates adds to {@link #wear}; a static document adds one. */
    private static final int WEAR_PER_RENDER = 3;
    /** Thirds of a render counted against {@code restart-after-renders}: a static document adds one, any other three. */
    private final AtomicLong wear = new AtomicLong();
    private volatile String brokenBecause;
    private boolean stopped;

    private ChromiumProcess(Browser browser, CDPSession session, Path profile) {
        this.browser = browser;
        this.session = session;
        this.process = browser.process().toHandle();
        this.profile = profile;
    }

    static {
        keepJvppeteerFromClosingBrowsersAtExit();
    }

    /**
     * jvppeteer registers a JVM shutdown hook that closes every browser it launched the moment shutdown begins.
     * Shutdown hooks run concurrently, so that hook would kill the renders a graceful drain
     * ({@code RenderWorker.drain}) is waiting for. Its guard flag, set before the first launch, keeps it from being
     * registered; the pool closes the browser itself once the drain is over ({@link BrowserPool} {@code close()}).
     * jvppeteer offers no option for this, hence the reflection.
     */
    private static void keepJvppeteerFromClosingBrowsersAtExit() {
        try {
            Field registered = BrowserRunner.class.getDeclaredField("isRegisterShutdownHook");
            registered.setAccessible(true);
            registered.setBoolean(null, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Could not keep jvppeteer from closing Chromium at exit (%s): renders in flight at shutdown "
                    + "will fail and be retried", e);
        }
    }

    /**
     * Starts Chromium with its OS sandbox (a user and PID namespace and seccomp-bpf around every renderer) whenever
     * it can: {@code os-sandbox} unset uses it unless the JVM runs as root (Chromium refuses it there) or the first
     * try to start with it failed (the container's seccomp profile forbids user namespaces); then it runs without,
     * said once in a warning. {@code true} requires it, {@code false} turns it off.
     */
    static ChromiumProcess launch(PressroomConfig.Chromium config) throws IOException {
        Optional<Boolean> setting = config.osSandbox();
        if (setting.isPresent()) {
            return start(config, setting.get());
        }
        if (runsAsRoot() || sandboxRefused) {
            return start(config, false);
        }
        try {
            return start(config, true);
        } catch (IOException withSandbox) {
            ChromiumProcess started;
            try {
                started = start(config, false);
            } catch (IOException without) {
                withSandbox.addSuppressed(without);
                throw withSandbox; // not the sandbox: Chromium does not start either way
            }
            sandboxRefused = true;
            LOG.warnf("Chromium did not start with its OS sandbox (%s) and runs without it: allow user namespaces "
                    + "in the container (see the operations guide) or set pressroom.chromium.os-sandbox=false to "
                    + "silence this", withSandbox.getMessage());
            return started;
        }
    }

    /** Set once Chromium failed to start with its sandbox here: the next starts go without and do not try again. */
    private static volatile boolean sandboxRefused;

    /** Whether this process runs as uid 0, read from {@code /proc} (no user name lookup: containers may have none). */
    static boolean runsAsRoot() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(line -> line.startsWith("Uid:")).findFirst()
                    .map(line -> line.substring(4).trim().split("\\s+")[1].equals("0")).orElse(false);
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static ChromiumProcess start(PressroomConfig.Chromium config, boolean sandbox) throws IOException {
        Path profile = Files.createTempDirectory(Scratch.directory(), "chromium-");
        // jvppeteer 3.3.9 has an env option but starts the process with the JVM's whole environment, and puts
        // about:blank before our arguments, so Chromium is started through a script in its profile that execs
        // `env -i NAME=value… chromium "$@"` (same pid) with only what it needs
        Path launcher = profile.resolve("launch.sh");
        Files.writeString(launcher, launchScript(System.getenv(), config.executablePath()));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        List<String> args = new ArrayList<>(FLAGS);
        // without a limit Chromium gave most renders a renderer process of their own even on the same site (a
        // process start, V8 and Blink set-up each); at the limit it reuses the slot's process, which only ever holds
        // the bundle's site of one incognito context (processes are never shared across contexts)
        args.add("--renderer-process-limit=" + (config.concurrency() + 2));
        if (!sandbox) {
            args.add("--no-sandbox");
        }
        args.add("--user-data-dir=" + profile); // ours, so we know what to delete; jvppeteer forgets its own
        config.extraArgs().ifPresent(args::addAll);
        LaunchOptions options = LaunchOptions.builder()
                .executablePath(launcher.toString())
                .ignoreAllDefaultArgs(true)
                .headless(false) // --headless=new is in FLAGS
                .args(args)
                .timeout((int) config.launchTimeout().toMillis())
                .protocolTimeout((int) config.protocolTimeout().toMillis())
                .build();
        Browser browser = null;
        try {
            browser = Puppeteer.launch(options);
            CDPSession session = browser.target().createCDPSession();
            session.send("Browser.setDownloadBehavior", Cdp.params("behavior", "deny"));
            ChromiumProcess started = new ChromiumProcess(browser, session, profile);
            LOG.infof("Started Chromium (pid %d, profile %s, OS sandbox %s)", started.process.pid(), profile,
                    sandbox ? "on" : "off");
            return started;
        } catch (RuntimeException e) {
            if (browser != null) {
                new ChromiumProcess(browser, null, profile).kill("launch_failed");
            } else {
                deleteTree(profile);
            }
            throw new IOException("Chromium did not start: " + e.getMessage(), e);
        }
    }

    /**
     * A shell script that starts {@code executable} with its arguments and, of {@code environment}, only the
     * variables of {@link #PASSED_ENVIRONMENT}.
     */
    static String launchScript(Map<String, String> environment, String executable) {
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec " + ENV + " -i");
        for (String name : PASSED_ENVIRONMENT) {
            String value = environment.get(name);
            if (value != null) {
                script.append(' ').append(quoted(name + "=" + value));
            }
        }
        return script.append(' ').append(quoted(executable)).append(" \"$@\"\n").toString();
    }

    // POSIX shell single quotes take everything literally; a quote itself is closed, escaped and reopened
    private static String quoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    Browser browser() {
        return browser;
    }

    long pid() {
        return process.pid();
    }

    Path profile() {
        return profile;
    }

    /**
     * Counts a render against {@code restart-after-renders}: a static document ({@link StaticHtml}) as a third of
     * one, since Chromium's memory stayed flat over 3,000 of them while it grew over documents that navigate
     * (docs/performance.md); returns how many renders this browser has started.
     */
    int countRender(boolean staticDocument) {
        wear.addAndGet(staticDocument ? 1 : WEAR_PER_RENDER);
        return renders.incrementAndGet();
    }

    /** Whether this browser has done what {@code restartAfterRenders} renders that navigate do, or more. */
    boolean worn(int restartAfterRenders) {
        return wear.get() >= (long) WEAR_PER_RENDER * restartAfterRenders;
    }

    int renders() {
        return renders.get();
    }

    /** Alive, connected, and not given up on. */
    boolean healthy() {
        return brokenBecause == null && process.isAlive() && browser.connected();
    }

    /** Why this browser is being replaced: {@code crash} when it died by itself, else what we decided. */
    String brokenBecause() {
        return brokenBecause != null ? brokenBecause : "crash";
    }

    /** The product string; a browser that does not answer within the timeout is hung. */
    String version(long timeoutMs) {
        return session.send("Browser.getVersion", null, (int) timeoutMs, true).get("product").asText();
    }

    /**
     * Whether the browser still answers; one that does not is killed. Right after a kill -9 the process may not be
     * reaped yet and jvppeteer may not have noticed the closed socket, so {@link #healthy()} alone can still say yes.
     */
    boolean answers(long timeoutMs) {
        try {
            if (healthy()) {
                version(timeoutMs);
                return true;
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "Chromium (pid %d) did not answer", process.pid());
        }
        giveUp();
        return false;
    }

    /** Runs {@code action} once the browser's process has ended, whoever ended it (our child: noticed at once). */
    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    /** Kills a browser that failed a call: {@code hang} while its process still runs, else {@code crash}. */
    void giveUp() {
        kill(process.isAlive() ? "hang" : "crash");
    }

    /** Disposes an incognito context with a bounded wait. */
    void disposeContext(String contextId, long timeoutMs) {
        session.send("Target.disposeBrowserContext", Cdp.params("browserContextId", contextId), (int) timeoutMs, true);
    }

    /** Kills the process tree at once (a hung or crashed browser) and deletes the profile. */
    void kill(String reason) {
        stop(reason, false);
    }

    /**
     * Asks Chromium to exit, which lets it end and reap its own children, then kills whatever is left. Killing the
     * browser first would orphan its children; whoever is PID 1 must then reap them, and a JVM as PID 1 never does.
     */
    void close(String reason) {
        stop(reason, true);
    }

    /** Safe to call more than once and from any thread; only the first call does anything. */
    private synchronized void stop(String reason, boolean graceful) {
        if (brokenBecause == null) {
            brokenBecause = reason;
        }
        if (stopped) {
            return;
        }
        stopped = true;
        // snapshot first: once the browser is gone its children are re-parented and no longer its descendants
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process);
        if (graceful && process.isAlive() && browser.connected()) {
            try {
                session.send("Browser.close", null, null, false);
                process.onExit().get(GRACEFUL_EXIT_MS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.debugf("Chromium (pid %d) did not exit when asked; killing it", process.pid());
            }
        }
        // jvppeteer's close() marks its runner closed, else its shutdown hook would kill -9 this PID again at exit,
        // by then maybe another process's; disconnecting first keeps close() from failing on a dead socket before that
        try {
            browser.disconnect();
            browser.close();
        } catch (Exception e) {
            LOG.debugf(e, "jvppeteer could not close the browser cleanly");
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        awaitExit(tree);
        deleteTree(profile);
    }

    /** Polls: {@code onExit()} of a process that is not our child only notices its end after a second or more. */
    private static void awaitExit(List<ProcessHandle> processes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (processes.stream().anyMatch(ChromiumProcess::running) && System.nanoTime() < deadline) {
            if (!sleep(10)) {
                return;
            }
        }
        processes.stream().filter(ChromiumProcess::running)
                .forEach(p -> LOG.warnf("Chromium process %d did not exit after SIGKILL", p.pid()));
    }

    /** Alive and not a zombie: an orphan stays a zombie until PID 1 reaps it, which holds nothing but its PID. */
    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return process.isAlive();
        }
    }

    /**
     * Deletes the profile, again while something still writes into it: a browser that died by itself left its
     * children to PID 1 before our snapshot of its tree, and one of them (the network service, saving its state on
     * the way out) may create a file after the walk, which left the profile behind.
     */
    static void deleteTree(Path root) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int attempt = 0;
        String failure = null;
        while (Files.exists(root)) {
            if (attempt++ > 0) {
                if (System.nanoTime() > deadline) {
                    LOG.warnf("Could not delete Chromium profile %s: %s", root, failure);
                    return;
                }
                if (!sleep(50)) {
                    LOG.warnf("Could not delete Chromium profile %s: interrupted (%s)", root, failure);
                    return;
                }
            }
            try {
                Scratch.deleteTree(root);
                failure = "something still writes into it";
            } catch (IOException | RuntimeException e) {
                failure = e.getMessage(); // a file vanished during the walk: try again
            }
        }
    }

    /** False when interrupted, with the interrupt kept. */
    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
