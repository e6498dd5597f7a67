package io.pressroom.project.service;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import io.pressroom.common.Hashes;

/**
 * Project API keys: {@code prk_} followed by 32 random bytes in URL-safe base64. Only the SHA-256 of a key is
 * stored. A slow password hash buys nothing here: the key carries 256 bits of entropy, so it cannot be guessed
 * from its hash, and a fast hash lets every request be authenticated with one indexed lookup.
 */
public final class ApiKeys {

    public static final String PREFIX = "prk_";
    private static final Pattern FORMAT = Pattern.compile("prk_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public static boolean looksValid(String key) {
        return key != null && FORMAT.matcher(key).matches();
    }

    public static String hash(String key) {
        return Hashes.sha256Hex(key);
    }

    /** The first characters of a key, stored so that users can tell their keys apart. */
    public static String hint(String key) {
        return key.substring(0, PREFIX.length() + 6);
    }

    /** Compares secrets in constant time, for the admin key. */
    public static boolean sameSecret(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(Hashes.sha256().digest(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Hashes.sha256().digest(given.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
