package io.pressroom.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Small per-project and per-address limits, with X-Forwarded-For trusted from loopback (the test client plays the
 * proxy). One profile for the tests of both limits: each Quarkus test profile costs the suite a build and a start
 * of the application.
 */
public class TightHttpLimits implements QuarkusTestProfile {

    /** Wrong keys one address may send at once before it is refused. */
    public static final int AUTH_FAILURE_BURST = 5;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("pressroom.http.rate-limit-per-second", "2", "pressroom.http.rate-limit-burst", "5",
                "pressroom.http.auth-failures-per-minute", "1",
                "pressroom.http.auth-failure-burst", Integer.toString(AUTH_FAILURE_BURST),
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", "127.0.0.1,::1");
    }
}
