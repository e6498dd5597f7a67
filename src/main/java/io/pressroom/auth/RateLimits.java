package io.pressroom.auth;

import java.time.Duration;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.github.bucket4j.ConsumptionProbe;
import io.pressroom.common.ApiProblem;
import io.pressroom.common.BucketsPerKey;
import io.pressroom.common.ProblemMapper;
import io.pressroom.config.PressroomConfig;

/**
 * The per-project request rate limit ({@code pressroom.http.rate-limit-per-second}, burst
 * {@code pressroom.http.rate-limit-burst}): a token bucket (Bucket4j) per project on each API pod, taken after the
 * key is checked, so anonymous requests never spend a project's budget. Over it: 429 {@code rate_limited} with
 * {@code Retry-After}, and nothing is done. Admin and signed-link requests are not limited here.
 */
public class RateLimits {

    private final Caller caller;
    private final int perSecond;
    private final int burst;
    private final BucketsPerKey buckets;

    public RateLimits(Caller caller, PressroomConfig config) {
        this.caller = caller;
        this.perSecond = config.http().rateLimitPerSecond();
        this.burst = Math.max(config.http().rateLimitBurst(), perSecond);
        this.buckets = new BucketsPerKey(burst, perSecond, Duration.ofSeconds(1));
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Response limit(ContainerRequestContext request) {
        if (perSecond <= 0 || !caller.isProject()) {
            return null;
        }
        ConsumptionProbe probe = buckets.of(caller.projectId()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return null;
        }
        long retryAfter = BucketsPerKey.retryAfterSeconds(probe.getNanosToWaitForRefill());
        return ProblemMapper.respond(ApiProblem.tooMany("rate_limited", "this project made more than " + perSecond
                + " requests per second (bursts up to " + burst + "); retry after " + retryAfter + " s", retryAfter),
                request.getUriInfo());
    }
}
