package io.pressroom.deploy.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.pressroom.bundle.TemplateBundle;
import io.pressroom.common.ApiProblem;

/**
 * Reads a zip bundle ({@code index.html} at its root, assets beside it) into a {@link TemplateBundle}, in memory.
 * <p>
 * The zip is read from its central directory, the listing every unzip tool trusts, and each entry is inflated here
 * with {@link Inflater}, counting the bytes it actually produces: sizes declared in the zip are checked afterwards,
 * never used to decide how much to accept. {@code java.util.zip.ZipInputStream} would read local headers only and
 * does not expose the external attributes that mark symbolic links, hence this small reader.
 * <p>
 * Refused with 400, naming the entry: paths that are absolute, contain {@code ..} or backslashes, or use other
 * characters than {@link TemplateBundle} allows; symbolic links and other non-regular files; duplicate names;
 * encrypted entries; compression methods other than stored and deflate; corrupt data; anything that is not a zip,
 * and zip64 or split archives (a bundle never needs them). Refused with 413: more entries than
 * {@code maxEntries}, more uncompressed bytes than {@code maxBundleBytes} in total, and an entry above
 * {@code ratioThresholdBytes} that inflates more than {@code maxCompressionRatio} times its compressed size.
 * Folders are skipped, and so is macOS Finder metadata ({@code __MACOSX/…}, {@code .DS_Store}).
 */
public final class ZipBundleReader {

    /** What a zip bundle may hold; see {@link ZipLimits} and {@code pressroom.templates.*}. */
    public record Limits(long maxBundleBytes, int maxAssets, int maxEntries, int maxCompressionRatio,
            long ratioThresholdBytes) {
    }

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int END_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    private static final int MAX_COMMENT = 0xFFFF;

    private static final int FLAG_ENCRYPTED = 1;
    private static final int FLAG_STRONG_ENCRYPTION = 1 << 6;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;

    /** Unix file type bits, kept in the upper half of the external attributes. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;

    private static final Pattern DRIVE = Pattern.compile("[A-Za-z]:");
    private static final int SHOWN_NAME_LENGTH = 120;

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"));
    private static final String OCTET_STREAM = "application/octet-stream";

    private ZipBundleReader() {
    }

    /** One record of the central directory. */
    private record Entry(String name, int flags, int method, long crc, long compressedSize, long size,
            int externalAttributes, long localOffset, byte[] rawName) {

        int unixType() {
            return (externalAttributes >>> 16) & S_IFMT;
        }

        boolean isDirectory() {
            return name.endsWith("/") || unixType() == S_IFDIR;
        }
    }

    public static TemplateBundle read(byte[] zip, Limits limits) {
        List<Entry> entries = centralDirectory(zip, limits.maxEntries());
        TemplateBundle.Builder builder = new TemplateBundle.Builder(limits.maxBundleBytes(), limits.maxAssets());
        Set<String> names = new HashSet<>();
        List<String> files = new ArrayList<>();
        long total = 0;
        for (Entry entry : entries) {
            String shown = shown(entry.name());
            checkPath(entry.name(), shown);
            if (!names.add(entry.name())) {
                throw ApiProblem.badRequest(shown + ": appears twice in the zip");
            }
            int type = entry.unixType();
            if (type == S_IFLNK) {
                throw ApiProblem.badRequest(shown + ": symbolic links are not allowed in a bundle");
            }
            if (type != 0 && type != S_IFREG && type != S_IFDIR) {
                throw ApiProblem.badRequest(shown + ": is not a regular file");
            }
            if (entry.isDirectory() || isFinderMetadata(entry.name())) {
                continue;
            }
            if (!TemplateBundle.isSafePath(entry.name())) {
                throw ApiProblem.badRequest(shown + ": " + TemplateBundle.PATH_RULE);
            }
            if ((entry.flags() & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
                throw ApiProblem.badRequest(shown + ": is encrypted; upload a zip without a password");
            }
            if (entry.method() != STORED && entry.method() != DEFLATED) {
                throw ApiProblem.badRequest(shown + ": uses compression method " + entry.method()
                        + "; only stored and deflate are supported");
            }
            byte[] content = content(zip, entry, shown, limits, limits.maxBundleBytes() - total);
            total += content.length;
            files.add(entry.name());
            builder.add(shown, entry.name(), contentType(entry.name()), content);
        }
        if (!files.contains(TemplateBundle.INDEX)) {
            files.stream().filter(name -> name.endsWith("/" + TemplateBundle.INDEX))
                    .min(Comparator.comparingInt(String::length))
                    .ifPresent(nested -> {
                        throw ApiProblem.badRequest("the zip has no " + TemplateBundle.INDEX + " at its root but has '"
                                + nested + "': zip the contents of the folder, not the folder itself");
                    });
        }
        return builder.build();
    }

    /** The media type a bundle file gets from its extension. */
    public static String contentType(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash + 1) {
            return OCTET_STREAM;
        }
        return CONTENT_TYPES.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }

    private static void checkPath(String name, String shown) {
        if (name.isEmpty()) {
            throw ApiProblem.badRequest("a zip entry has an empty name");
        }
        if (name.indexOf('\\') >= 0) {
            throw ApiProblem.badRequest(shown + ": backslashes are not allowed in paths");
        }
        if (name.startsWith("/") || DRIVE.matcher(name).lookingAt()) {
            throw ApiProblem.badRequest(shown + ": absolute paths are not allowed");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw ApiProblem.badRequest(shown + ": paths may not climb out of the bundle ('..')");
            }
        }
    }

    /** What macOS Finder adds to the zips it makes; never part of a template. */
    private static boolean isFinderMetadata(String name) {
        return name.startsWith("__MACOSX/") || name.equals(".DS_Store") || name.endsWith("/.DS_Store");
    }

    // --- central directory ---------------------------------------------------------------------------------------

    private static List<Entry> centralDirectory(byte[] zip, int maxEntries) {
        int end = findEnd(zip);
        if (end < 0) {
            throw ApiProblem.badRequest("the request body is not a zip archive");
        }
        if (u16(zip, end + 4) != 0 || u16(zip, end + 6) != 0) {
            throw ApiProblem.badRequest("split (multi-part) zip archives are not supported");
        }
        int count = u16(zip, end + 10);
        long size = u32(zip, end + 12);
        long offset = u32(zip, end + 16);
        boolean zip64Locator = end >= ZIP64_LOCATOR_SIZE && i32(zip, end - ZIP64_LOCATOR_SIZE) == ZIP64_LOCATOR_SIGNATURE;
        if (count == 0xFFFF || size == 0xFFFFFFFFL || offset == 0xFFFFFFFFL || zip64Locator) {
            throw ApiProblem.badRequest("zip64 archives are not supported; a bundle is far below their sizes");
        }
        if (u16(zip, end + 8) != count) {
            throw malformed();
        }
        if (count > maxEntries) {
            throw ApiProblem.tooLarge("the zip lists " + count + " entries; at most " + maxEntries + " are accepted");
        }
        if (offset + size != end) {
            throw malformed();
        }
        List<Entry> entries = new ArrayList<>(count);
        int position = (int) offset;
        for (int i = 0; i < count; i++) {
            if (position + CENTRAL_SIZE > end || i32(zip, position) != CENTRAL_SIGNATURE) {
                throw malformed();
            }
            int nameLength = u16(zip, position + 28);
            int extraLength = u16(zip, position + 30);
            int commentLength = u16(zip, position + 32);
            int next = position + CENTRAL_SIZE + nameLength + extraLength + commentLength;
            if (next > end) {
                throw malformed();
            }
            byte[] rawName = Arrays.copyOfRange(zip, position + CENTRAL_SIZE, position + CENTRAL_SIZE + nameLength);
            long compressedSize = u32(zip, position + 20);
            long uncompressedSize = u32(zip, position + 24);
            long localOffset = u32(zip, position + 42);
            if (compressedSize == 0xFFFFFFFFL || uncompressedSize == 0xFFFFFFFFL || localOffset == 0xFFFFFFFFL) {
                throw ApiProblem.badRequest("zip64 archives are not supported; a bundle is far below their sizes");
            }
            entries.add(new Entry(new String(rawName, StandardCharsets.UTF_8), u16(zip, position + 8),
                    u16(zip, position + 10), u32(zip, position + 16), compressedSize, uncompressedSize,
                    i32(zip, position + 38), localOffset, rawName));
            position = next;
        }
        if (position != end) {
            throw malformed();
        }
        return entries;
    }

    /** The end-of-central-directory record: the last one whose comment reaches exactly to the end of the data. */
    private static int findEnd(byte[] zip) {
        int lowest = Math.max(0, zip.length - END_SIZE - MAX_COMMENT);
        for (int at = zip.length - END_SIZE; at >= lowest; at--) {
            if (i32(zip, at) == END_SIGNATURE && at + END_SIZE + u16(zip, at + 20) == zip.length) {
                return at;
            }
        }
        return -1;
    }

    // --- entry data ----------------------------------------------------------------------------------------------

    private static byte[] content(byte[] zip, Entry entry, String shown, Limits limits, long budget) {
        int start = dataStart(zip, entry, shown);
        if (start + entry.compressedSize() > zip.length) {
            throw corrupt(shown);
        }
        int compressed = (int) entry.compressedSize();
        byte[] content;
        if (entry.method() == STORED) {
            if (compressed > budget) {
                throw tooLarge(shown, limits);
            }
            content = Arrays.copyOfRange(zip, start, start + compressed);
        } else {
            content = inflate(zip, start, compressed, shown, limits, budget);
        }
        CRC32 crc = new CRC32();
        crc.update(content);
        if (content.length != entry.size() || crc.getValue() != entry.crc()) {
            throw corrupt(shown);
        }
        return content;
    }

    private static int dataStart(byte[] zip, Entry entry, String shown) {
        long local = entry.localOffset();
        if (local + LOCAL_SIZE > zip.length || i32(zip, (int) local) != LOCAL_SIGNATURE) {
            throw corrupt(shown);
        }
        int at = (int) local;
        int nameLength = u16(zip, at + 26);
        int extraLength = u16(zip, at + 28);
        long start = (long) at + LOCAL_SIZE + nameLength + extraLength;
        if (start > zip.length
                || !Arrays.equals(zip, at + LOCAL_SIZE, at + LOCAL_SIZE + nameLength, entry.rawName(), 0,
                        entry.rawName().length)) {
            // the local header must name the same file as the central directory: two parsers must not see two zips
            throw corrupt(shown);
        }
        if ((u16(zip, at + 6) & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
            throw ApiProblem.badRequest(shown + ": is encrypted; upload a zip without a password");
        }
        return (int) start;
    }

    /** Inflates one entry, stopping as soon as it passes the bundle's remaining budget or the ratio limit. */
    private static byte[] inflate(byte[] zip, int start, int length, String shown, Limits limits, long budget) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(zip, start, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length * 4 + 64, 1 << 20));
            byte[] buffer = new byte[64 * 1024];
            long produced = 0;
            boolean padded = false;
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0) {
                    if (inflater.finished()) {
                        break;
                    }
                    if (!inflater.needsInput() || padded) {
                        throw corrupt(shown);
                    }
                    // raw deflate may want one byte past the data to finish, as java.util.zip.ZipFile gives it
                    inflater.setInput(new byte[1]);
                    padded = true;
                    continue;
                }
                produced += n;
                if (produced > budget) {
                    throw tooLarge(shown, limits);
                }
                if (produced > limits.ratioThresholdBytes()
                        && produced > (long) limits.maxCompressionRatio() * Math.max(1, inflater.getBytesRead())) {
                    throw ApiProblem.tooLarge(shown + ": inflates more than " + limits.maxCompressionRatio()
                            + " times its compressed size (a zip bomb?)");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw corrupt(shown);
        } finally {
            inflater.end();
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static ApiProblem tooLarge(String shown, Limits limits) {
        return ApiProblem.tooLarge(shown + ": the bundle is larger than " + limits.maxBundleBytes()
                + " bytes once uncompressed");
    }

    private static ApiProblem corrupt(String shown) {
        return ApiProblem.badRequest(shown + ": is corrupt (its data does not match the zip's directory)");
    }

    private static ApiProblem malformed() {
        return ApiProblem.badRequest("the request body is not a well-formed zip archive (unreadable central directory)");
    }

    /** The entry's name as shown in errors: control characters replaced, long names cut. */
    private static String shown(String name) {
        StringBuilder shown = new StringBuilder("zip entry '");
        name.codePoints().limit(SHOWN_NAME_LENGTH)
                .forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (name.codePointCount(0, name.length()) > SHOWN_NAME_LENGTH) {
            shown.append('…');
        }
        return shown.append('\'').toString();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int i32(byte[] b, int at) {
        return u16(b, at) | u16(b, at + 2) << 16;
    }

    private static long u32(byte[] b, int at) {
        return i32(b, at) & 0xFFFFFFFFL;
    }
}
