package io.pressroom.testing.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** What the servers share: starting and closing them together, ports, directories and leftover processes. */
public final class Stack {

    private Stack() {
    }

    /**
     * Starts the servers in parallel (they are independent, and together this saves several seconds). When one
     * fails, all are closed again and the first failure is thrown, the others attached as suppressed.
     */
    public static void startAll(StackServer... servers) {
        // logging is set up here, once, before the threads: set up by two of them at once (the embedded
        // PostgreSQL's and s3proxy's first loggers), JBoss LogManager's initialisation deadlocked the benchmark
        java.util.logging.LogManager.getLogManager();
        RuntimeException failure = inParallel(servers, server -> {
            long started = System.nanoTime();
            server.start();
            System.out.printf("%s up in %.1f s%n", server.getClass().getSimpleName(), (System.nanoTime() - started) / 1e9);
        }, "could not start the stack");
        if (failure != null) {
            closeAll(servers);
            throw failure;
        }
    }

    /** Closes the servers in parallel; failures are printed, not thrown, so that every server gets its turn. */
    public static void closeAll(StackServer... servers) {
        RuntimeException failure = inParallel(servers, StackServer::close, "could not stop the stack cleanly");
        if (failure != null) {
            failure.printStackTrace();
        }
    }

    private interface Action {
        void apply(StackServer server) throws Exception;
    }

    // Plain non-daemon threads rather than the common pool: that pool is tiny on 2 cores and its daemon threads
    // are no place for work a shutdown hook waits on. Each thread inherits the caller's context class loader.
    private static RuntimeException inParallel(StackServer[] servers, Action action, String message) {
        Throwable[] failures = new Throwable[servers.length];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            int index = i;
            StackServer server = servers[i];
            if (server == null) {
                continue;
            }
            Thread thread = new Thread(() -> {
                try {
                    action.apply(server);
                } catch (Throwable e) {
                    failures[index] = e;
                }
            }, "stack-" + server.getClass().getSimpleName());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new IllegalStateException(message + ": interrupted", e);
            }
        }
        RuntimeException failure = null;
        for (Throwable cause : failures) {
            if (cause == null) {
                continue;
            }
            if (failure == null) {
                failure = new IllegalStateException(message + ": " + cause, cause);
            } else {
                failure.addSuppressed(cause);
            }
        }
        return failure;
    }

    /** A port that was free a moment ago on 127.0.0.1 (servers that need their port before binding use this). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails clearly when something already listens on the port, instead of talking to a stranger later. */
    static void requireFreePort(int port, String server) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException(server + ": port " + port + " on 127.0.0.1 is already in use", e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a directory and everything in it; nothing when it does not exist. A process that is still ending may
     * add and remove files meanwhile (Chromium writes its profile as it exits): what vanishes during the walk is
     * skipped, and the walk is tried again while new files keep a directory from going.
     */
    public static void deleteRecursively(Path dir) throws IOException {
        for (int attempt = 1;; attempt++) {
            try {
                deleteTree(dir);
                return;
            } catch (DirectoryNotEmptyException e) {
                if (attempt == 10) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // gone already
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null && !(failure instanceof NoSuchFileException)) {
                    throw failure;
                }
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Ends a server process left behind by an earlier run that was killed (kill -9 skips shutdown hooks): its pid is
     * the first line of {@code pidFile}, and it is ours only when its command line mentions {@code marker}. It gets
     * {@code signal} (e.g. INT: PostgreSQL's fast shutdown; TERM for a JVM, which may inherit an ignored SIGINT from
     * a background shell), then SIGKILL if it is still there after 20 s.
     */
    static void endLeftoverProcess(Path pidFile, String marker, String signal) throws IOException, InterruptedException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try (Stream<String> lines = Files.lines(pidFile)) {
            pid = Long.parseLong(lines.findFirst().orElse("").trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> leftover = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(marker));
        if (leftover.isEmpty()) {
            return;
        }
        System.err.println("Stopping " + marker + " (pid " + pid + ") left behind by an earlier run");
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        try {
            leftover.get().onExit().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            leftover.get().destroyForcibly();
            try {
                leftover.get().onExit().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException stillThere) {
                throw new IllegalStateException("could not end process " + pid + " (" + marker + ")");
            }
        }
    }
}
