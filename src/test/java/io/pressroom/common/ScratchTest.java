package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed outright leaves its scratch files behind; the next process deletes them, and never a live
 * process's, however many share the temporary directory.
 */
class ScratchTest {

    @TempDir
    Path temp;

    @Test
    void aGoneProcesssDirectoryIsSweptAndALiveOnesIsKept() throws Exception {
        Path gone = scratch("pressroom-gone");
        Files.createDirectories(gone.resolve("chromium-1/Default"));
        Files.write(gone.resolve("page-1.png"), new byte[1024]);
        Path live = scratch("pressroom-live");
        Path notOurs = Files.createDirectories(temp.resolve("pressroom-other")); // no lock file: not a scratch dir

        Process holder = holdLock(live.resolve(Scratch.LOCK));
        try {
            assertThat(Scratch.sweep(temp)).isEqualTo(1);
            assertThat(gone).doesNotExist();
            assertThat(live).exists();
            assertThat(notOurs).exists();
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        // its process is gone now, killed without a chance to clean up: the kernel released its lock
        assertThat(Scratch.sweep(temp)).isEqualTo(1);
        assertThat(live).doesNotExist();
        assertThat(notOurs).exists();
    }

    @Test
    void aDirectoryThisProcessHoldsIsKept() throws Exception {
        Path mine = scratch("pressroom-mine");
        try (FileChannel channel = FileChannel.open(mine.resolve(Scratch.LOCK), StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            assertThat(Scratch.sweep(temp)).isZero();
            assertThat(mine).exists();
        }
    }

    @Test
    void thisProcesssDirectoryIsLockedForItsLifetime() throws Exception {
        Path directory = Scratch.directory();

        assertThat(directory).isDirectory();
        assertThat(directory.getFileName().toString()).startsWith(Scratch.PREFIX);
        assertThat(Scratch.directory()).isEqualTo(directory);
        assertThat(directory.resolve(Scratch.LOCK)).isRegularFile();
        Scratch.sweep(directory.getParent()); // as another process's start would
        assertThat(directory).exists();
    }

    private Path scratch(String name) throws Exception {
        Path directory = Files.createDirectories(temp.resolve(name));
        Files.createFile(directory.resolve(Scratch.LOCK));
        return directory;
    }

    /** Another JVM that locks {@code file} and sleeps: a live process's scratch directory. */
    private Process holdLock(Path file) throws Exception {
        Path source = temp.resolve("Hold.java");
        Files.writeString(source, """
                public class Hold {
                    public static void main(String[] args) throws Exception {
                        var channel = java.nio.channels.FileChannel.open(java.nio.file.Path.of(args[0]),
                                java.nio.file.StandardOpenOption.WRITE);
                        channel.lock();
                        System.out.println("locked");
                        Thread.sleep(120_000);
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, source.toString(), file.toString()).redirectErrorStream(true)
                .start();
        BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(output.readLine()).isEqualTo("locked");
        return process;
    }
}
