package io.pressroom.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pressroom.testing.stack.S3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Over HTTPS, as S3 itself is reached, the SDK does not sign the body: nothing is handed on, the reported SHA-256 is
 * computed, and it is still the stored bytes'. Against s3proxy serving HTTPS with a self-signed key on 127.0.0.1.
 */
class ObjectStorageTlsTest {

    private static final String BUCKET = "tls";

    @TempDir
    static Path dir;
    private static S3Server server;
    private static S3Client s3;
    private static ObjectStorage storage;

    @BeforeAll
    static void start() throws Exception {
        S3Server.Tls tls = S3Server.Tls.selfSigned(dir);
        server = new S3Server(0, dir.resolve("data")).tls(tls);
        server.start();
        // the client as application.properties makes it: whole signed bodies, the signed hash handed on
        s3 = S3Client.builder().endpointOverride(URI.create(server.endpoint())).region(Region.of(S3Server.REGION))
                .credentialsProvider(StaticCredentialsProvider
                        .create(AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .chunkedEncodingEnabled(false).build())
                .httpClient(ApacheHttpClient.builder().tlsTrustManagersProvider(tls::trustManagers).build())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new SignedPayloadHash())).build();
        s3.createBucket(b -> b.bucket(BUCKET));
        storage = new ObjectStorage(s3, BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void overHttpsNothingIsSignedAndTheHashIsComputed() {
        byte[] bytes = "an unsigned body".getBytes();
        AtomicReference<String> signed = new AtomicReference<>("not asked");

        s3.putObject(b -> b.bucket(BUCKET).key("unsigned")
                .overrideConfiguration(o -> o.putExecutionAttribute(SignedPayloadHash.SINK, signed)),
                RequestBody.fromBytes(bytes));

        assertThat(server.endpoint()).startsWith("https://");
        assertThat(signed.get()).as("the interceptor ran and found no signed hash").isNull();
    }

    @Test
    void storedBytesAndFilesComeBackWithTheirSha256() throws Exception {
        ObjectStorageTest.storesWithTheirSha256(storage, "", dir);
    }
}
