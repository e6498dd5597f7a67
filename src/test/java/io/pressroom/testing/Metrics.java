package io.pressroom.testing;

/**
 * Reads Pressroom's Prometheus metrics ({@code /q/metrics} on the management interface) the way an operator's
 * dashboard would.
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The sum of every series of {@code name} whose labels contain each of {@code labels} (such as
     * {@code outcome="skipped"}); 0 when there is none yet.
     */
    public static double sum(String name, String... labels) {
        return text().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .filter(line -> {
                    for (String label : labels) {
                        if (!line.contains(label)) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(Metrics::value)
                .sum();
    }

    /** Everything the management interface's {@code /q/metrics} shows now. */
    public static String text() {
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sample's value: the last field once an exemplar ({@code # {trace_id=…} 1.0 1795…}) is cut off. */
    private static double value(String line) {
        int exemplar = line.indexOf(" # ");
        String sample = exemplar < 0 ? line : line.substring(0, exemplar);
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }
}
