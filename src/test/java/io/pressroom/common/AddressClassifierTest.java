package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.pressroom.common.AddressClassifier.Kind;

/** Pure: parses and classifies, never resolves a name or sends anything. */
class AddressClassifierTest {

    private static final long SEED = Long.getLong("pressroom.test.seed", System.nanoTime());

    @ParameterizedTest
    @CsvSource({
            // loopback, in every notation a URL parser or getaddrinfo accepts
            "127.0.0.1, LOOPBACK", "127.10.20.30, LOOPBACK", "127.255.255.254, LOOPBACK",
            "0x7f000001, LOOPBACK", "0X7F000001, LOOPBACK", "2130706433, LOOPBACK", "017700000001, LOOPBACK",
            "0177.0.0.1, LOOPBACK", "0x7f.0.0.1, LOOPBACK", "0x7f.1, LOOPBACK", "127.1, LOOPBACK", "127.0.1, LOOPBACK",
            "127.000.000.001, LOOPBACK", "127.0.0.1., LOOPBACK",
            "[::1], LOOPBACK", "::1, LOOPBACK", "[0:0:0:0:0:0:0:1], LOOPBACK", "[0000::0001], LOOPBACK",
            "[::ffff:127.0.0.1], LOOPBACK", "[::ffff:7f00:1], LOOPBACK", "[0:0:0:0:0:ffff:7f00:1], LOOPBACK",
            "[::127.0.0.1], LOOPBACK", "[::ffff:0:127.0.0.1], LOOPBACK", "[64:ff9b::127.0.0.1], LOOPBACK",
            "[64:ff9b::7f00:1], LOOPBACK", "[2002:7f00:1::], LOOPBACK", "[2002:7f00:0001:ffff::1], LOOPBACK",
            // unspecified, broadcast
            "0.0.0.0, UNSPECIFIED", "0, UNSPECIFIED", "0x0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "[::], UNSPECIFIED",
            "[::ffff:0.0.0.0], UNSPECIFIED", "255.255.255.255, BROADCAST", "4294967295, BROADCAST",
            "0xffffffff, BROADCAST",
            // private: RFC 1918, carrier-grade NAT, unique local, deprecated site-local, local-use NAT64
            "10.0.0.1, PRIVATE", "10.255.255.255, PRIVATE", "012.0.0.1, PRIVATE", "167772161, PRIVATE",
            "0xa000001, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE", "192.168.0.1, PRIVATE",
            "192.168.1, PRIVATE", "100.64.0.1, PRIVATE", "100.127.255.255, PRIVATE", "[fc00::1], PRIVATE",
            "[fd12:3456:789a::1], PRIVATE", "[fec0::1], PRIVATE", "[::ffff:10.1.2.3], PRIVATE",
            "[::ffff:192.168.0.1], PRIVATE", "[2002:c0a8:1::], PRIVATE", "[64:ff9b::10.0.0.1], PRIVATE",
            "[64:ff9b:1::1], PRIVATE",
            // link-local, the metadata address first
            "169.254.169.254, LINK_LOCAL", "0xa9fea9fe, LINK_LOCAL", "2852039166, LINK_LOCAL",
            "0251.0376.0251.0376, LINK_LOCAL", "169.254.43518, LINK_LOCAL", "[fe80::1], LINK_LOCAL",
            "[febf::1], LINK_LOCAL", "[::ffff:169.254.169.254], LINK_LOCAL", "[::ffff:a9fe:a9fe], LINK_LOCAL",
            "[64:ff9b::a9fe:a9fe], LINK_LOCAL", "[2002:a9fe:a9fe::], LINK_LOCAL",
            // multicast
            "224.0.0.1, MULTICAST", "239.255.255.255, MULTICAST", "[ff02::1], MULTICAST", "[ff0e::1], MULTICAST",
            "[::ffff:224.0.0.251], MULTICAST",
            // documentation and other reserved ranges
            "192.0.2.1, RESERVED", "198.51.100.7, RESERVED", "203.0.113.9, RESERVED", "198.18.0.1, RESERVED",
            "198.19.255.255, RESERVED", "192.0.0.8, RESERVED", "192.88.99.1, RESERVED", "240.0.0.1, RESERVED",
            "255.255.255.254, RESERVED", "[2001:db8::1], RESERVED", "[3fff::1], RESERVED", "[2001::1], RESERVED",
            "[2001:10::1], RESERVED", "[100::1], RESERVED", "[4000::1], RESERVED", "[::ffff:192.0.2.1], RESERVED",
            // public, in every notation too
            "8.8.8.8, PUBLIC", "1.1.1.1, PUBLIC", "93.184.215.14, PUBLIC", "0x8080808, PUBLIC", "134744072, PUBLIC",
            "8.8.2056, PUBLIC", "172.15.255.255, PUBLIC", "172.32.0.1, PUBLIC", "100.63.255.255, PUBLIC",
            "100.128.0.0, PUBLIC", "169.253.255.255, PUBLIC", "192.167.255.255, PUBLIC", "223.255.255.255, PUBLIC",
            "[2606:4700:4700::1111], PUBLIC", "[2001:4860:4860::8888], PUBLIC", "[::ffff:8.8.8.8], PUBLIC",
            "[64:ff9b::8.8.8.8], PUBLIC", "[2002:808:808::1], PUBLIC",
    })
    void everyNotationOfAnAddressIsClassified(String host, Kind kind) {
        Optional<InetAddress> address = AddressClassifier.literal(host);
        assertThat(address).as(host).isPresent();
        assertThat(AddressClassifier.classify(address.get())).as(host).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = { "example.com", "hooks.example.com", "localhost", "a.b.c", "1.2.3.4.example",
            "0x7f000001.example.com", "xn--bcher-kva.example", "cafe", "deadbeef", "ffffffff" })
    void namesAreNotAddresses(String host) {
        assertThat(AddressClassifier.literal(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "256.0.0.1", "1.2.3.4.5", "08.0.0.1", "0x", "4294967296", "0x100000000", "1.2.3.999",
            "example.0x10", "foo.123", "[fe80::1%25eth0]", "[::1%eth0]", "[not:an:address]", "[1.2.3.4]", "::ffff:zz" })
    void numbersThatAreNoAddressAreRefused(String host) {
        assertThatThrownBy(() -> AddressClassifier.literal(host)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addressesFromTheResolverAreClassifiedAsParsed() throws UnknownHostException {
        // literals only: InetAddress parses them, it never looks them up
        assertThat(AddressClassifier.classify(InetAddress.getByName("::ffff:127.0.0.1"))).isEqualTo(Kind.LOOPBACK);
        assertThat(AddressClassifier.classify(InetAddress.getByName("::1"))).isEqualTo(Kind.LOOPBACK);
        assertThat(AddressClassifier.classify(InetAddress.getByName("fe80::1%1"))).isEqualTo(Kind.LINK_LOCAL);
        assertThat(AddressClassifier.classify(InetAddress.getByName("10.9.8.7"))).isEqualTo(Kind.PRIVATE);
        assertThat(AddressClassifier.classify(InetAddress.getByName("9.9.9.9"))).isEqualTo(Kind.PUBLIC);
    }

    /** The ranges as the IANA registries list them, written out here independently of the classifier's table. */
    private record Block(int[] start, int prefix, Kind kind) {
    }

    private static final List<Block> V4 = List.of(
            new Block(new int[] { 0, 0, 0, 0 }, 8, Kind.UNSPECIFIED),
            new Block(new int[] { 10, 0, 0, 0 }, 8, Kind.PRIVATE),
            new Block(new int[] { 100, 64, 0, 0 }, 10, Kind.PRIVATE),
            new Block(new int[] { 127, 0, 0, 0 }, 8, Kind.LOOPBACK),
            new Block(new int[] { 169, 254, 0, 0 }, 16, Kind.LINK_LOCAL),
            new Block(new int[] { 172, 16, 0, 0 }, 12, Kind.PRIVATE),
            new Block(new int[] { 192, 0, 0, 0 }, 24, Kind.RESERVED),
            new Block(new int[] { 192, 0, 2, 0 }, 24, Kind.RESERVED),
            new Block(new int[] { 192, 88, 99, 0 }, 24, Kind.RESERVED),
            new Block(new int[] { 192, 168, 0, 0 }, 16, Kind.PRIVATE),
            new Block(new int[] { 198, 18, 0, 0 }, 15, Kind.RESERVED),
            new Block(new int[] { 198, 51, 100, 0 }, 24, Kind.RESERVED),
            new Block(new int[] { 203, 0, 113, 0 }, 24, Kind.RESERVED),
            new Block(new int[] { 224, 0, 0, 0 }, 4, Kind.MULTICAST),
            new Block(new int[] { 255, 255, 255, 255 }, 32, Kind.BROADCAST),
            new Block(new int[] { 240, 0, 0, 0 }, 4, Kind.RESERVED));

    /**
     * Random IPv4 addresses, inside each special range and anywhere, each written in a random notation (dotted,
     * one number in decimal, hex or octal, shortened {@code a.b}, {@code a.b.c}, IPv4-mapped, NAT64, 6to4): the
     * classifier must agree with the ranges above. Seeded; {@code -Dpressroom.test.seed=…} repeats a run.
     */
    @Test
    void randomAddressesInEveryNotationAgreeWithTheRanges() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            long value;
            if (i % 2 == 0) {
                Block block = V4.get(random.nextInt(V4.size()));
                long base = toLong(block.start());
                long size = 1L << (32 - block.prefix());
                value = base + (long) (random.nextDouble() * size);
            } else {
                value = random.nextLong() & 0xFFFFFFFFL;
            }
            Kind expected = expected(value);
            String host = notation(value, random);
            Kind actual = AddressClassifier.classify(AddressClassifier.literal(host).orElseThrow(
                    () -> new AssertionError(host + " not read as an address (seed " + SEED + ")")));
            assertThat(actual).as("%s (%s), seed %d: -Dpressroom.test.seed=%d repeats it", host, dotted(value), SEED,
                    SEED).isEqualTo(expected);
        }
    }

    /** Random IPv6 addresses in the special IPv6 ranges: prefix kept, the rest random. */
    @Test
    void randomIpv6AddressesAgreeWithTheRanges() {
        Random random = new Random(SEED);
        record V6(String prefix, int bits, Kind kind) {
        }
        List<V6> ranges = List.of(new V6("fc00::", 7, Kind.PRIVATE), new V6("fe80::", 10, Kind.LINK_LOCAL),
                new V6("ff00::", 8, Kind.MULTICAST), new V6("2001:db8::", 32, Kind.RESERVED),
                new V6("fec0::", 10, Kind.PRIVATE), new V6("2400::", 6, Kind.PUBLIC));
        for (int i = 0; i < 5_000; i++) {
            V6 range = ranges.get(random.nextInt(ranges.size()));
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            byte[] prefix = AddressClassifier.literal(range.prefix()).orElseThrow().getAddress();
            for (int bit = 0; bit < range.bits(); bit++) {
                int mask = 0x80 >>> (bit % 8);
                bytes[bit / 8] = (byte) ((bytes[bit / 8] & ~mask) | (prefix[bit / 8] & mask));
            }
            String host = "[" + hex(bytes) + "]";
            assertThat(AddressClassifier.classify(AddressClassifier.literal(host).orElseThrow()))
                    .as("%s, seed %d: -Dpressroom.test.seed=%d repeats it", host, SEED, SEED).isEqualTo(range.kind());
        }
    }

    private static Kind expected(long value) {
        for (Block block : V4) {
            long base = toLong(block.start());
            if (value >>> (32 - block.prefix()) == base >>> (32 - block.prefix())) {
                return block.kind();
            }
        }
        return Kind.PUBLIC;
    }

    private static String notation(long value, Random random) {
        int a = (int) (value >>> 24);
        int b = (int) (value >>> 16) & 0xFF;
        int c = (int) (value >>> 8) & 0xFF;
        int d = (int) value & 0xFF;
        switch (random.nextInt(10)) {
            case 0:
                return Long.toString(value);
            case 1:
                return "0x" + Long.toHexString(value);
            case 2:
                return "0" + Long.toOctalString(value);
            case 3:
                return a + "." + (value & 0xFFFFFF);
            case 4:
                return a + "." + b + "." + (value & 0xFFFF);
            case 5:
                return "0x" + Integer.toHexString(a) + ".0" + Integer.toOctalString(b) + "." + c + "." + d;
            case 6:
                return "[::ffff:" + dotted(value) + "]";
            case 7:
                return "[64:ff9b::" + Integer.toHexString(a << 8 | b) + ":" + Integer.toHexString(c << 8 | d) + "]";
            case 8:
                return "[2002:" + Integer.toHexString(a << 8 | b) + ":" + Integer.toHexString(c << 8 | d) + "::1]";
            default:
                return dotted(value);
        }
    }

    private static long toLong(int[] octets) {
        return ((long) octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3];
    }

    private static String dotted(long value) {
        return (value >>> 24) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(Integer.toHexString((bytes[i] & 0xFF) << 8 | (bytes[i + 1] & 0xFF)));
        }
        return out.toString();
    }
}
