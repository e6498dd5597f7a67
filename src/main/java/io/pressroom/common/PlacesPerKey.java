package io.pressroom.common;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something each key (a project, a signed link) holds at once, up to a most: event streams, downloads,
 * usage queries. Written by hand: Bucket4j limits rates, not how many things are open at once, and a semaphore per
 * key would need the same bookkeeping to forget idle keys; one count per key, removed at zero, is all this takes.
 */
public final class PlacesPerKey {

    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();
    private final int max;

    /** {@code max} places per key; 0 or less counts them without a most. */
    public PlacesPerKey(int max) {
        this.max = max;
    }

    /** Takes a place for {@code key}; false when it holds all of them. */
    public boolean take(String key) {
        boolean[] taken = { false };
        held.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (max > 0 && now >= max) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    /** Gives back a place taken with {@link #take}. */
    public void giveBack(String key) {
        held.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    public int max() {
        return max;
    }
}
