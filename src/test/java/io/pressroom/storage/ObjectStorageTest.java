package io.pressroom.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void storedBytesAndFilesComeBackWithTheirSha256() throws Exception {
        Path dir = Files.createTempDirectory("pressroom-storage");
        storesWithTheirSha256(storage, "test/storage/" + UUID.randomUUID() + "/", dir);
        Files.delete(dir);
    }

    /**
     * Stores seeded random bytes, and the same bytes as a file in {@code dir}, under {@code prefix}; each reported
     * SHA-256 is the bytes' and the stored object's. Deletes what it stored.
     */
    static void storesWithTheirSha256(ObjectStorage storage, String prefix, Path dir) throws IOException {
        long seed = new Random().nextLong();
        byte[] bytes = new byte[70_000 + new Random(seed).nextInt(200_000)];
        new Random(seed).nextBytes(bytes);
        Path file = Files.write(dir.resolve("merged.pdf"), bytes);

        assertThat(storage.putHashed(prefix + "bytes", bytes, "application/pdf")).as("seed %d", seed)
                .isEqualTo(Hashes.sha256Hex(bytes)).isEqualTo(Hashes.sha256Hex(storage.get(prefix + "bytes")));
        assertThat(storage.putHashed(prefix + "file", file, "application/pdf")).as("seed %d", seed)
                .isEqualTo(Hashes.sha256Hex(bytes)).isEqualTo(Hashes.sha256Hex(storage.get(prefix + "file")));

        storage.deleteAll(List.of(prefix + "bytes", prefix + "file"));
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
