package io.pressroom.testing;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * The management interface of the application under test (health and metrics: a port of its own, never the API's;
 * {@code quarkus.management.test-port} is 0 in tests, so Quarkus picks a free one and publishes its URL as
 * {@code test.management.url}).
 */
public final class Management {

    private Management() {
    }

    /** {@code http://host:port} of the management interface followed by {@code path} (e.g. {@code /q/metrics}). */
    public static String url(String path) {
        URI base = URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class));
        return base.getScheme() + "://" + base.getHost() + ":" + base.getPort() + path;
    }

    /** A RestAssured request to the management interface: {@code Management.given().get("/q/health/ready")}. */
    public static RequestSpecification given() {
        return RestAssured.given().baseUri(url(""));
    }
}
