package io.pressroom.storage;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pressroom.common.Refusal;
import io.pressroom.config.PressroomConfig;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Pressroom's single bucket in S3-compatible storage. Calls block, so reactive callers go through
 * {@link #blocking(Callable)}, which runs them on a worker thread and resumes on the caller's Vert.x context.
 */
@ApplicationScoped
public class ObjectStorage {

    private static final Logger LOG = Logger.getLogger(ObjectStorage.class);
    /** Most keys S3 returns in one listing and takes in one batch delete. */
    public static final int PAGE = 1000;

    /** An object as a listing shows it. */
    public record Stored(String key, Instant lastModified) {
    }

    /** One page of a listing, in key order; {@code more} when keys after the last one are left. */
    public record Listing(List<Stored> objects, boolean more) {
    }

    private final S3Client s3;
    private final String bucket;

    public ObjectStorage(S3Client s3, PressroomConfig config) {
        this.s3 = s3;
        this.bucket = config.storage().bucket();
    }

    public String bucket() {
        return bucket;
    }

    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    /** The object's bytes, or {@code null} when there is none. */
    public byte[] get(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
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
