package io.pressroom.webhook.service;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressNetwork.IPAddressGenerator;
import inet.ipaddr.IPAddressString;
import io.pressroom.common.AddressClassifier;
import io.pressroom.common.AddressClassifier.Kind;
import io.pressroom.common.Refusal;
import io.pressroom.config.PressroomConfig;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Where webhooks may go (docs/webhooks.md, "Where webhooks may go"): a URL's host must be, or resolve only to, public
 * addresses, unless the operator allows it ({@code pressroom.webhooks.allow}). Checked when a URL is given (a 400
 * naming the field) and again before every try, where the address checked is the one connected to: a name that
 * resolves elsewhere by then (DNS rebinding) cannot lead the sender inside.
 */
@ApplicationScoped
public class WebhookEgress {

    /** The reason in a refusal's detail: "url: must not point to a loopback address (127.0.0.1)". */
    private static final String MUST_NOT_POINT_TO = ": must not point to ";
    private static final String NOT_A_URL = ": must be an absolute http(s) URL";

    /** Where one try connects: the URL as given (its host names the Host header and TLS SNI), and the address. */
    public record Destination(URI uri, InetAddress address, int port) {
    }

    /** Why a URL cannot be sent to: a coarse category for the timeline, and a sentence for clients and logs. */
    public static final class Refused extends Exception {
        /** Its address, or one it resolves to, is not public and not allowed: never tried again. */
        public static final String ADDRESS_REFUSED = "address_refused";
        /** Its host name does not resolve (now). */
        public static final String DNS_ERROR = "dns_error";
        /** Not an absolute http(s) URL. */
        public static final String INVALID_URL = "invalid_url";

        private final String category;

        Refused(String category, String reason) {
            super(reason, null, false, false);
            this.category = category;
        }

        public String category() {
            return category;
        }

        /** Retrying cannot help: the address or the URL itself is refused. */
        public boolean permanent() {
            return !DNS_ERROR.equals(category);
        }
    }

    private final List<IPAddress> allowedBlocks = new ArrayList<>();
    private final Set<String> allowedHosts = new HashSet<>();

    public WebhookEgress(PressroomConfig config) {
        for (String entry : config.webhooks().allow().orElse(List.of())) {
            String value = entry.strip().toLowerCase(Locale.ROOT);
            if (value.isEmpty()) {
                continue;
            }
            IPAddress block = new IPAddressString(value).getAddress();
            if (block != null) {
                allowedBlocks.add(block.toPrefixBlock());
            } else {
                allowedHosts.add(value);
            }
        }
    }

    /**
     * Checks a URL a client gives, named {@code field}: fails with a 400 {@link Refusal.Invalid} when it is no
     * absolute http(s) URL or points to an address that is not allowed. A name that does not resolve now is
     * accepted: each try checks again.
     */
    public Uni<Void> check(String field, String url) {
        Target target;
        Optional<InetAddress> literal;
        try {
            target = parse(url);
            literal = literal(target.host());
            if (literal.isEmpty() && !target.usable()) {
                throw new Refused(Refused.INVALID_URL, "not an absolute http(s) URL");
            }
        } catch (Refused refused) {
            return Uni.createFrom().failure(new Refusal.Invalid(field + NOT_A_URL));
        }
        if (literal.isPresent()) {
            return refuseIfNotAllowed(field, target, List.of(literal.get()));
        }
        return VertxContextSupport.executeBlocking(() -> resolve(target.host()))
                .chain(addresses -> refuseIfNotAllowed(field, target, addresses))
                .onFailure(Refused.class).recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> refuseIfNotAllowed(String field, Target target, List<InetAddress> addresses) {
        try {
            checkAll(target.host(), addresses);
        } catch (Refused refused) {
            return Uni.createFrom().failure(new Refusal.Invalid(field + MUST_NOT_POINT_TO + refused.getMessage()));
        }
        return target.usable() ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(new Refusal.Invalid(field + NOT_A_URL));
    }

    /**
     * Where a try of {@code url} connects, resolved and checked now (blocking: it may look the name up). Throws
     * {@link Refused} when it must not be tried.
     */
    public Destination destination(String url) throws Refused {
        Target target = parse(url);
        Optional<InetAddress> literal = literal(target.host());
        if (literal.isEmpty() && !target.usable()) {
            throw new Refused(Refused.INVALID_URL, "not an absolute http(s) URL");
        }
        List<InetAddress> addresses = literal.isPresent() ? List.of(literal.get()) : resolve(target.host());
        checkAll(target.host(), addresses);
        if (!target.usable()) {
            throw new Refused(Refused.INVALID_URL, "not an absolute http(s) URL");
        }
        URI uri = target.uri();
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return new Destination(uri, addresses.get(0), port);
    }

    /**
     * A URL's host; {@code usable} when {@link URI} reads it as a server (host and port). Hosts such as
     * {@code 2130706433} or {@code 127.1} are no host names to {@link URI}, but browsers and resolvers take them for
     * addresses: those are checked as addresses first, so that the answer says where the URL points.
     */
    private record Target(URI uri, String host, boolean usable) {
    }

    /** An absolute http(s) URL with a host. */
    private static Target parse(String url) throws Refused {
        try {
            URI uri = new URI(url);
            if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
                if (uri.getHost() != null) {
                    return new Target(uri, uri.getHost(), true);
                }
                String authority = uri.getRawAuthority();
                if (authority != null) {
                    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
                    int colon = hostPort.lastIndexOf(':');
                    String host = colon > hostPort.lastIndexOf(']') ? hostPort.substring(0, colon) : hostPort;
                    if (!host.isEmpty()) {
                        return new Target(uri, host, false);
                    }
                }
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new Refused(Refused.INVALID_URL, "not an absolute http(s) URL");
    }

    /** The host as an address; {@code localhost} and its subdomains are loopback without a look-up (RFC 6761). */
    private static Optional<InetAddress> literal(String host) throws Refused {
        String name = host.toLowerCase(Locale.ROOT);
        String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (bare.equals("localhost") || bare.endsWith(".localhost")) {
            return Optional.of(InetAddress.getLoopbackAddress());
        }
        try {
            return AddressClassifier.literal(name);
        } catch (IllegalArgumentException e) {
            throw new Refused(Refused.INVALID_URL, "not an absolute http(s) URL");
        }
    }

    private static List<InetAddress> resolve(String host) throws Refused {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new Refused(Refused.DNS_ERROR, "a host name that does not resolve");
        }
    }

    /** Every address the host has must be allowed, not only the first: the resolver may answer in any order. */
    private void checkAll(String host, List<InetAddress> addresses) throws Refused {
        if (allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        for (InetAddress address : addresses) {
            Kind kind = AddressClassifier.classify(address);
            if (kind != Kind.PUBLIC && !allowed(address)) {
                throw new Refused(Refused.ADDRESS_REFUSED,
                        (kind == Kind.UNSPECIFIED ? "an " : "a ") + kind.label() + " address ("
                                + address.getHostAddress() + ")");
            }
        }
    }

    private boolean allowed(InetAddress address) {
        IPAddress ip = new IPAddressGenerator().from(address.getAddress());
        if (ip.isIPv6() && ip.toIPv6().isIPv4Mapped()) {
            ip = ip.toIPv6().getEmbeddedIPv4Address(); // ::ffff:127.0.0.1 is in 127.0.0.0/8
        }
        for (IPAddress block : allowedBlocks) {
            if (block.contains(ip)) {
                return true;
            }
        }
        return false;
    }
}
