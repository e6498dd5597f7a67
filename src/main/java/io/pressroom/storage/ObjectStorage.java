package io.pressroom.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.pressroom.common.Hashes;
import io.pressroom.common.Refusal;
import io.pressroom.config.PressroomConfig;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Pressroom's single bucket in S3-compatible storage. Calls block, so reactive callers go through
 * {@link #blocking(Callable)}, which runs them on a worker thread and resumes on the caller's Vert.x context.
 */
@ApplicationScoped
public class ObjectStorage {

    private static final Logger LOG = Logger.getLogger(ObjectStorage.class);
    /** Most keys S3 returns in one listing and takes in one batch delete. */
    public static final int PAGE = 1000;
    /** Bytes a download reads from storage at a time. */
    public static final int CHUNK = 64 * 1024;

    /** An object as a listing shows it. */
    public record Stored(String key, Instant lastModified) {
    }

    /** One page of a listing, in key order; {@code more} when keys after the last one are left. */
    public record Listing(List<Stored> objects, boolean more) {
    }

    private final S3Client s3;
    private final String bucket;

    @Inject
    public ObjectStorage(S3Client s3, PressroomConfig config) {
        this(s3, config.storage().bucket());
    }

    ObjectStorage(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    /** Stores the file at {@code file}, streamed from disk. */
    public void put(String key, Path file, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    /**
     * Stores {@code bytes} and returns their SHA-256 in hex: the hash SigV4 signed for the body when the endpoint is
     * plain HTTP ({@link SignedPayloadHash}), else one computed here. Either way one pass over the bytes, not two
     * (C1 has no intrinsic for SHA-256: about 0.6 ms for a 60 KB invoice).
     */
    public String putHashed(String key, byte[] bytes, String contentType) {
        String signed = putSigned(key, contentType, RequestBody.fromBytes(bytes));
        return signed != null ? signed : Hashes.sha256Hex(bytes);
    }

    /**
     * Stores the file at {@code file}, streamed from disk (a batch's merged PDF may be large), and returns its
     * SHA-256 in hex as {@link #putHashed(String, byte[], String)} does.
     */
    public String putHashed(String key, Path file, String contentType) throws IOException {
        String signed = putSigned(key, contentType, RequestBody.fromFile(file));
        return signed != null ? signed : Hashes.sha256Hex(file);
    }

    /** Stores {@code body}; returns the SHA-256 SigV4 signed for it, or null when it was sent unsigned. */
    private String putSigned(String key, String contentType, RequestBody body) {
        AtomicReference<String> signed = new AtomicReference<>();
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType)
                .overrideConfiguration(o -> o.putExecutionAttribute(SignedPayloadHash.SINK, signed)), body);
        return signed.get();
    }

    /**
     * Copies the object to {@code file} (which must not exist), streamed to disk; {@code false} when there is no
     * such object.
     */
    public boolean copyTo(String key, Path file) {
        try {
            s3.getObject(b -> b.bucket(bucket).key(key),
                    software.amazon.awssdk.core.sync.ResponseTransformer.toFile(file));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** The object's bytes, or {@code null} when there is none. */
    public byte[] get(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /** The object's size in bytes, or -1 when there is none. */
    public long size(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw e;
        }
    }

    /**
     * Bytes {@code first} to {@code last} (inclusive) of the object, as the subscriber asks for them: each chunk of
     * {@value #CHUNK} bytes is read on a worker thread once the one before was taken, so a download holds about one
     * chunk in memory whatever the object's size and however slowly its client reads. The object is opened on
     * subscription and its connection let go when the stream completes, fails or is cancelled (a client gone). An
     * object that is not there fails the stream with {@code missing}, before its first byte.
     */
    public Multi<Buffer> stream(String key, long first, long last, Supplier<? extends Refusal> missing) {
        if (last < first) {
            return Multi.createFrom().empty();
        }
        return Multi.createFrom().resourceFromUni(
                () -> blocking(() -> {
                    try {
                        return s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + first + "-" + last));
                    } catch (NoSuchKeyException e) {
                        throw missing.get();
                    }
                }),
                body -> {
                    // ends with the last byte asked for: no further read just to find the end of the stream
                    long[] left = { last - first + 1 };
                    return Multi.createBy().repeating().uni(() -> blocking(() -> chunk(body, left)))
                            .whilst(chunk -> chunk.length() > 0 && left[0] > 0);
                })
                .withFinalizer(body -> release(body, false), (body, failure) -> release(body, true),
                        body -> release(body, true));
    }

    /** The next chunk of at most {@value #CHUNK} of the {@code left[0]} bytes still to read, which it counts down. */
    private static Buffer chunk(InputStream body, long[] left) throws IOException {
        byte[] chunk = new byte[(int) Math.min(CHUNK, left[0])];
        int read = body.readNBytes(chunk, 0, chunk.length);
        left[0] -= read;
        return Buffer.buffer(read == chunk.length ? chunk : Arrays.copyOf(chunk, read));
    }

    /** Closes a stream read to its end; aborts one left unread (closing would first read the rest of it). */
    private static Uni<Void> release(ResponseInputStream<GetObjectResponse> body, boolean unread) {
        try {
            if (unread) {
                body.abort();
            } else {
                body.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not close a storage stream", e);
        }
        return Uni.createFrom().voidItem();
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /**
     * Up to {@code max} (at most {@value #PAGE}) objects under {@code prefix} whose keys come after {@code startAfter}
     * (from the first when null), in key order. Resuming by key rather than by continuation token lets a later call
     * go on where an earlier one stopped, however long ago.
     */
    public Listing list(String prefix, String startAfter, int max) {
        ListObjectsV2Response page = s3.listObjectsV2(b -> {
            b.bucket(bucket).prefix(prefix).maxKeys(Math.min(max, PAGE));
            if (startAfter != null) {
                b.startAfter(startAfter);
            }
        });
        List<Stored> objects = page.contents().stream().map(o -> new Stored(o.key(), o.lastModified())).toList();
        return new Listing(objects, Boolean.TRUE.equals(page.isTruncated()));
    }

    /** Deletes {@code keys} in batch requests of {@value #PAGE}; throws when any of them could not be deleted. */
    public void deleteAll(List<String> keys) {
        for (int from = 0; from < keys.size(); from += PAGE) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + PAGE)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build()).toList();
            var answer = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            if (answer.hasErrors() && !answer.errors().isEmpty()) {
                throw new IllegalStateException("could not delete " + answer.errors().size() + " objects, such as "
                        + answer.errors().get(0).key() + ": " + answer.errors().get(0).message());
            }
        }
    }

    /**
     * Deletes objects that are no longer reachable (after the commit that made them so), off the event loop. A
     * failure is logged, not raised: the state change it follows has already happened.
     */
    public Uni<Void> deleteQuietly(List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return VertxContextSupport.executeBlocking(() -> {
            keys.forEach(this::delete);
            return (Void) null;
        }).onFailure().invoke(failure -> LOG.warnf(failure, "Could not delete %s", keys))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Answers when the bucket is reachable; throws otherwise. */
    public void probe() {
        s3.headBucket(b -> b.bucket(bucket));
    }

    public void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
                LOG.infof("Created bucket %s", bucket);
            } catch (BucketAlreadyOwnedByYouException raced) {
                // another pod created it first
            }
        }
    }

    /**
     * Runs blocking storage work off the event loop and maps storage failures to 503 {@code storage_unavailable}.
     */
    public static <T> Uni<T> blocking(Callable<T> work) {
        return VertxContextSupport.executeBlocking(work)
                .onFailure(failure -> !(failure instanceof Refusal))
                .transform(failure -> {
                    LOG.warn("Object storage call failed", failure);
                    return new Refusal.Unavailable("storage_unavailable", "object storage is not available");
                });
    }
}
