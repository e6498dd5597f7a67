package io.pressroom.storage;

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
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Pressroom's single bucket in S3-compatible storage. Calls block, so reactive callers go through
 * {@link #blocking(Callable)}, which runs them on a worker thread and resumes on the caller's Vert.x context.
 */
@ApplicationScoped
public class ObjectStorage {

    private static final Logger LOG = Logger.getLogger(ObjectStorage.class);

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
