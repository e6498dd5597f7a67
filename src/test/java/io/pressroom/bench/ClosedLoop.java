package io.pressroom.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed loop of clients: each sends its next request when its previous one has finished. Every client first
 * runs its warm-up jobs; then, once all are warm, the measured phase runs a fixed number of jobs (shared among the
 * clients) or until a deadline, and each job's latency is kept.
 */
final class ClosedLoop {

    /** One job of one client; throws when the job failed. */
    interface Job {
        void run(int client) throws Exception;
    }

    /** What the measured phase saw: the latencies of the jobs that succeeded, its length, and the failures. */
    record Measured(long[] latencyNanos, long elapsedNanos, int failures, List<String> firstFailures) {
    }

    private static final int KEPT_FAILURES = 5;

    private ClosedLoop() {
    }

    /**
     * Runs the loop. {@code atStart} runs once all clients are warm, right before the first measured job;
     * {@code atEnd} right after the last one finished.
     */
    static Measured run(int clients, int warmupPerClient, int jobs, int seconds, Job job, Runnable atStart,
            Runnable atEnd) throws InterruptedException {
        AtomicLong started = new AtomicLong();
        AtomicLong ended = new AtomicLong();
        CyclicBarrier warm = new CyclicBarrier(clients, () -> {
            atStart.run();
            started.set(System.nanoTime());
        });
        CyclicBarrier done = new CyclicBarrier(clients, () -> {
            ended.set(System.nanoTime());
            atEnd.run();
        });
        AtomicInteger tickets = new AtomicInteger(jobs);
        AtomicInteger failures = new AtomicInteger();
        ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < warmupPerClient; i++) {
                        attempt(job, client, failures, failed);
                    }
                    warm.await();
                    long deadline = started.get() + seconds * 1_000_000_000L;
                    while (seconds > 0 ? System.nanoTime() < deadline : tickets.getAndDecrement() > 0) {
                        long begin = System.nanoTime();
                        if (attempt(job, client, failures, failed)) {
                            latencies.add(System.nanoTime() - begin);
                        }
                    }
                    done.await();
                } catch (InterruptedException | BrokenBarrierException e) {
                    failures.incrementAndGet();
                    failed.add("client " + client + " interrupted");
                }
            }, "bench-client-" + client);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long[] nanos = latencies.stream().mapToLong(Long::longValue).toArray();
        return new Measured(nanos, ended.get() - started.get(), failures.get(),
                failed.stream().limit(KEPT_FAILURES).toList());
    }

    private static boolean attempt(ClosedLoop.Job job, int client, AtomicInteger failures,
            ConcurrentLinkedQueue<String> failed) {
        try {
            job.run(client);
            return true;
        } catch (Exception e) {
            failures.incrementAndGet();
            if (failed.size() < KEPT_FAILURES) {
                failed.add(e.toString());
            }
            return false;
        }
    }
}
