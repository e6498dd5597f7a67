package io.pressroom.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/** Only a body hash that SigV4 signed is handed on; the placeholders of unsigned or chunked bodies are not. */
class SignedPayloadHashTest {

    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void aSignedBodyHashIsHandedOn() {
        assertThat(seen(HASH, null)).isEqualTo(HASH);
    }

    @Test
    void anUnsignedOrChunkedBodyHandsOnNothing() {
        assertThat(seen("UNSIGNED-PAYLOAD", null)).isNull();
        assertThat(seen("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", null)).isNull();
        assertThat(seen(null, null)).isNull();
        assertThat(seen(HASH.toUpperCase(), null)).as("SigV4 writes lower-case hex").isNull();
    }

    @Test
    void aLaterAttemptWithoutASignedHashForgetsAnEarlierOne() {
        assertThat(seen("UNSIGNED-PAYLOAD", HASH)).isNull();
    }

    @Test
    void aRequestThatAsksForNothingIsLeftAlone() {
        new SignedPayloadHash().beforeTransmission(context(HASH), new ExecutionAttributes());
    }

    private static String seen(String header, String before) {
        AtomicReference<String> sink = new AtomicReference<>(before);
        ExecutionAttributes attributes = new ExecutionAttributes();
        attributes.putAttribute(SignedPayloadHash.SINK, sink);
        new SignedPayloadHash().beforeTransmission(context(header), attributes);
        return sink.get();
    }

    private static Context.BeforeTransmission context(String contentSha256) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create("http://127.0.0.1:9/bucket/key"));
        if (contentSha256 != null) {
            request.putHeader("x-amz-content-sha256", contentSha256);
        }
        SdkHttpRequest http = request.build();
        return new Context.BeforeTransmission() {
            @Override
            public SdkRequest request() {
                return null;
            }

            @Override
            public SdkHttpRequest httpRequest() {
                return http;
            }

            @Override
            public Optional<RequestBody> requestBody() {
                return Optional.empty();
            }

            @Override
            public Optional<AsyncRequestBody> asyncRequestBody() {
                return Optional.empty();
            }
        };
    }
}
