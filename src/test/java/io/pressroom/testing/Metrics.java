package io.pressroom.testing;

import io.restassured.RestAssured;

/** Reads Pressroom's Prometheus metrics ({@code /q/metrics}) the way an operator's dashboard would. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The sum of every series of {@code name} whose labels contain each of {@code labels} (such as
     * {@code outcome="skipped"}); 0 when there is none yet.
     */
    public static double sum(String name, String... labels) {
        String metrics = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
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

    /** The sample's value: the last field once an exemplar ({@code # {trace_id=…} 1.0 1795…}) is cut off. */
    private static double value(String line) {
        int exemplar = line.indexOf(" # ");
        String sample = exemplar < 0 ? line : line.substring(0, exemplar);
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }
}
