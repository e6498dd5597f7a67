package io.pressroom.storage;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Hands the caller of a {@code PUT} the SHA-256 that SigV4 signed for its body, so that the body is not hashed a
 * second time. On a plain-HTTP endpoint (s3proxy, an in-cluster MinIO) the SDK signs the payload: with chunked
 * encoding off, its {@code x-amz-content-sha256} header is the hex SHA-256 of the whole body, which the store
 * checks against the bytes it received. Over HTTPS the payload is not signed (the header says
 * {@code UNSIGNED-PAYLOAD}), nothing is handed on, and the caller hashes the body itself.
 * <p>
 * Registered for every S3 call ({@code quarkus.s3.interceptors}); it acts only on requests that carry
 * {@link #SINK}.
 */
@RegisterForReflection
public class SignedPayloadHash implements ExecutionInterceptor {

    /** Where a request that wants it receives its signed payload hash; left null when there is none. */
    static final ExecutionAttribute<AtomicReference<String>> SINK = new ExecutionAttribute<>(
            "io.pressroom.storage.SignedPayloadHash");
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        AtomicReference<String> sink = attributes.getAttribute(SINK);
        if (sink != null) {
            // each attempt is signed again; a later attempt without a signed hash must not leave an earlier one
            sink.set(context.httpRequest().firstMatchingHeader(CONTENT_SHA256)
                    .filter(value -> SHA256_HEX.matcher(value).matches()).orElse(null));
        }
    }
}
