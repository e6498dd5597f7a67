package io.pressroom.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * This process's directory for scratch files (Chromium profiles, page images on their way to storage, a batch's
 * merged PDF), under {@code java.io.tmpdir}: {@code pressroom-<random>/}, holding a lock file that the process keeps
 * locked while it lives. A process killed outright (the kernel's OOM killer, a liveness probe's SIGKILL) deletes
 * nothing, and a pod's {@code /tmp} volume survives the container's restart: without a sweep, each such kill left a
 * browser profile and up to three page images of tens of MB behind, until the volume's size limit evicted the pod.
 * So the first use sweeps the directories whose lock is free: their process is gone, since the kernel releases a lock
 * with the process that held it. A live process's directory is never touched, whatever its age, which makes the
 * sweep safe where several processes share {@code /tmp} (the local run, the tests).
 */
public final class Scratch {

    private static final Logger LOG = Logger.getLogger(Scratch.class);
    static final String PREFIX = "pressroom-";
    static final String LOCK = ".lock";

    private static Path directory;
    @SuppressWarnings("unused") // held, never read: the lock lives as long as this process
    private static FileLock lock;

    private Scratch() {
    }

    /** This process's scratch directory, made (after a sweep of dead processes' ones) on first use. */
    public static synchronized Path directory() {
        if (directory == null) {
            Path temp = Path.of(System.getProperty("java.io.tmpdir"));
            try {
                int swept = sweep(temp);
                if (swept > 0) {
                    LOG.infof("Deleted %d scratch directories of processes that are gone", swept);
                }
                Path made = Files.createTempDirectory(temp, PREFIX);
                // others may pass through (not list): a Chromium started as another user through a wrapper (its
                // profile handed over to it, as ChromiumOsSandboxTest does) must reach its profile in here
                Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwx--x--x"));
                // locked under another name, then renamed (the lock is the file's, whatever its name): a sweep
                // never sees an unlocked lock file in a live process's directory
                Path locking = made.resolve(LOCK + ".new");
                lock = FileChannel.open(locking, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).lock();
                Files.move(locking, made.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
                directory = made;
            } catch (IOException e) {
                throw new UncheckedIOException("could not make a scratch directory in " + temp, e);
            }
        }
        return directory;
    }

    /** Deletes the scratch directories under {@code temp} whose lock no process holds; how many. */
    static int sweep(Path temp) throws IOException {
        int swept = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(temp, PREFIX + "*")) {
            for (Path entry : entries) {
                if (entry.equals(directory) || !Files.isRegularFile(entry.resolve(LOCK))) {
                    continue; // ours, or not a scratch directory (another program's, or one being made)
                }
                if (abandoned(entry.resolve(LOCK))) {
                    delete(entry);
                    swept++;
                }
            }
        }
        return swept;
    }

    private static boolean abandoned(Path lockFile) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock held = channel.tryLock();
            if (held == null) {
                return false; // another live process holds it
            }
            held.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // this process holds it
        } catch (IOException e) {
            return false; // gone meanwhile, or not ours to open
        }
    }

    private static void delete(Path tree) {
        try {
            deleteTree(tree);
        } catch (IOException e) {
            LOG.warnf("Could not delete the abandoned scratch directory %s: %s", tree, e.getMessage());
        }
    }

    /**
     * One pass over {@code tree}, deleting it and everything in it, deepest first. A file that cannot be deleted
     * stays (whether anything is left is the caller's to check); fails when the walk does (an entry removed during
     * it).
     */
    public static void deleteTree(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
