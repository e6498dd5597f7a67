package io.pressroom.job.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.pressroom.common.KeyRing;
import io.pressroom.job.service.DownloadLinks.Grant;
import io.pressroom.job.service.DownloadLinks.Refusal;
import io.pressroom.job.service.DownloadLinks.Refused;

/** Signing keys: required and long enough outside development, named in each link, rotated without broken links. */
class DownloadLinksTest {

    private static final String KEY_A = "a-key-of-thirty-two-bytes-or-more-AAAA";
    private static final String KEY_B = "b-key-of-thirty-two-bytes-or-more-BBBB";
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Grant GRANT = new Grant("out_01", false, NOW.plusSeconds(600));

    private static DownloadLinks links(String key, String id, String... previous) {
        return new DownloadLinks(SigningKeys.of(Optional.of(key), id, List.of(previous), false));
    }

    @Test
    void outsideDevelopmentAKeyOfAtLeast32BytesIsRequired() {
        assertThatThrownBy(() -> SigningKeys.of(Optional.empty(), "1", List.of(), false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PRESSROOM_DOWNLOADS_SIGNING_KEY")
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> SigningKeys.of(Optional.of("x".repeat(31)), "1", List.of(), false))
                .hasMessageContaining("has 31 bytes; it needs at least 32");
        assertThatThrownBy(() -> SigningKeys.of(Optional.of(KEY_A), "1", List.of("old:short"), false))
                .hasMessageContaining("previous-signing-keys 'old' has 5 bytes");
        assertThat(SigningKeys.of(Optional.of("x".repeat(32)), "1", List.of(), false).currentId()).isEqualTo("1");
        // development and tests may run without one: a random key per process
        DownloadLinks local = new DownloadLinks(SigningKeys.of(Optional.empty(), "1", List.of(), true));
        assertThat(verifies(local, local.sign(GRANT))).isTrue();
    }

    @Test
    void keyIdsAreCheckedWhenTheKeysAreRead() {
        for (String bad : new String[] { "", "a b", "a:b", "x".repeat(33), "ü" }) {
            assertThatThrownBy(() -> SigningKeys.of(Optional.of(KEY_A), bad, List.of(), false))
                    .as(bad).hasMessageContaining("a key id is 1 to 32 letters");
        }
        assertThatThrownBy(() -> SigningKeys.of(Optional.of(KEY_A), "k1", List.of(KEY_B), false))
                .as("no id").hasMessageContaining("a key id is");
        assertThatThrownBy(() -> SigningKeys.of(Optional.of(KEY_A), "k1", List.of("k1:" + KEY_B), false))
                .hasMessageContaining("'k1' is used twice");
        // a secret may hold colons: only the first one separates the id
        KeyRing keys = SigningKeys.of(Optional.of(KEY_A), "k2", List.of("k1: " + KEY_B + ":x "), false);
        assertThat(new String(keys.byId("k1"), StandardCharsets.UTF_8)).isEqualTo(KEY_B + ":x");
    }

    @Test
    void linksNameTheirKeyAndKeepWorkingWhileItIsListed() throws Exception {
        String before = links(KEY_A, "a").sign(GRANT);
        assertThat(claims(before)).startsWith("2|a|out_01|attachment|");

        // rotation: B signs now, A still verifies
        DownloadLinks rotated = links(KEY_B, "b", "a:" + KEY_A);
        assertThat(rotated.verify(before, NOW)).isEqualTo(GRANT);
        assertThat(claims(rotated.sign(GRANT))).startsWith("2|b|");
        // A is dropped: its links stop working, B's keep working
        DownloadLinks after = links(KEY_B, "b");
        assertThat(refusal(after, before)).isEqualTo(Refusal.TAMPERED);
        assertThat(after.verify(rotated.sign(GRANT), NOW)).isEqualTo(GRANT);
        // naming another listed key does not make a signature valid
        String renamed = encode("2|b|" + claims(before).substring(4)) + before.substring(before.indexOf('.'));
        assertThat(refusal(rotated, renamed)).isEqualTo(Refusal.TAMPERED);
        assertThat(refusal(rotated, links(KEY_A, "a").sign(new Grant("out_01", false, NOW)))).isEqualTo(Refusal.EXPIRED);
    }

    @Test
    void aShareLinkNamesItsShareUnderTheSignature() throws Exception {
        DownloadLinks links = links(KEY_A, "a");
        Grant shared = new Grant("out_01", false, NOW.plusSeconds(600), "shr_01");
        String token = links.sign(shared);
        assertThat(claims(token)).startsWith("3|a|out_01|attachment|").endsWith("|shr_01");
        assertThat(links.verify(token, NOW)).isEqualTo(shared);
        // another share's id, or none, under the same signature is a forgery: revoking one share must stop its link
        String signature = token.substring(token.indexOf('.'));
        String otherShare = claims(token).replace("|shr_01", "|shr_02");
        assertThat(refusal(links, encode(otherShare) + signature)).isEqualTo(Refusal.TAMPERED);
        String noShare = "2" + claims(token).substring(1).replace("|shr_01", "");
        assertThat(refusal(links, encode(noShare) + signature)).isEqualTo(Refusal.TAMPERED);
    }

    @Test
    void linksMadeBeforeKeyIdsStillWork() throws Exception {
        String claims = "1|out_07|inline|" + NOW.plusSeconds(60).toEpochMilli();
        String legacy = encode(claims) + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(KEY_A, claims));
        assertThat(links(KEY_B, "b", "a:" + KEY_A).verify(legacy, NOW)).isEqualTo(new Grant("out_07", true,
                NOW.plusSeconds(60)));
        assertThat(refusal(links(KEY_B, "b"), legacy)).isEqualTo(Refusal.TAMPERED);
    }

    @Test
    void anyChangedCharacterOfALinkIsRefused() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        DownloadLinks links = links(KEY_B, "b", "a:" + KEY_A);
        try {
            for (int i = 0; i < 500; i++) {
                Grant grant = new Grant("out_" + random.nextInt(1_000_000), random.nextBoolean(),
                        NOW.plusSeconds(1 + random.nextInt(604_800)));
                String token = links.sign(grant);
                assertThat(verifies(links, token)).isTrue();
                int at = random.nextInt(token.length());
                char replacement = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.|"
                        .charAt(random.nextInt(66));
                String tampered = token.substring(0, at) + replacement + token.substring(at + 1);
                if (!tampered.equals(token) && verifies(links, tampered)) {
                    // base64's last character carries spare bits: a change there may decode to the same bytes
                    assertThat(decoded(tampered)).as(tampered).isEqualTo(decoded(token));
                }
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private static boolean verifies(DownloadLinks links, String token) {
        try {
            links.verify(token, NOW);
            return true;
        } catch (Refused refused) {
            return false;
        }
    }

    private static Refusal refusal(DownloadLinks links, String token) {
        try {
            links.verify(token, NOW);
            throw new AssertionError("verified: " + token);
        } catch (Refused refused) {
            return refused.reason();
        }
    }

    private static String claims(String token) {
        return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
    }

    /** The bytes a token stands for: its claims and its signature in hex. */
    private static String decoded(String token) {
        int dot = token.indexOf('.');
        return claims(token) + "." + HexFormat.of().formatHex(Base64.getUrlDecoder().decode(token.substring(dot + 1)));
    }

    private static String encode(String claims) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String key, String claims) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(claims.getBytes(StandardCharsets.UTF_8));
    }
}
