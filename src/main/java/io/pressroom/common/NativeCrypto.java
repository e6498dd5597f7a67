package io.pressroom.common;

import java.security.Security;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import io.pressroom.config.PressroomConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Puts the Amazon Corretto Crypto Provider ahead of the JDK's providers as the application starts
 * ({@code pressroom.native-crypto}). The JVMs run C1 only (docs/performance.md, "JIT settings"), which has no
 * intrinsics for SHA-256 or AES: in Java, a 60 KB PDF's SHA-256 costs about 0.6 ms of CPU and sending it to S3 over
 * TLS about 3 ms more; AWS-LC does either in a few hundredths of that. Every {@code getInstance} after this one
 * (digests, HMACs, ciphers, the TLS of the S3, Kafka and webhook clients) takes the native implementation where it
 * has one, and the JDK's for the rest.
 * <p>
 * The native library is only there for Linux x86-64; anywhere it does not load (another platform, a native image)
 * the JDK's providers stay, and the start says so.
 */
@ApplicationScoped
public class NativeCrypto {

    private static final Logger LOG = Logger.getLogger(NativeCrypto.class);

    /** Before every other start-up observer, so that what they set up already uses it. */
    void install(@Observes @Priority(0) StartupEvent start, PressroomConfig config) {
        if (!config.nativeCrypto()) {
            LOG.info("Native crypto off (pressroom.native-crypto=false): the JDK's providers are used");
            return;
        }
        Throwable unavailable = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
        if (unavailable != null) {
            LOG.warnf("Native crypto unavailable here (%s): the JDK's providers are used", unavailable.toString());
            return;
        }
        AmazonCorrettoCryptoProvider.install();
        AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
        LOG.infof("Native crypto: %s %s is the first security provider", Security.getProviders()[0].getName(),
                Security.getProviders()[0].getVersionStr());
    }

    /**
     * Whether the native provider is the one asked first. By name: the provider list is the JVM's, and a test JVM
     * that starts the application again keeps the one its first start installed.
     */
    public static boolean installed() {
        return Security.getProviders()[0].getName().equals(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
    }
}
