package io.pressroom.job.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.pressroom.common.KeyRing;
import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Signed, expiring links to an output, served by the API itself ({@code /v1/downloads/{token}}), so they work for
 * any client that reaches the API, whether or not object storage is reachable. The token carries the output id,
 * the disposition and the expiry, with an HMAC-SHA256 over them; the output's state is checked on every use, so
 * a deleted output's links stop working at once. Each token names the id of the key that signed it
 * ({@link SigningKeys}), so links signed before a rotation keep working while their key is listed.
 */
@ApplicationScoped
public class DownloadLinks {

    /** What a valid token grants; {@code shareId} names the share link it belongs to, or is null. */
    public record Grant(String outputId, boolean inline, Instant expiresAt, String shareId) {
        public Grant(String outputId, boolean inline, Instant expiresAt) {
            this(outputId, inline, expiresAt, null);
        }
    }

    /** Why a token is refused. */
    public enum Refusal {
        TAMPERED,
        EXPIRED
    }

    public static class Refused extends Exception {
        private final Refusal reason;

        Refused(Refusal reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }

        public Refusal reason() {
            return reason;
        }
    }

    private static final Logger LOG = Logger.getLogger(DownloadLinks.class);
    /** Version 1 tokens name no key; version 2 tokens name theirs: {@code 2|kid|output|disposition|expiry}. */
    private static final String VERSION = "2";
    /** A share link's token names its share too: {@code 3|kid|output|disposition|expiry|share}. */
    private static final String SHARE_VERSION = "3";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final KeyRing keys;

    @Inject
    public DownloadLinks(PressroomConfig config) {
        this(keysOf(config));
        if (config.downloads().signingKey().isEmpty()) {
            LOG.warn("pressroom.downloads.signing-key is not set: download links work only on this process "
                    + "(allowed in development and tests only)");
        }
    }

    DownloadLinks(KeyRing keys) {
        this.keys = keys;
    }

    /**
     * An API refuses to start without a good signing key outside development and tests, with the reason, rather than
     * sign links no other pod can verify. Static: a renderer, which makes no links, is not asked.
     */
    static void check(@Observes StartupEvent event, PressroomConfig config) {
        if (config.role().runsApi()) {
            LOG.debugf("Download links are signed with key %s", keysOf(config).currentId());
        }
    }

    private static KeyRing keysOf(PressroomConfig config) {
        return SigningKeys.of(config.downloads().signingKey(), config.downloads().signingKeyId(),
                config.downloads().previousSigningKeys().orElse(List.of()), LaunchMode.current().isDevOrTest());
    }

    public String sign(Grant grant) {
        String claims = (grant.shareId() == null ? VERSION : SHARE_VERSION) + "|" + keys.currentId() + "|"
                + grant.outputId() + "|" + (grant.inline() ? "inline" : "attachment") + "|"
                + grant.expiresAt().toEpochMilli() + (grant.shareId() == null ? "" : "|" + grant.shareId());
        return ENCODER.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + ENCODER.encodeToString(mac(keys.current(), claims));
    }

    public Grant verify(String token, Instant now) throws Refused {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot < 1) {
            throw new Refused(Refusal.TAMPERED);
        }
        String claims;
        byte[] signature;
        try {
            claims = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new Refused(Refusal.TAMPERED);
        }
        String[] parts = claims.split("\\|");
        String[] grant;
        String shareId = null;
        if ((parts.length == 5 && VERSION.equals(parts[0])) || (parts.length == 6 && SHARE_VERSION.equals(parts[0]))) {
            byte[] key = keys.byId(parts[1]);
            if (key == null || !MessageDigest.isEqual(mac(key, claims), signature)) {
                throw new Refused(Refusal.TAMPERED); // an unknown key id: a forgery, or a key no longer listed
            }
            grant = new String[] { parts[2], parts[3], parts[4] };
            shareId = parts.length == 6 ? parts[5] : null;
        } else if (parts.length == 4 && "1".equals(parts[0]) && signedByAny(claims, signature)) {
            // links made before key ids: any listed key may have signed them
            grant = new String[] { parts[1], parts[2], parts[3] };
        } else {
            throw new Refused(Refusal.TAMPERED);
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochMilli(Long.parseLong(grant[2]));
        } catch (NumberFormatException e) {
            throw new Refused(Refusal.TAMPERED);
        }
        if (!now.isBefore(expiresAt)) {
            throw new Refused(Refusal.EXPIRED);
        }
        return new Grant(grant[0], grant[1].equals("inline"), expiresAt, shareId);
    }

    private boolean signedByAny(String claims, byte[] signature) {
        for (byte[] key : keys.all()) {
            if (MessageDigest.isEqual(mac(key, claims), signature)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] mac(byte[] key, String claims) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(claims.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
