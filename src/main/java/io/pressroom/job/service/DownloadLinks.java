package io.pressroom.job.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.pressroom.config.PressroomConfig;

/**
 * Signed, expiring links to an output, served by the API itself ({@code /v1/downloads/{token}}), so they work for
 * any client that reaches the API, whether or not object storage is reachable. The token carries the output id,
 * the disposition and the expiry, with an HMAC-SHA256 over them; the output's state is checked on every use, so
 * a deleted output's links stop working at once.
 */
@ApplicationScoped
public class DownloadLinks {

    /** What a valid token grants. */
    public record Grant(String outputId, boolean inline, Instant expiresAt) {
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
    private static final String VERSION = "1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    public DownloadLinks(PressroomConfig config) {
        byte[] secret;
        if (config.downloads().signingKey().isPresent()) {
            secret = config.downloads().signingKey().get().getBytes(StandardCharsets.UTF_8);
        } else {
            LOG.warn("pressroom.downloads.signing-key is not set: download links work only on this process");
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public String sign(Grant grant) {
        String claims = VERSION + "|" + grant.outputId() + "|" + (grant.inline() ? "inline" : "attachment") + "|"
                + grant.expiresAt().toEpochMilli();
        return ENCODER.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + ENCODER.encodeToString(mac(claims));
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
        if (!MessageDigest.isEqual(mac(claims), signature)) {
            throw new Refused(Refusal.TAMPERED);
        }
        String[] parts = claims.split("\\|");
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            throw new Refused(Refusal.TAMPERED);
        }
        Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(parts[3]));
        if (!now.isBefore(expiresAt)) {
            throw new Refused(Refusal.EXPIRED);
        }
        return new Grant(parts[1], parts[2].equals("inline"), expiresAt);
    }

    private byte[] mac(String claims) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(claims.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
