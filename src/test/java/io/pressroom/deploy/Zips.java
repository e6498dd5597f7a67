package io.pressroom.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds zips with {@code java.util.zip}, and patches their headers for what {@link ZipOutputStream} will not write:
 * symbolic links (Unix mode in the external attributes), encryption flags, duplicate names, lying sizes and counts,
 * headers that disagree.
 */
final class Zips {

    static final int S_IFLNK = 0120000;
    static final int S_IFIFO = 0010000;

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ZipOutputStream zip = new ZipOutputStream(bytes);

    private Zips() {
        zip.setLevel(Deflater.BEST_COMPRESSION);
    }

    static Zips zip() {
        return new Zips();
    }

    Zips file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    Zips file(String name, byte[] content) {
        return entry(new ZipEntry(name), content);
    }

    /** An entry stored without compression. */
    Zips stored(String name, byte[] content) {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        return entry(entry, content);
    }

    Zips directory(String name) {
        return file(name.endsWith("/") ? name : name + "/", new byte[0]);
    }

    /** {@code megabytes} MiB of zeros, written a MiB at a time: deflate shrinks them about a thousand times. */
    Zips zeros(String name, int megabytes) {
        try {
            zip.putNextEntry(new ZipEntry(name));
            byte[] mebibyte = new byte[1024 * 1024];
            for (int i = 0; i < megabytes; i++) {
                zip.write(mebibyte);
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private Zips entry(ZipEntry entry, byte[] content) {
        try {
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    byte[] bytes() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    // --- patches on finished zips ----------------------------------------------------------------------------------

    /** Sets a Unix mode (type and permissions) on an entry, as Info-ZIP writes it: made by Unix, mode in the high half. */
    static byte[] withUnixMode(byte[] zip, String name, int mode) {
        byte[] patched = zip.clone();
        int central = central(patched, name);
        patched[central + 5] = 3; // version made by: Unix
        putInt(patched, central + 38, mode << 16);
        return patched;
    }

    /** Sets the system an entry says made it (the high byte of "version made by": 0 MS-DOS, 3 Unix). */
    static byte[] withMadeBy(byte[] zip, String name, int platform) {
        byte[] patched = zip.clone();
        patched[central(patched, name) + 5] = (byte) platform;
        return patched;
    }

    /** ORs general-purpose flag bits into both headers of an entry (bit 0: encrypted). */
    static byte[] withFlag(byte[] zip, String name, int flag) {
        byte[] patched = zip.clone();
        int central = central(patched, name);
        int local = getInt(patched, central + 42);
        putShort(patched, central + 8, getShort(patched, central + 8) | flag);
        putShort(patched, local + 6, getShort(patched, local + 6) | flag);
        return patched;
    }

    /** Sets the compression method in both headers of an entry. */
    static byte[] withMethod(byte[] zip, String name, int method) {
        byte[] patched = zip.clone();
        int central = central(patched, name);
        int local = getInt(patched, central + 42);
        putShort(patched, central + 10, method);
        putShort(patched, local + 8, method);
        return patched;
    }

    /** Renames an entry in both headers; the new name must have the same length. */
    static byte[] renamed(byte[] zip, String from, String to) {
        byte[] old = from.getBytes(StandardCharsets.UTF_8);
        byte[] now = to.getBytes(StandardCharsets.UTF_8);
        if (old.length != now.length) {
            throw new IllegalArgumentException("names must have the same length");
        }
        byte[] patched = zip.clone();
        int central = central(patched, from);
        int local = getInt(patched, central + 42);
        System.arraycopy(now, 0, patched, central + 46, now.length);
        System.arraycopy(now, 0, patched, local + 30, now.length);
        return patched;
    }

    /** Renames an entry in its local header only, leaving the central directory as it was. */
    static byte[] withLocalName(byte[] zip, String name, String local) {
        byte[] now = local.getBytes(StandardCharsets.UTF_8);
        if (now.length != name.getBytes(StandardCharsets.UTF_8).length) {
            throw new IllegalArgumentException("names must have the same length");
        }
        byte[] patched = zip.clone();
        System.arraycopy(now, 0, patched, getInt(patched, central(patched, name) + 42) + 30, now.length);
        return patched;
    }

    /** Declares another entry count in the end-of-central-directory record. */
    static byte[] withDeclaredCount(byte[] zip, int count) {
        byte[] patched = zip.clone();
        int end = end(patched);
        putShort(patched, end + 8, count);
        putShort(patched, end + 10, count);
        return patched;
    }

    /** Declares another uncompressed size for an entry in the central directory. */
    static byte[] withDeclaredSize(byte[] zip, String name, long size) {
        byte[] patched = zip.clone();
        putInt(patched, central(patched, name) + 24, (int) size);
        return patched;
    }

    private static int end(byte[] zip) {
        int end = zip.length - 22;
        while (getInt(zip, end) != END_SIGNATURE) {
            end--;
        }
        return end;
    }

    private static int central(byte[] zip, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        int end = end(zip);
        int at = getInt(zip, end + 16);
        while (at < end && getInt(zip, at) == CENTRAL_SIGNATURE) {
            int nameLength = getShort(zip, at + 28);
            if (Arrays.equals(zip, at + 46, at + 46 + nameLength, wanted, 0, wanted.length)) {
                return at;
            }
            at += 46 + nameLength + getShort(zip, at + 30) + getShort(zip, at + 32);
        }
        throw new IllegalArgumentException("no entry " + name);
    }

    private static int getShort(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int getInt(byte[] b, int at) {
        return getShort(b, at) | getShort(b, at + 2) << 16;
    }

    private static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
    }

    private static void putInt(byte[] b, int at, int value) {
        putShort(b, at, value);
        putShort(b, at + 2, value >>> 16);
    }
}
