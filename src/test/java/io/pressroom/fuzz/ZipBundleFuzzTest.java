package io.pressroom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.pressroom.bundle.TemplateBundle;
import io.pressroom.common.Refusal;
import io.pressroom.deploy.service.ZipBundleReader;

/**
 * Any bytes uploaded as a zip bundle are either a bundle within the limits or a refusal (400/413): never another
 * exception (a 500), a hang, or memory beyond the limits. Small limits here, so that the fuzzer reaches them.
 */
class ZipBundleFuzzTest {

    private static final ZipBundleReader.Limits LIMITS = new ZipBundleReader.Limits(64 * 1024, 8, 16, 20, 4096);

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void anyUploadIsABundleWithinTheLimitsOrARefusal(byte[] zip) {
        TemplateBundle bundle;
        try {
            bundle = ZipBundleReader.read(zip, LIMITS);
        } catch (Refusal expected) {
            Fuzzing.checkDetail(expected);
            return;
        }
        assertThat(bundle.bytes()).isLessThanOrEqualTo(LIMITS.maxBundleBytes());
        assertThat(bundle.html()).isNotNull();
        int assets = 0;
        for (TemplateBundle.Entry entry : bundle.entries()) {
            assertThat(TemplateBundle.isSafePath(entry.path())).as(entry.path()).isTrue();
            assets++;
        }
        assertThat(assets).isLessThanOrEqualTo(LIMITS.maxAssets() + 1);
    }
}
