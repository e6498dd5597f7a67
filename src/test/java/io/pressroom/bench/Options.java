package io.pressroom.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's command line (deploy/bench/run.sh passes its arguments through). Without options: every scenario,
 * both documents, 1, 2 and 4 clients, {@value #FULL_JOBS} measured jobs per cell.
 */
record Options(List<String> scenarios, List<String> docs, List<Integer> clients, int jobs, int seconds,
        int warmupPerClient, Path docsDir, Path outDir, boolean s3Tls) {

    static final List<String> SCENARIOS = List.of("bare", "renderer", "system");
    static final int FULL_JOBS = 40;
    static final String USAGE = """
            usage: deploy/bench/run.sh [--tiny] [--scenarios bare,renderer,system] [--docs invoice,report]
                                       [--clients 1,2,4] [--jobs N | --seconds S] [--warmup N] [--docs-dir DIR]
                                       [--s3-tls]
              --tiny        a few jobs per cell, 1 and 2 clients, the invoice only (CI: it must not rot)
              --jobs N      measured jobs per cell (default %d); --seconds S measures for S seconds instead
              --warmup N    warm-up jobs per client before each cell (default 3, --tiny 1)
              --docs-dir    where invoice.html and report.html are (default ../shared/bench, or $PRESSROOM_BENCH_DOCS)
              --s3-tls      S3 over HTTPS (a self-signed key on 127.0.0.1), as S3 itself is reached, not plain HTTP
            """.formatted(FULL_JOBS);

    /** Parses the arguments; {@code env} supplies {@code PRESSROOM_BENCH_DOCS}. */
    static Options parse(List<String> args, Map<String, String> env, Path repo) {
        List<String> scenarios = SCENARIOS;
        List<String> docs = List.of("invoice", "report");
        List<Integer> clients = List.of(1, 2, 4);
        int jobs = FULL_JOBS;
        int seconds = 0;
        Integer warmup = null;
        String docsDir = env.getOrDefault("PRESSROOM_BENCH_DOCS", repo.resolve("../shared/bench").toString());
        boolean tiny = args.contains("--tiny");
        boolean s3Tls = args.contains("--s3-tls");
        if (tiny) {
            docs = List.of("invoice");
            clients = List.of(1, 2);
            jobs = 4;
            warmup = 1;
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--tiny") || arg.equals("--s3-tls")) {
                continue;
            }
            if (!List.of("--scenarios", "--docs", "--clients", "--jobs", "--seconds", "--warmup", "--docs-dir")
                    .contains(arg)) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args.get(++i);
            switch (arg) {
                case "--scenarios" -> scenarios = names(value, SCENARIOS, arg);
                case "--docs" -> docs = names(value, List.of("invoice", "report"), arg);
                case "--clients" -> clients = Arrays.stream(value.split(",")).map(v -> positive(v, arg)).toList();
                case "--jobs" -> {
                    jobs = positive(value, arg);
                    seconds = 0;
                }
                case "--seconds" -> seconds = positive(value, arg);
                case "--warmup" -> warmup = Integer.parseInt(value);
                default -> docsDir = value;
            }
        }
        return new Options(scenarios, docs, clients, jobs, seconds, warmup == null ? 3 : warmup,
                Path.of(docsDir).toAbsolutePath().normalize(), repo.resolve("target/bench"), s3Tls);
    }

    private static List<String> names(String value, List<String> known, String option) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(",")) {
            if (!known.contains(name.trim())) {
                throw new IllegalArgumentException(option + ": " + name + " is not one of " + known);
            }
            names.add(name.trim());
        }
        return names;
    }

    private static int positive(String value, String option) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the message below says it
        }
        throw new IllegalArgumentException(option + ": " + value + " is not a positive number");
    }

    /** What a cell measures, for the output: "40 jobs" or "20 s". */
    String measure() {
        return seconds > 0 ? seconds + " s" : jobs + " jobs";
    }
}
