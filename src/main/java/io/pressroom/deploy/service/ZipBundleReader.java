package io.pressroom.deploy.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.apache.commons.compress.archivers.zip.GeneralPurposeBit;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipLong;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.archivers.zip.ZipShort;
import org.apache.commons.compress.utils.InputStreamStatistics;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

import io.pressroom.bundle.TemplateBundle;
import io.pressroom.common.Refusal;

/**
 * Reads a zip bundle ({@code index.html} at its root, assets beside it) into a {@link TemplateBundle}, in memory.
 * <p>
 * Commons Compress's {@link ZipFile} reads the central directory, the listing every unzip tool trusts, and inflates each
 * entry; the bytes its stream actually produces are counted here as they come, so a zip bomb is stopped long before it
 * is fully inflated. Sizes declared in the zip are checked afterwards, with the CRC, never used to decide how much to
 * accept. A few checks stay here because ZipFile accepts what a bundle must not be: see {@link #checkDirectory} and
 * {@link #checkLocalHeader}.
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

    private static final long END_SIGNATURE = 0x06054b50L;
    private static final long ZIP64_LOCATOR_SIGNATURE = 0x07064b50L;
    private static final int END_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final long ZIP64_MAGIC = 0xFFFFFFFFL;

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

    public static TemplateBundle read(byte[] zip, Limits limits) {
        checkDirectory(zip, limits.maxEntries());
        // the central directory alone, names as it lists them; each local header is read with its entry, so that a
        // broken one is reported under the entry's name
        try (ZipFile archive = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zip))
                .setIgnoreLocalFileHeader(true).get()) {
            return read(archive, zip, limits);
        } catch (IOException e) {
            throw malformed();
        }
    }

    private static TemplateBundle read(ZipFile archive, byte[] zip, Limits limits) {
        TemplateBundle.Builder builder = new TemplateBundle.Builder(limits.maxBundleBytes(), limits.maxAssets());
        Set<String> names = new HashSet<>();
        List<String> files = new ArrayList<>();
        long total = 0;
        for (ZipArchiveEntry entry : Collections.list(archive.getEntries())) {
            // the name as stored: getName() turns backslashes into slashes in entries made on MS-DOS
            String name = new String(entry.getRawName(), StandardCharsets.UTF_8);
            String shown = shown(name);
            checkPath(name, shown);
            if (!names.add(name)) {
                throw new Refusal.Invalid(shown + ": appears twice in the zip");
            }
            int type = unixType(entry);
            if (type == S_IFLNK) {
                throw new Refusal.Invalid(shown + ": symbolic links are not allowed in a bundle");
            }
            if (type != 0 && type != S_IFREG && type != S_IFDIR) {
                throw new Refusal.Invalid(shown + ": is not a regular file");
            }
            if (name.endsWith("/") || type == S_IFDIR || isFinderMetadata(name)) {
                continue;
            }
            if (!TemplateBundle.isSafePath(name)) {
                throw new Refusal.Invalid(shown + ": " + TemplateBundle.PATH_RULE);
            }
            if (isEncrypted(entry.getGeneralPurposeBit())) {
                throw encrypted(shown);
            }
            if (entry.getMethod() != ZipMethod.STORED.getCode() && entry.getMethod() != ZipMethod.DEFLATED.getCode()) {
                throw new Refusal.Invalid(shown + ": uses compression method " + entry.getMethod()
                        + "; only stored and deflate are supported");
            }
            checkLocalHeader(zip, entry, shown);
            byte[] content = content(archive, entry, shown, limits, limits.maxBundleBytes() - total);
            total += content.length;
            files.add(name);
            builder.add(shown, name, contentType(name), content);
        }
        if (!files.contains(TemplateBundle.INDEX)) {
            files.stream().filter(name -> name.endsWith("/" + TemplateBundle.INDEX))
                    .min(Comparator.comparingInt(String::length))
                    .ifPresent(nested -> {
                        throw new Refusal.Invalid("the zip has no " + TemplateBundle.INDEX + " at its root but has '"
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
            throw new Refusal.Invalid("a zip entry has an empty name");
        }
        if (name.indexOf('\\') >= 0) {
            throw new Refusal.Invalid(shown + ": backslashes are not allowed in paths");
        }
        if (name.startsWith("/") || DRIVE.matcher(name).lookingAt()) {
            throw new Refusal.Invalid(shown + ": absolute paths are not allowed");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new Refusal.Invalid(shown + ": paths may not climb out of the bundle ('..')");
            }
        }
    }

    /**
     * The Unix file type in the upper half of the external attributes, whatever system the entry says made it:
     * {@link ZipArchiveEntry#getUnixMode()} reads it only from entries made on Unix, but Info-ZIP's unzip also makes
     * symbolic links of entries marked MS-DOS, as PKZip for Unix writes them.
     */
    private static int unixType(ZipArchiveEntry entry) {
        return (int) (entry.getExternalAttributes() >>> 16) & S_IFMT;
    }

    /** What macOS Finder adds to the zips it makes; never part of a template. */
    private static boolean isFinderMetadata(String name) {
        return name.startsWith("__MACOSX/") || name.equals(".DS_Store") || name.endsWith("/.DS_Store");
    }

    private static boolean isEncrypted(GeneralPurposeBit flags) {
        return flags.usesEncryption() || flags.usesStrongEncryption();
    }

    // --- what ZipFile accepts and a bundle must not be -----------------------------------------------------------

    /**
     * Reads the end-of-central-directory record and walks the directory's record lengths, before {@link ZipFile}
     * parses anything. ZipFile reads zip64 and split archives and data placed before the directory without a word, and
     * it parses every directory record it finds whatever count the end record declares (20 MB of minimal records
     * cost it about 260 MiB of heap): here the count is held to {@code maxEntries} and to what the directory
     * really holds.
     */
    private static void checkDirectory(byte[] zip, int maxEntries) {
        int end = findEnd(zip);
        if (end < 0) {
            throw new Refusal.Invalid("the request body is not a zip archive");
        }
        if (ZipShort.getValue(zip, end + 4) != 0 || ZipShort.getValue(zip, end + 6) != 0) {
            throw new Refusal.Invalid("split (multi-part) zip archives are not supported");
        }
        int count = ZipShort.getValue(zip, end + 10);
        long size = ZipLong.getValue(zip, end + 12);
        long offset = ZipLong.getValue(zip, end + 16);
        boolean zip64Locator = end >= ZIP64_LOCATOR_SIZE
                && ZipLong.getValue(zip, end - ZIP64_LOCATOR_SIZE) == ZIP64_LOCATOR_SIGNATURE;
        if (count == 0xFFFF || size == ZIP64_MAGIC || offset == ZIP64_MAGIC || zip64Locator) {
            throw zip64();
        }
        if (ZipShort.getValue(zip, end + 8) != count) {
            throw malformed();
        }
        if (count > maxEntries) {
            throw new Refusal.TooLarge("the zip lists " + count + " entries; at most " + maxEntries + " are accepted");
        }
        if (offset + size != end) {
            throw malformed();
        }
        int at = (int) offset;
        for (int i = 0; i < count; i++) {
            if (at + CENTRAL_SIZE > end || ZipLong.getValue(zip, at) != ZipLong.CFH_SIG.getValue()) {
                throw malformed();
            }
            if (ZipLong.getValue(zip, at + 20) == ZIP64_MAGIC || ZipLong.getValue(zip, at + 24) == ZIP64_MAGIC
                    || ZipLong.getValue(zip, at + 42) == ZIP64_MAGIC) {
                throw zip64();
            }
            at += CENTRAL_SIZE + ZipShort.getValue(zip, at + 28) + ZipShort.getValue(zip, at + 30)
                    + ZipShort.getValue(zip, at + 32);
        }
        if (at != end) {
            throw malformed();
        }
    }

    /**
     * The end record {@link ZipFile} reads, the last signature in the final 64 KiB, if its comment reaches exactly to
     * the end of the data; -1 otherwise.
     */
    private static int findEnd(byte[] zip) {
        int lowest = Math.max(0, zip.length - END_SIZE - MAX_COMMENT);
        for (int at = zip.length - END_SIZE; at >= lowest; at--) {
            if (ZipLong.getValue(zip, at) == END_SIGNATURE) {
                return at + END_SIZE + ZipShort.getValue(zip, at + 20) == zip.length ? at : -1;
            }
        }
        return -1;
    }

    /**
     * ZipFile reads only the lengths in an entry's local header, to find its data; streaming unzip tools take the
     * name and the flags from there. They must agree with the central directory: two parsers must not see two zips.
     */
    private static void checkLocalHeader(byte[] zip, ZipArchiveEntry entry, String shown) {
        int at = (int) entry.getLocalHeaderOffset();
        byte[] name = entry.getRawName();
        if ((long) at + LOCAL_SIZE + name.length > zip.length
                || ZipLong.getValue(zip, at) != ZipLong.LFH_SIG.getValue()
                || ZipShort.getValue(zip, at + 26) != name.length
                || !Arrays.equals(zip, at + LOCAL_SIZE, at + LOCAL_SIZE + name.length, name, 0, name.length)) {
            throw corrupt(shown);
        }
        if (isEncrypted(GeneralPurposeBit.parse(zip, at + 6))) {
            throw encrypted(shown);
        }
    }

    // --- entry data ----------------------------------------------------------------------------------------------

    /** Reads one entry, stopping as soon as it passes the bundle's remaining budget or the ratio limit. */
    private static byte[] content(ZipFile archive, ZipArchiveEntry entry, String shown, Limits limits, long budget) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = archive.getInputStream(entry)) {
            // the stored and the deflate streams both count the compressed bytes they have consumed
            InputStreamStatistics statistics = (InputStreamStatistics) in;
            byte[] buffer = new byte[64 * 1024];
            long produced = 0;
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                produced += n;
                if (produced > budget) {
                    throw tooLarge(shown, limits);
                }
                if (produced > limits.ratioThresholdBytes() && produced > (long) limits.maxCompressionRatio()
                        * Math.max(1, statistics.getCompressedCount())) {
                    throw new Refusal.TooLarge(shown + ": inflates more than " + limits.maxCompressionRatio()
                            + " times its compressed size (a zip bomb?)");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw corrupt(shown);
        }
        byte[] content = out.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(content);
        if (content.length != entry.getSize() || crc.getValue() != entry.getCrc()) {
            throw corrupt(shown);
        }
        return content;
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static Refusal tooLarge(String shown, Limits limits) {
        return new Refusal.TooLarge(shown + ": the bundle is larger than " + limits.maxBundleBytes()
                + " bytes once uncompressed");
    }

    private static Refusal encrypted(String shown) {
        return new Refusal.Invalid(shown + ": is encrypted; upload a zip without a password");
    }

    private static Refusal corrupt(String shown) {
        return new Refusal.Invalid(shown + ": is corrupt (its data does not match the zip's directory)");
    }

    private static Refusal zip64() {
        return new Refusal.Invalid("zip64 archives are not supported; a bundle is far below their sizes");
    }

    private static Refusal malformed() {
        return new Refusal.Invalid("the request body is not a well-formed zip archive (unreadable central directory)");
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
}
