package io.pressroom.render.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pages Chromium is asked to print, cut to the first {@code limit} of them, so that a document with a
 * hundred thousand pages costs as much as one with {@code limit}: the page cap is enforced while printing, not after.
 * <p>
 * Chromium prints the union of the ranges in document order and skips pages past the end (it refuses only a
 * selection with no page in the document), so the cut keeps the first {@code limit} pages of that union. Ranges are
 * as the API accepts them ({@code 1-3, 5, 8-}); an open end or no ranges at all mean "to the last page".
 */
final class PageCap {

    private static final Pattern PART = Pattern.compile("\\s*(\\d+)\\s*(-\\s*(\\d*))?\\s*");

    private PageCap() {
    }

    /**
     * Ranges selecting at most {@code limit} pages: the first {@code limit} pages of what {@code ranges} selects.
     * Ranges the API would not have accepted (page 0, numbers of ten digits or more) are returned as they are:
     * Chromium refuses them.
     */
    static String of(String ranges, int limit) {
        if (ranges == null || ranges.isBlank()) {
            return "1-" + limit;
        }
        List<long[]> intervals = new ArrayList<>();
        for (String part : ranges.split(",", -1)) {
            Matcher m = PART.matcher(part);
            if (!m.matches() || m.group(1).length() > 9 || (m.group(3) != null && m.group(3).length() > 9)) {
                return ranges;
            }
            long from = Long.parseLong(m.group(1));
            long to = m.group(2) == null ? from : m.group(3).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(3));
            if (from < 1) {
                return ranges;
            }
            // a range written downwards (5-3) selects the same pages as 3-5
            intervals.add(new long[] { Math.min(from, to), Math.max(from, to) });
        }
        intervals.sort(Comparator.comparingLong(interval -> interval[0]));
        List<long[]> capped = new ArrayList<>();
        long left = limit;
        long coveredTo = 0;
        for (long[] interval : intervals) {
            long from = Math.max(interval[0], coveredTo + 1);
            if (from > interval[1]) {
                continue;
            }
            long to = interval[1] - from + 1 > left ? from + left - 1 : interval[1];
            if (!capped.isEmpty() && capped.get(capped.size() - 1)[1] == from - 1) {
                capped.get(capped.size() - 1)[1] = to; // 1-3,4 is 1-4
            } else {
                capped.add(new long[] { from, to });
            }
            left -= to - from + 1;
            coveredTo = to;
            if (left == 0) {
                break;
            }
        }
        StringBuilder written = new StringBuilder();
        for (long[] interval : capped) {
            written.append(written.isEmpty() ? "" : ",").append(interval[0]);
            if (interval[1] != interval[0]) {
                written.append('-').append(interval[1]);
            }
        }
        return written.toString();
    }
}
