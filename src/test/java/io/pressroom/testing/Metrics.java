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
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
