package io.pressroom.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.pressroom.common.Hashes;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A stored object's reported SHA-256 (an output's {@code sha256}, its download's ETag) is the hash of the bytes the
 * store holds, and on a plain-HTTP endpoint it is the one SigV4 signed, not a second pass over the bytes.
 */
@QuarkusTest
class ObjectStorageTest {

    @Inject
    ObjectStorage storage;

    @Inject
    S3Client s3;

    @Test
    void storedBytesComeBackWithTheirSha256() throws Exception {
        long seed = new Random().nextLong();
        byte[] bytes = new byte[70_000 + new Random(seed).nextInt(200_000)];
        new Random(seed).nextBytes(bytes);
        String key = "test/storage/" + UUID.randomUUID();

        String reported = storage.putHashed(key, bytes, "application/pdf");

        assertThat(reported).as("seed %d", seed).isEqualTo(Hashes.sha256Hex(bytes))
                .isEqualTo(Hashes.sha256Hex(storage.get(key)));
        storage.delete(key);
    }

    @Test
    void aStoredFileComesBackWithItsSha256() throws Exception {
        Path file = Files.createTempFile("pressroom-storage", ".pdf");
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        String key = "test/storage/" + UUID.randomUUID();

        String reported = storage.putHashed(key, file, "application/pdf");

        assertThat(reported).isEqualTo(Hashes.sha256Hex(bytes)).isEqualTo(Hashes.sha256Hex(storage.get(key)));
        storage.delete(key);
        Files.delete(file);
    }

    @Test
    void onThisPlainHttpEndpointTheHashIsTheSignedOne() {
        byte[] bytes = "the signed body".getBytes();
        String key = "test/storage/" + UUID.randomUUID();
        AtomicReference<String> signed = new AtomicReference<>();

        s3.putObject(b -> b.bucket(storage.bucket()).key(key)
                .overrideConfiguration(o -> o.putExecutionAttribute(SignedPayloadHash.SINK, signed)),
                RequestBody.fromBytes(bytes));

        assertThat(signed.get()).as("chunked encoding off and the interceptor registered (application.properties)")
                .isEqualTo(Hashes.sha256Hex(bytes));
        storage.delete(key);
    }
}
