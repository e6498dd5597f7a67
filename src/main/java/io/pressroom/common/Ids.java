package io.pressroom.common;

import java.util.Locale;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;

/**
 * Prefixed, time-ordered, unguessable identifiers: a type prefix and a ULID (48-bit millisecond time, 80 random
 * bits from a secure random source), lower-case. Sorting ids sorts by creation time.
 */
public final class Ids {

    public static final String PROJECT = "prj";
    public static final String API_KEY = "key";
    public static final String DEPLOY = "dpl";
    public static final String DEPLOY_VERSION = "dv";
    public static final String RENDER_JOB = "rj";
    public static final String RENDER_OUTPUT = "ro";
    public static final String PDF = "pdf";
    public static final String SHARE = "shr";
    public static final String RENDER_BATCH = "rb";
    /** A batch's merged PDF or zip; a signed link names it as it names a job's output. */
    public static final String BATCH_OUTPUT = "bo";
    public static final String WEBHOOK = "wh";
    /** A webhook message (its {@code webhook-id} header), as Standard Webhooks names them. */
    public static final String WEBHOOK_MESSAGE = "msg";

    private Ids() {
    }

    public static String next(String prefix) {
        return prefix + "_" + UlidCreator.getUlid().toString().toLowerCase(Locale.ROOT);
    }

    /** The smallest id of this type that could have been made at {@code epochMillis}: for time-range filters. */
    public static String lowestAt(String prefix, long epochMillis) {
        return prefix + "_" + Ulid.min(epochMillis).toString().toLowerCase(Locale.ROOT);
    }

    public static boolean hasPrefix(String id, String prefix) {
        return id != null && id.startsWith(prefix + "_");
    }
}
