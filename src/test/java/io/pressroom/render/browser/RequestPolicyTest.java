package io.pressroom.render.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPolicyTest {

    private final RequestPolicy policy = new RequestPolicy("bundle-1.pressroom.invalid");

    @ParameterizedTest
    @CsvSource({
            "https://bundle-1.pressroom.invalid/index.html, index.html",
            "https://bundle-1.pressroom.invalid/, ''",
            "https://bundle-1.pressroom.invalid/css/site.css?v=2#x, css/site.css",
            "https://bundle-1.pressroom.invalid/fonts/My%20Font.woff2, fonts/My Font.woff2",
            "https://bundle-1.pressroom.invalid/a+b.png, a+b.png",
    })
    void bundleUrlsAreServedByPath(String url, String path) {
        assertThat(policy.decide(url)).isEqualTo(new RequestPolicy.Serve(path));
    }

    @ParameterizedTest
    @CsvSource({
            "data:image/png;base64,AAAA",
            "blob:https://bundle-1.pressroom.invalid/1b6f-4c",
            "about:blank",
            "about:srcdoc",
    })
    void localUrlsStayInsideChromium(String url) {
        assertThat(policy.decide(url)).isEqualTo(new RequestPolicy.Local());
    }

    @ParameterizedTest
    @CsvSource({
            "http://bundle-1.pressroom.invalid/index.html, host_not_allowed",
            "https://bundle-1.pressroom.invalid:8443/x, host_not_allowed",
            "https://bundle-2.pressroom.invalid/x, host_not_allowed",
            "https://example.com/x.css, host_not_allowed",
            "https://8.8.8.8/, host_not_allowed",
            "http://127.0.0.1:8080/, loopback",
            "http://127.10.0.1/, loopback",
            "http://localhost/, loopback",
            "http://api.localhost/, loopback",
            "http://0.0.0.0:9000/, loopback",
            "http://[::1]/, loopback",
            "ws://127.0.0.1:1234/ws, loopback",
            "http://169.254.169.254/latest/meta-data/, link_local",
            "http://[fe80::1]/, link_local",
            "http://10.0.0.1/, private_network",
            "http://172.16.5.4/, private_network",
            "http://192.168.1.1/, private_network",
            "http://100.64.0.1/, private_network",
            "http://[fd00::1]/, private_network",
            "http://[::ffff:7f00:1]/, loopback",
            "http://user:pass@127.0.0.1/, loopback",
            "http://0x7f000001/, loopback",
            "http://2130706433/, loopback",
            "http://127.1/, loopback",
            "http://0177.0.0.1/, loopback",
            "http://[::]/, loopback",
            "http://0xa9fea9fe/, link_local",
            "http://[64:ff9b::a00:1]/, private_network",
            "http://256.0.0.1/, host_not_allowed",
            "http://224.0.0.1/, host_not_allowed",
            "file:///etc/passwd, file_scheme",
            "chrome://settings, scheme_not_allowed",
            "about:config, scheme_not_allowed",
            "javascript:alert(1), scheme_not_allowed",
            "ftp://10.0.0.1/x, scheme_not_allowed",
    })
    void everythingElseIsRefusedWithItsReason(String url, String reason) {
        assertThat(policy.decide(url)).isEqualTo(new RequestPolicy.Refuse(reason));
    }
}
