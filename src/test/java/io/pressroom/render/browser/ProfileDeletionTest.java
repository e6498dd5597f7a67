package io.pressroom.render.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A browser that died by itself leaves its children to PID 1, out of reach of the tree we kill; its network service
 * then saves its state into the profile on the way out, while the profile is being deleted. That left profiles
 * behind in {@code /tmp} after a crash (2 in 15 crashes on a loaded machine, seen in SupervisionTest).
 */
class ProfileDeletionTest {

    @Test
    void aProfileIsDeletedEvenWhileAnExitingProcessStillWritesIntoIt() throws Exception {
        Path profile = Files.createTempDirectory("pressroom-chromium-test-");
        Path state = Files.createDirectories(profile.resolve("Default"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(state.resolve("file-" + i), "x".repeat(1000));
        }
        CountDownLatch writing = new CountDownLatch(1);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> { // like ImportantFileWriter: a temporary file, renamed over the last, for 300 ms
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < end) {
                try {
                    Path temporary = Files.writeString(state.resolve(".Network Persistent State.tmp"), "{}");
                    Files.move(temporary, state.resolve("Network Persistent State"),
                            StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    written.incrementAndGet();
                } catch (IOException e) {
                    // the directory is gone or the file was deleted under us: a dying process's write fails
                }
                writing.countDown();
            }
        });
        writer.start();
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();

        ChromiumProcess.deleteTree(profile);
        writer.join();

        assertThat(written.get()).as("writes while deleting").isPositive();
        assertThat(profile).doesNotExist();
    }
}
