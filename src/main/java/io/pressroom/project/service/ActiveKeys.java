package io.pressroom.project.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.pressroom.common.Notifications;
import io.pressroom.config.PressroomConfig;
import io.pressroom.project.repository.ApiKeyRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * Which project an active API key belongs to, kept on this pod for {@code pressroom.http.key-cache-ttl} after a lookup
 * so that a client's every request (polls above all) does not cost a database round trip. A key stops being active
 * everywhere at once: a trigger (migration V22) tells every API pod on {@code pressroom_api_keys} when a key is revoked
 * or deleted, however that was done, and this pod forgets a key it revoked before its answer leaves. Nothing is kept
 * while the notification connection is down, and everything is forgotten when it drops, since a revocation may have
 * gone unheard; a lookup that a revocation overtook is not kept either (the generation count).
 */
@ApplicationScoped
public class ActiveKeys {

    public static final String CHANNEL = "pressroom_api_keys";

    private final ApiKeyRepository keys;
    private final Notifications notifications;
    private final Cache<String, String> projects;
    private final boolean caching;
    /** Bumped by every forgetting: a lookup that began before one does not keep its answer. */
    private final AtomicLong generation = new AtomicLong();

    public ActiveKeys(ApiKeyRepository keys, Notifications notifications, PressroomConfig config) {
        this.keys = keys;
        this.notifications = notifications;
        Duration ttl = config.http().keyCacheTtl();
        this.caching = !ttl.isZero() && !ttl.isNegative();
        // with caching off nothing is put, and nothing would be kept
        this.projects = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(caching ? ttl : Duration.ZERO)
                .build();
    }

    void start(@Observes StartupEvent event, PressroomConfig config) {
        if (config.role().runsApi() && caching) {
            notifications.listen(CHANNEL, new Notifications.Listener() {

                @Override
                public void heard(String keyHash) {
                    forget(keyHash);
                }

                @Override
                public void mayHaveMissed() {
                    generation.incrementAndGet();
                    projects.invalidateAll();
                }
            });
        }
    }

    /** The project of the active key with this hash, or null when there is none. */
    public Uni<String> projectOf(String keyHash) {
        String known = projects.getIfPresent(keyHash);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        long before = generation.get();
        return Panache.withSession(() -> keys.findActiveByHash(keyHash)).map(key -> {
            if (key == null) {
                return null;
            }
            if (caching && notifications.listening() && generation.get() == before) {
                projects.put(keyHash, key.projectId);
            }
            return key.projectId;
        });
    }

    /** No request on this pod is let in with this key without looking it up again. */
    public void forget(String keyHash) {
        generation.incrementAndGet();
        projects.invalidate(keyHash);
    }
}
