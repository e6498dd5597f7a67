package io.pressroom.render.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.pressroom.config.PressroomConfig;

/**
 * Checks that the configured Chromium binary exists and starts: {@code chromium --version}, remembered once it
 * succeeded (the binary does not change under a running process).
 */
@ApplicationScoped
public class ChromiumProbe {

    private final Path executable;
    private volatile String version;

    public ChromiumProbe(PressroomConfig config) {
        this.executable = Path.of(config.chromium().executablePath());
    }

    public String version() throws IOException, InterruptedException {
        String known = version;
        if (known != null) {
            return known;
        }
        if (!Files.isExecutable(executable)) {
            throw new IOException("Chromium is not installed at " + executable);
        }
        Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IOException("Chromium --version did not answer within 10 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new IOException("Chromium --version exited with " + process.exitValue() + ": " + output);
            }
            version = output;
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
