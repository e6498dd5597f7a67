package io.pressroom.common;

import java.util.List;
import java.util.function.Function;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a list, newest first; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> data,
        @Schema(nullable = true, description = "Pass as cursor for the next page; null on the last page") String nextCursor) {

    /**
     * Builds a page from up to {@code limit + 1} rows: the extra row only tells that another page exists.
     */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> view, Function<R, String> position) {
        boolean more = rows.size() > limit;
        List<R> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? Cursors.encode(position.apply(shown.get(shown.size() - 1))) : null;
        return new Page<>(shown.stream().map(view).toList(), next);
    }
}
