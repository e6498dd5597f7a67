package io.pressroom.render.browser;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import io.pressroom.common.AddressClassifier;

/**
 * Decides from a URL alone what the sandbox does with a request the page makes: serve it from the bundle, let
 * Chromium handle it locally ({@code data:}, {@code blob:}, {@code about:blank}), or refuse it with a reason. The
 * reasons tell an operator what a template tried; a host name never resolves here (no DNS from the renderer).
 */
final class RequestPolicy {

    static final String LOOPBACK = "loopback";
    static final String LINK_LOCAL = "link_local";
    static final String PRIVATE_NETWORK = "private_network";
    static final String HOST_NOT_ALLOWED = "host_not_allowed";
    static final String FILE_SCHEME = "file_scheme";
    static final String SCHEME_NOT_ALLOWED = "scheme_not_allowed";

    sealed interface Decision {
    }

    /** Answer from the bundle: {@code path} is relative to its root, without query or fragment. */
    record Serve(String path) implements Decision {
    }

    /** Leave it to Chromium: nothing leaves the browser for these. */
    record Local() implements Decision {
    }

    record Refuse(String reason) implements Decision {
    }

    private final String bundleHost;

    /** @param bundleHost the fake host the page is loaded from; only {@code https://bundleHost/…} is served */
    RequestPolicy(String bundleHost) {
        this.bundleHost = bundleHost;
    }

    Decision decide(String url) {
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "data", "blob":
                return new Local();
            case "about":
                String what = url.substring(colon + 1);
                return what.equals("blank") || what.equals("srcdoc") ? new Local() : new Refuse(SCHEME_NOT_ALLOWED);
            case "file":
                return new Refuse(FILE_SCHEME);
            case "http", "https", "ws", "wss":
                break;
            default:
                return new Refuse(SCHEME_NOT_ALLOWED);
        }
        String rest = url.substring(colon + 1);
        if (!rest.startsWith("//")) {
            return new Refuse(HOST_NOT_ALLOWED);
        }
        int end = indexOfAny(rest, 2, "/?#");
        String authority = rest.substring(2, end);
        String host = host(authority);
        if (scheme.equals("https") && authority.equalsIgnoreCase(bundleHost)) {
            return new Serve(path(rest.substring(end)));
        }
        return new Refuse(classify(host));
    }

    /**
     * Why a host outside the bundle is refused; addresses inside the machine or its network get their own reason, in
     * whatever notation the page wrote them ({@code 0x7f000001}, {@code 127.1}, {@code [::ffff:7f00:1]}): the same
     * reading as the webhooks' egress check.
     */
    static String classify(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return LOOPBACK;
        }
        Optional<InetAddress> address;
        try {
            address = AddressClassifier.literal(name); // parsed, never looked up
        } catch (IllegalArgumentException e) {
            return HOST_NOT_ALLOWED;
        }
        return address.map(AddressClassifier::classify).map(kind -> switch (kind) {
            case LOOPBACK, UNSPECIFIED -> LOOPBACK; // 0.0.0.0 and :: reach this machine too
            case LINK_LOCAL -> LINK_LOCAL;
            case PRIVATE -> PRIVATE_NETWORK;
            case PUBLIC, MULTICAST, BROADCAST, RESERVED -> HOST_NOT_ALLOWED;
        }).orElse(HOST_NOT_ALLOWED);
    }

    private static String host(String authority) {
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(1, close);
        }
        int port = hostPort.indexOf(':');
        return port < 0 ? hostPort : hostPort.substring(0, port);
    }

    private static String path(String pathQueryFragment) {
        String path = pathQueryFragment.substring(0, indexOfAny(pathQueryFragment, 0, "?#"));
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        try {
            return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path; // a stray '%': look it up as written
        }
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
