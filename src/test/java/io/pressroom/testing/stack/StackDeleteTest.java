package io.pressroom.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * A directory is deleted while a process that is still ending writes and removes files in it, as Chromium does in its
 * profile as it exits (a benchmark run failed on a file that vanished during the walk).
 */
class StackDeleteTest {

    /** How long the churn goes on: well inside the 2 s in which the walk tries again. */
    private static final long CHURN_NANOS = 300_000_000L;

    @Test
    void aDirectoryIsDeletedWhileFilesComeAndGoInIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path dir = Files.createTempDirectory("pressroom-delete-test");
            Path busy = Files.createDirectories(dir.resolve("Default"));
            for (int i = 0; i < 200; i++) {
                Files.writeString(busy.resolve("state-" + i), "x");
            }
            AtomicBoolean stop = new AtomicBoolean();
            // a process that is ending: it writes and removes files for a while, then stops (one that never stops
            // would keep any directory from going, and the walk would rightly give up)
            long ends = System.nanoTime() + CHURN_NANOS;
            Thread churn = new Thread(() -> {
                for (int i = 0; !stop.get() && System.nanoTime() < ends; i++) {
                    Path file = busy.resolve(".tmp-" + i);
                    try {
                        Files.writeString(file, "x");
                        Files.deleteIfExists(file);
                        Files.deleteIfExists(busy.resolve("state-" + (i % 200)));
                    } catch (IOException e) {
                        return; // the directory is gone
                    }
                }
            });
            churn.start();
            try {
                Stack.deleteRecursively(dir);
            } finally {
                stop.set(true);
                churn.join();
            }
            Stack.deleteRecursively(dir); // whatever the churn wrote after the walk
            assertThat(dir).doesNotExist();
        }
    }

    @Test
    void aMissingDirectoryIsNothingToDo() throws Exception {
        Stack.deleteRecursively(Path.of("/tmp/pressroom-no-such-directory-" + System.nanoTime()));
    }
}
