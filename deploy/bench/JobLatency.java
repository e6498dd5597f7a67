import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time from POST /v1/render-jobs to the job reading "succeeded", against a running Pressroom.
 *
 * <pre>
 * eval "$(deploy/local/run.sh | tail -1)"   # or paste the export line it prints
 * java deploy/bench/JobLatency.java ../shared/bench/invoice.html 20
 * </pre>
 *
 * Renders the document as an inline-html job, A4, printBackground: true; 5 warm-up jobs first, then N measured
 * ones one after the other; polls every 25 ms (under the default rate limit of 50 requests per second and project).
 * Prints every sample and the median, p90 and max.
 */
public class JobLatency {

    private static final Pattern ID = Pattern.compile("\"job\":\\{\"id\":\"(rj_[a-z0-9]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z_]+)\"");

    public static void main(String[] args) throws Exception {
        String api = System.getenv("PRESSROOM_API");
        String token = System.getenv("PRESSROOM_TOKEN");
        if (api == null || token == null || args.length < 1) {
            System.err.println("usage: PRESSROOM_API=… PRESSROOM_TOKEN=… java JobLatency.java <file.html> [runs]");
            System.exit(2);
        }
        String html = Files.readString(Path.of(args[0]));
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String body = "{\"html\":" + quote(html) + ",\"options\":{\"format\":\"A4\",\"printBackground\":true}}";
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
            once(http, api, token, body);
        }
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long ms = once(http, api, token, body);
            samples.add(ms);
            System.out.println("run " + (i + 1) + ": " + ms + " ms");
        }
        Collections.sort(samples);
        System.out.printf("median %d ms, p90 %d ms, max %d ms over %d jobs%n", samples.get(samples.size() / 2),
                samples.get((int) Math.ceil(samples.size() * 0.9) - 1), samples.get(samples.size() - 1), runs);
    }

    private static long once(HttpClient http, String api, String token, String body) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/render-jobs"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher id = ID.matcher(created.body());
        if (created.statusCode() != 202 || !id.find()) {
            throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
        }
        HttpRequest poll = HttpRequest.newBuilder(URI.create(api + "/v1/render-jobs/" + id.group(1)))
                .header("Authorization", "Bearer " + token).build();
        while (true) {
            Matcher status = STATUS.matcher(http.send(poll, HttpResponse.BodyHandlers.ofString()).body());
            String current = status.find() ? status.group(1) : "?";
            if (current.equals("succeeded")) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (current.equals("failed") || current.equals("cancelled")) {
                throw new IllegalStateException("job " + id.group(1) + " ended " + current);
            }
            Thread.sleep(25);
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
