package io.pressroom.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.pressroom.common.ByteRanges.Asked;
import io.pressroom.common.ByteRanges.Slice;
import io.pressroom.common.ByteRanges.Unsatisfiable;

class ByteRangesTest {

    private static final String ETAG = "\"abc\"";

    @Test
    void oneRangeOfEachForm() {
        assertThat(slice("bytes=0-0", 100)).isEqualTo(new Slice(0, 0, 100, true));
        assertThat(slice("bytes=10-19", 100)).isEqualTo(new Slice(10, 19, 100, true));
        assertThat(slice("bytes=90-", 100)).isEqualTo(new Slice(90, 99, 100, true));
        assertThat(slice("bytes=-10", 100)).isEqualTo(new Slice(90, 99, 100, true));
        assertThat(slice("BYTES=5-", 100)).isEqualTo(new Slice(5, 99, 100, true));
        // a last byte past the end, or a suffix longer than the file, is cut to the file
        assertThat(slice("bytes=50-1000", 100)).isEqualTo(new Slice(50, 99, 100, true));
        assertThat(slice("bytes=-1000", 100)).isEqualTo(new Slice(0, 99, 100, true));
        assertThat(slice("bytes=0-99999999999999999999999", 100)).isEqualTo(new Slice(0, 99, 100, true));
        assertThat(new Slice(10, 19, 100, true).contentRange()).isEqualTo("bytes 10-19/100");
        assertThat(new Slice(10, 19, 100, true).size()).isEqualTo(10);
    }

    @Test
    void aRangeBeyondTheEndIsUnsatisfiable() {
        for (String range : new String[] { "bytes=100-", "bytes=100-200", "bytes=-0", "bytes=99999999999999999999-" }) {
            assertThatThrownBy(() -> slice(range, 100)).as(range).isInstanceOf(Unsatisfiable.class)
                    .satisfies(e -> assertThat(((Unsatisfiable) e).length()).isEqualTo(100));
        }
        assertThatThrownBy(() -> slice("bytes=-5", 0)).isInstanceOf(Unsatisfiable.class);
    }

    @Test
    void whatIsNotOneWellFormedRangeGetsTheWholeFile() {
        Slice whole = new Slice(0, 99, 100, false);
        for (String range : new String[] { null, "", "bytes=", "bytes=-", "bytes=5-3", "bytes=0-1,5-6", "items=0-5",
                "bytes=a-b", "bytes=+1-5", "bytes=1 0-20", "bytes=--5" }) {
            assertThat(slice(range, 100)).as(range).isEqualTo(whole);
        }
    }

    @Test
    void ifRangeGetsTheRangeOnlyForTheSameVersion() {
        assertThat(new Asked("bytes=0-9", ETAG).slice(100, ETAG).partial()).isTrue();
        assertThat(new Asked("bytes=0-9", "\"other\"").slice(100, ETAG).partial()).isFalse();
        // a date, or a file without a tag, cannot be compared: the whole
        assertThat(new Asked("bytes=0-9", "Fri, 04 Dec 2026 10:00:00 GMT").slice(100, ETAG).partial()).isFalse();
        assertThat(new Asked("bytes=0-9", ETAG).slice(100, null).partial()).isFalse();
    }

    /** Random headers never escape as anything but a slice inside the file or Unsatisfiable. */
    @Test
    void randomHeadersAlwaysGiveASliceInsideTheFile() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String alphabet = "bytes=-0123456789, ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder header = new StringBuilder(random.nextBoolean() ? "bytes=" : "");
            for (int c = random.nextInt(12); c > 0; c--) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            long length = random.nextInt(3) == 0 ? random.nextInt(3) : random.nextInt(1_000_000);
            try {
                Slice slice = slice(header.toString(), length);
                assertThat(slice.first()).as("seed %d, %s of %d", seed, header, length).isBetween(0L, length);
                assertThat(slice.last()).as("seed %d, %s of %d", seed, header, length)
                        .isBetween(slice.first() - 1, length - 1);
                assertThat(slice.size()).as("seed %d, %s of %d", seed, header, length).isBetween(0L, length);
                assertThat(slice.size() == 0).as("seed %d, %s of %d", seed, header, length).isEqualTo(length == 0);
            } catch (Unsatisfiable unsatisfiable) {
                assertThat(unsatisfiable.length()).as("seed %d", seed).isEqualTo(length);
            }
        }
    }

    private static Slice slice(String range, long length) {
        return new Asked(range, null).slice(length, ETAG);
    }
}
