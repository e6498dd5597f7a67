package io.pressroom.bench;

import java.util.List;
import java.util.Map;

/**
 * One measured cell: a scenario rendering one document with a number of clients. CPU is in milliseconds per
 * measured job, peak RSS and PSS in MiB, and the growth of RSS over the measured phase in percent, each per process
 * group (in {@link Benchmark}'s group order), and the Pressroom JVM's CPU per job by kind of thread
 * ({@link JvmThreads}; empty when Pressroom did not run); {@code xBare} is the throughput against bare Chromium with
 * the same document and clients (null when bare was not run).
 */
record Cell(String scenario, String doc, int clients, int jobs, double seconds, double pdfsPerSecond, Double xBare,
        double p50Ms, double p90Ms, double p99Ms, int failures, List<String> firstFailures,
        Map<String, Double> cpuMsPerJob, Map<String, Double> peakRssMb, Map<String, Double> peakPssMb,
        Map<String, Double> rssGrowthPercent, Map<String, Double> pressroomThreadsMsPerJob) {

    Cell withXBare(Double ratio) {
        return new Cell(scenario, doc, clients, jobs, seconds, pdfsPerSecond, ratio, p50Ms, p90Ms, p99Ms, failures,
                firstFailures, cpuMsPerJob, peakRssMb, peakPssMb, rssGrowthPercent, pressroomThreadsMsPerJob);
    }

    /** The cells with {@link #xBare} filled in from the bare cell of the same document and clients. */
    static List<Cell> withRatios(List<Cell> cells) {
        return cells.stream().map(cell -> {
            Double ratio = cells.stream()
                    .filter(bare -> bare.scenario().equals("bare") && bare.doc().equals(cell.doc())
                            && bare.clients() == cell.clients() && bare.pdfsPerSecond() > 0)
                    .findFirst().map(bare -> cell.pdfsPerSecond() / bare.pdfsPerSecond()).orElse(null);
            return cell.withXBare(ratio);
        }).toList();
    }
}
