package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pressroom.contract.JobOptions;

class PageCapTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "'' | 51 | 1-51", "1-3, 5 | 51 | 1-3,5", "8- | 51 | 8-58", "1- | 3 | 1-3",
            "1-100000 | 51 | 1-51", "5,1-3,2-4 | 3 | 1-3", "5,1-3,2-4 | 4 | 1-4", "5,1-3,2-4 | 6 | 1-5",
            "9-7 | 51 | 7-9", "10,3 | 1 | 3", "2-2 | 5 | 2", "' 4 - 6 ' | 2 | 4-5" })
    void theFirstPagesOfTheSelectionUpToTheCap(String ranges, int limit, String capped) {
        assertThat(PageCap.of(ranges, limit)).isEqualTo(capped);
    }

    @Test
    void chromiumIsAskedForOnePageMoreThanTheCap() {
        assertThat(RenderOptionsMapper.toRenderOptions(JobOptions.none().withRenderTimeoutMs(30_000), 50)
                .pageRanges()).isEqualTo("1-51");
    }

    @Test
    void cappedRangesSelectTheFirstPagesOfTheSelection() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int run = 0; run < 2_000; run++) {
            List<String> parts = new ArrayList<>();
            int count = 1 + random.nextInt(5);
            for (int i = 0; i < count; i++) {
                int from = 1 + random.nextInt(40);
                switch (random.nextInt(3)) {
                    case 0 -> parts.add(String.valueOf(from));
                    case 1 -> parts.add(from + "-" + (1 + random.nextInt(40)));
                    default -> parts.add(from + "-");
                }
            }
            String ranges = String.join(",", parts);
            int limit = 1 + random.nextInt(30);
            int documentPages = 100;
            TreeSet<Integer> selected = pages(ranges, documentPages);
            TreeSet<Integer> expected = new TreeSet<>(selected.stream().limit(limit).toList());

            assertThat(pages(PageCap.of(ranges, limit), documentPages))
                    .as("seed %d: %s capped at %d", seed, ranges, limit).isEqualTo(expected);
        }
    }

    /** What Chromium prints of a document of {@code documentPages} pages: the union, downward ranges turned up. */
    private static TreeSet<Integer> pages(String ranges, int documentPages) {
        TreeSet<Integer> pages = new TreeSet<>();
        for (String part : ranges.split(",")) {
            String[] ends = part.trim().split("-", -1);
            int from = Integer.parseInt(ends[0].trim());
            int to = ends.length == 1 ? from : ends[1].isBlank() ? documentPages : Integer.parseInt(ends[1].trim());
            for (int page = Math.min(from, to); page <= Math.max(from, to) && page <= documentPages; page++) {
                pages.add(page);
            }
        }
        return pages;
    }
}
