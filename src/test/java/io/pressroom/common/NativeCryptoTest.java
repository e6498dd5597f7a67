package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import javax.crypto.Cipher;
import javax.crypto.Mac;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * On Linux x86-64 the application's digests, MACs and ciphers (TLS included) come from the native provider, and
 * give what the JDK's give.
 */
@QuarkusTest
class NativeCryptoTest {

    private static final String NATIVE = "AmazonCorrettoCryptoProvider";

    @Test
    void theNativeProviderIsAskedFirst() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the native library is built for Linux x86-64 only");

        assertThat(NativeCrypto.installed()).isTrue();
        assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo(NATIVE);
        assertThat(Mac.getInstance("HmacSHA256").getProvider().getName()).isEqualTo(NATIVE);
        assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo(NATIVE);
    }

    @Test
    void itsSha256IsTheStandardOne() {
        // FIPS 180-2, appendix B.1
        assertThat(Hashes.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
