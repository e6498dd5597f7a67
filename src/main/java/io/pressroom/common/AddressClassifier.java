package io.pressroom.common;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressNetwork.IPAddressGenerator;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv6.IPv6Address;

/**
 * What kind of address a URL's host is, for requests Pressroom makes to URLs its tenants give (webhooks): only
 * {@link Kind#PUBLIC} addresses are reachable unless an operator allows more. A tenant who could make Pressroom POST
 * to loopback, the cluster's private network or the cloud's metadata address (169.254.169.254) could reach what sits
 * behind the firewall, and read the answers back from the timeline.
 * <p>
 * Hosts are read the way URL parsers and {@code getaddrinfo} read them, so that no notation slips past:
 * {@code 0x7f000001}, {@code 2130706433}, {@code 0177.0.0.1} and {@code 127.1} are all 127.0.0.1 (the parsing is
 * the IPAddress library's, inet_aton forms included); IPv6 forms that carry an IPv4 address (mapped
 * {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, SIIT, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are
 * judged by the IPv4 address inside. The table of ranges follows IANA's special-purpose registries.
 */
public final class AddressClassifier {

    /** The kinds of address; only {@code PUBLIC} is reachable by default. */
    public enum Kind {
        PUBLIC("public"),
        LOOPBACK("loopback"),
        PRIVATE("private"),
        LINK_LOCAL("link-local"),
        MULTICAST("multicast"),
        UNSPECIFIED("unspecified"),
        BROADCAST("broadcast"),
        RESERVED("reserved");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** As said to a client: "a loopback address", "a link-local address". */
        public String label() {
            return label;
        }
    }

    private record Range(IPAddress block, Kind kind) {
    }

    private static final IPAddressStringParameters LITERAL;

    static {
        IPAddressStringParameters.Builder literal = new IPAddressStringParameters.Builder();
        literal.allowEmpty(false).allowAll(false).allowSingleSegment(true);
        literal.allowPrefix(false).allowMask(false).allowPrefixOnly(false)
                .setRangeOptions(RangeParameters.NO_RANGE);
        literal.getIPv4AddressParametersBuilder().allow_inet_aton(true);
        literal.getIPv6AddressParametersBuilder().allowZone(false);
        LITERAL = literal.toParams();
    }

    /** A host the URL standard reads as IPv4 because its last label is a number; not a name to look up. */
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(^|.*\\.)(0x[0-9a-f]*|[0-9]+)");

    private static final List<Range> IPV4 = List.of(
            range("0.0.0.0/8", Kind.UNSPECIFIED), // "this network"; 0.0.0.0 reaches the machine itself
            range("10.0.0.0/8", Kind.PRIVATE),
            range("100.64.0.0/10", Kind.PRIVATE), // carrier-grade NAT, used inside clusters too
            range("127.0.0.0/8", Kind.LOOPBACK),
            range("169.254.0.0/16", Kind.LINK_LOCAL), // incl. the cloud metadata address 169.254.169.254
            range("172.16.0.0/12", Kind.PRIVATE),
            range("192.0.0.0/24", Kind.RESERVED), // IETF protocol assignments
            range("192.0.2.0/24", Kind.RESERVED), // documentation
            range("192.88.99.0/24", Kind.RESERVED), // 6to4 relay anycast
            range("192.168.0.0/16", Kind.PRIVATE),
            range("198.18.0.0/15", Kind.RESERVED), // benchmarking
            range("198.51.100.0/24", Kind.RESERVED), // documentation
            range("203.0.113.0/24", Kind.RESERVED), // documentation
            range("224.0.0.0/4", Kind.MULTICAST),
            range("255.255.255.255/32", Kind.BROADCAST),
            range("240.0.0.0/4", Kind.RESERVED));

    private static final List<Range> IPV6 = List.of(
            range("::/128", Kind.UNSPECIFIED),
            range("::1/128", Kind.LOOPBACK),
            range("64:ff9b:1::/48", Kind.PRIVATE), // local-use NAT64
            range("2001::/23", Kind.RESERVED), // IETF protocol assignments: Teredo, ORCHID, benchmarking
            range("2001:db8::/32", Kind.RESERVED), // documentation
            range("3fff::/20", Kind.RESERVED), // documentation
            range("fc00::/7", Kind.PRIVATE), // unique local
            range("fe80::/10", Kind.LINK_LOCAL),
            range("fec0::/10", Kind.PRIVATE), // the deprecated site-local
            range("ff00::/8", Kind.MULTICAST));

    /** Forms whose last 32 bits are an IPv4 address: mapped, compatible, SIIT, NAT64. */
    private static final List<IPAddress> EMBEDDING_IPV4 = List.of(block("::ffff:0:0/96"), block("::/96"),
            block("::ffff:0:0:0/96"), block("64:ff9b::/96"));
    private static final IPAddress GLOBAL_UNICAST_V6 = block("2000::/3");

    private AddressClassifier() {
    }

    /**
     * The address a URL's host denotes when it is an address in any notation ({@code [::1]} with or without its
     * brackets, {@code 0x7f000001}, {@code 127.1}, …); empty when it is a name to look up.
     *
     * @throws IllegalArgumentException when the host reads as a number but is no address ({@code 256.0.0.1},
     *         {@code 1.2.3.4.5}, {@code 08.0.0.1}): URL parsers refuse those, resolvers disagree about them
     */
    public static Optional<InetAddress> literal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        boolean bracketed = h.startsWith("[") && h.endsWith("]");
        if (bracketed) {
            h = h.substring(1, h.length() - 1);
        } else if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1); // "127.0.0.1." is 127.0.0.1 to the URL standard
        }
        IPAddress address = new IPAddressString(h, LITERAL).getAddress();
        if (address != null && !address.isMultiple() && (address.isIPv6() || !bracketed)) {
            return Optional.of(address.toInetAddress());
        }
        if (h.contains(":") || h.contains("%") || NUMERIC_LAST_LABEL.matcher(h).matches()) {
            throw new IllegalArgumentException("not a valid address: " + host);
        }
        return Optional.empty();
    }

    /** The kind of {@code address}. */
    public static Kind classify(InetAddress address) {
        return classify(new IPAddressGenerator().from(address.getAddress()));
    }

    private static Kind classify(IPAddress address) {
        if (address.isIPv4()) {
            return lookUp(IPV4, address, Kind.PUBLIC);
        }
        IPv6Address v6 = address.toIPv6();
        Kind listed = lookUp(IPV6, v6, null);
        if (listed != null) {
            return listed;
        }
        for (IPAddress embedding : EMBEDDING_IPV4) {
            if (embedding.contains(v6)) {
                return classify(v6.getEmbeddedIPv4Address());
            }
        }
        if (v6.is6To4()) {
            return classify(v6.get6To4IPv4Address());
        }
        // outside 2000::/3 nothing is assigned for use on the internet
        return GLOBAL_UNICAST_V6.contains(v6) ? Kind.PUBLIC : Kind.RESERVED;
    }

    private static Kind lookUp(List<Range> table, IPAddress address, Kind otherwise) {
        for (Range range : table) {
            if (range.block().contains(address)) {
                return range.kind();
            }
        }
        return otherwise;
    }

    private static Range range(String cidr, Kind kind) {
        return new Range(block(cidr), kind);
    }

    private static IPAddress block(String cidr) {
        return new IPAddressString(cidr).getAddress().toPrefixBlock();
    }
}
