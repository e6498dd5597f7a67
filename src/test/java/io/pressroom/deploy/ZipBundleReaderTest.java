package io.pressroom.deploy;

import static io.pressroom.deploy.Zips.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pressroom.bundle.BundleFile;
import io.pressroom.bundle.TemplateBundle;
import io.pressroom.common.ProblemMapper;
import io.pressroom.common.Refusal;
import io.pressroom.deploy.service.ZipBundleReader;
import io.pressroom.deploy.service.ZipBundleReader.Limits;

class ZipBundleReaderTest {

    private static final Limits LIMITS = new Limits(10 * 1024 * 1024, 200, 1000, 200, 1024 * 1024);
    private static final String HTML = "<link rel=\"stylesheet\" href=\"css/site.css\"><p>{{x}}</p>";

    private static TemplateBundle read(byte[] zip) {
        return ZipBundleReader.read(zip, LIMITS);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static void refused(ThrowingCallable read, int status, String... detailParts) {
        assertThatThrownBy(read).isInstanceOfSatisfying(Refusal.class, refusal -> {
            assertThat(ProblemMapper.toProblem(refusal).status()).isEqualTo(status);
            assertThat(refusal.detail()).contains(detailParts);
        });
    }

    @Test
    void filesGetTheirTypesFromExtensionsAndFoldersAreSkipped() {
        byte[] logo = random(3000);
        TemplateBundle bundle = read(zip().directory("css").directory("img")
                .file("index.html", HTML).file("css/site.css", "p { color: navy }").stored("img/logo.PNG", logo)
                .file("fonts/body.woff2", random(100)).file("data/extra.bin", random(10)).file("notes.txt", "hi")
                .file("__MACOSX/._index.html", random(20)).file(".DS_Store", random(20)).file("css/.DS_Store", "x")
                .bytes());
        assertThat(bundle.manifest()).extracting(BundleFile::path, BundleFile::contentType).containsExactly(
                tuple("css/site.css", "text/css"),
                tuple("data/extra.bin", "application/octet-stream"),
                tuple("fonts/body.woff2", "font/woff2"),
                tuple("img/logo.PNG", "image/png"),
                tuple("index.html", "text/html; charset=utf-8"),
                tuple("notes.txt", "text/plain; charset=utf-8"));
        assertThat(bundle.html()).isEqualTo(HTML);
        bundle.entries().forEach(entry -> {
            if (entry.path().equals("img/logo.PNG")) {
                assertThat(entry.content()).isEqualTo(logo);
            }
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "index.html|text/html; charset=utf-8", "a.htm|text/html; charset=utf-8", "a.css|text/css",
            "js/app.js|text/javascript", "a.png|image/png", "a.jpg|image/jpeg", "a.JPEG|image/jpeg",
            "a.gif|image/gif", "a.svg|image/svg+xml", "a.webp|image/webp", "a.woff|font/woff", "a.woff2|font/woff2",
            "a.ttf|font/ttf", "a.otf|font/otf", "a.json|application/json", "a.txt|text/plain; charset=utf-8",
            "a.pdf|application/octet-stream", "Makefile|application/octet-stream",
            "dir.css/file|application/octet-stream" })
    void contentTypes(String path, String type) {
        assertThat(ZipBundleReader.contentType(path)).isEqualTo(type);
    }

    @Test
    void theSameFilesGiveTheSameDigestAsAJsonUpload() {
        byte[] logo = random(5000);
        TemplateBundle fromZip = read(zip().file("img/logo.png", logo).file("index.html", HTML)
                .file("css/site.css", "p {}").bytes());
        TemplateBundle fromJson = new TemplateBundle.Builder(LIMITS.maxBundleBytes(), LIMITS.maxAssets())
                .add("html", "index.html", "text/html; charset=utf-8", HTML.getBytes(StandardCharsets.UTF_8))
                .add("assets[0]", "css/site.css", "text/css", "p {}".getBytes(StandardCharsets.UTF_8))
                .add("assets[1]", "img/logo.png", "image/png", logo).build();
        assertThat(fromZip.sha256()).isEqualTo(fromJson.sha256());
        assertThat(fromZip.manifest()).isEqualTo(fromJson.manifest());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "../evil.css|climb out", "css/../../evil.css|climb out", "css/..|climb out",
            "/etc/passwd|absolute", "C:/evil.css|absolute", "css\\evil.css|backslashes", "../x/|climb out",
            "a b.css|must be a relative path", ".hidden|must be a relative path", "css//a.css|must be a relative path" })
    void hostilePathsAreRefusedNamingTheEntry(String name, String reason) {
        byte[] bytes = zip().file("index.html", HTML).file(name, "x").bytes();
        refused(() -> read(bytes), 400, "zip entry '" + name + "'", reason);
    }

    @Test
    void symbolicLinksAndOtherSpecialFilesAreRefused() {
        byte[] plain = zip().file("index.html", HTML).file("css/site.css", "/etc/passwd").bytes();
        refused(() -> read(Zips.withUnixMode(plain, "css/site.css", Zips.S_IFLNK | 0777)), 400,
                "zip entry 'css/site.css'", "symbolic link");
        refused(() -> read(Zips.withUnixMode(plain, "css/site.css", Zips.S_IFIFO | 0644)), 400,
                "zip entry 'css/site.css'", "not a regular file");
        // an ordinary Unix file mode is fine
        assertThat(read(Zips.withUnixMode(plain, "css/site.css", 0100644)).manifest()).hasSize(2);
    }

    @Test
    void aLinkIsRefusedWhateverSystemTheZipSaysMadeIt() {
        // Info-ZIP's unzip makes a link of Unix link bits in an entry marked MS-DOS too (PKZip for Unix writes those)
        byte[] link = Zips.withUnixMode(zip().file("index.html", HTML).file("css/site.css", "/etc/passwd").bytes(),
                "css/site.css", Zips.S_IFLNK | 0777);
        refused(() -> read(Zips.withMadeBy(link, "css/site.css", 0)), 400, "zip entry 'css/site.css'", "symbolic link");
    }

    @Test
    void duplicateEncryptedAndUnsupportedEntriesAreRefused() {
        byte[] two = zip().file("index.html", HTML).file("a.css", "a").file("b.css", "b").bytes();
        refused(() -> read(Zips.renamed(two, "b.css", "a.css")), 400, "zip entry 'a.css'", "twice");
        refused(() -> read(Zips.withFlag(two, "a.css", 1)), 400, "zip entry 'a.css'", "encrypted");
        refused(() -> read(Zips.withMethod(two, "a.css", 12)), 400, "zip entry 'a.css'", "compression method 12");
    }

    @Test
    void whatIsNotAZipIsRefused() {
        byte[] good = zip().file("index.html", HTML).bytes();
        refused(() -> read(new byte[0]), 400, "not a zip archive");
        refused(() -> read("{\"html\": \"<p>\"}".getBytes(StandardCharsets.UTF_8)), 400, "not a zip archive");
        refused(() -> read(random(5000)), 400, "not a zip archive");
        refused(() -> read(Arrays.copyOf(good, good.length - 5)), 400, "not a zip archive");
        byte[] broken = good.clone();
        broken[40] ^= 0x55; // inside the deflated data of index.html
        refused(() -> read(broken), 400, "zip entry 'index.html'", "corrupt");
    }

    @Test
    void zip64AndSplitArchivesAreRefused(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream zip64 = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip64)) {
            out.setUseZip64(Zip64Mode.Always);
            out.putArchiveEntry(new ZipArchiveEntry("index.html"));
            out.write(HTML.getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        refused(() -> read(zip64.toByteArray()), 400, "zip64 archives are not supported");

        // a split archive's last part holds the central directory: it is what an upload of the .zip would send
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(dir.resolve("bundle.zip"), 64 * 1024)) {
            out.putArchiveEntry(new ZipArchiveEntry("img/noise.bin"));
            out.write(random(100_000));
            out.closeArchiveEntry();
        }
        refused(() -> read(Files.readAllBytes(dir.resolve("bundle.zip"))), 400, "split (multi-part) zip archives");
    }

    @Test
    void theEndRecordTheDirectoryAndTheLocalHeadersMustAgree() {
        byte[] good = zip().file("index.html", HTML).file("a.css", "a").file("b.css", "b").bytes();
        // Commons Compress would read all three entries, or skip the bytes before the directory, or read the local
        // header's data under the central directory's name
        refused(() -> read(Zips.withDeclaredCount(good, 2)), 400, "not a well-formed zip archive");
        byte[] prefixed = new byte[100 + good.length];
        System.arraycopy(good, 0, prefixed, 100, good.length);
        refused(() -> read(prefixed), 400, "not a well-formed zip archive");
        refused(() -> read(Zips.withLocalName(good, "b.css", "c.css")), 400, "zip entry 'b.css'", "corrupt");
    }

    @Test
    void everyDamagedByteIsAnsweredWithAProblem() {
        byte[] good = zip().file("index.html", HTML).stored("a.css", "p {}".getBytes(StandardCharsets.UTF_8)).bytes();
        for (int at = 0; at < good.length; at++) {
            for (int bits : new int[] { 0x01, 0x80, 0xFF }) {
                byte[] damaged = good.clone();
                damaged[at] ^= bits;
                try {
                    read(damaged);
                } catch (Refusal problem) {
                    assertThat(ProblemMapper.toProblem(problem).status()).as("byte %d ^ %x: %s", at, bits,
                            problem.detail()).isIn(400, 413);
                }
            }
        }
    }

    @Test
    void aZipBombIsStoppedByTheCompressionRatio() {
        byte[] bomb = zip().file("index.html", HTML).zeros("img/zeros.png", 50).bytes();
        assertThat(bomb.length).isLessThan(100_000);
        refused(() -> read(bomb), 413, "zip entry 'img/zeros.png'", "inflates more than 200 times");
    }

    @Test
    void manySmallBombsAreStoppedByTheUncompressedTotal() {
        Zips zip = zip().file("index.html", HTML);
        for (int i = 0; i < 20; i++) {
            zip.zeros("img/" + i + ".bin", 1);
        }
        byte[] bytes = zip.bytes();
        assertThat(bytes.length).isLessThan(50_000);
        refused(() -> read(bytes), 413, "larger than 10485760 bytes once uncompressed");
    }

    @Test
    void declaredSizesAreNotTrusted() {
        Limits small = new Limits(1024 * 1024, 200, 1000, 200, 1024 * 1024);
        byte[] big = zip().file("index.html", HTML).file("img/noise.bin", random(2 * 1024 * 1024)).bytes();
        // the directory claims 100 bytes: inflating still stops at the limit, counting what really comes out
        refused(() -> ZipBundleReader.read(Zips.withDeclaredSize(big, "img/noise.bin", 100), small), 413,
                "larger than 1048576 bytes");
        byte[] fine = zip().file("index.html", HTML).file("a.css", "p {}").bytes();
        refused(() -> read(Zips.withDeclaredSize(fine, "a.css", 4000)), 400, "zip entry 'a.css'", "corrupt");
    }

    @Test
    void entryAndAssetCountsAreLimited() {
        Zips many = zip().file("index.html", HTML);
        IntStream.range(0, 1000).forEach(i -> many.directory("d" + i));
        refused(() -> read(many.bytes()), 413, "lists 1001 entries");
        Zips assets = zip().file("index.html", HTML);
        IntStream.range(0, 3).forEach(i -> assets.file(i + ".css", "p {}"));
        refused(() -> ZipBundleReader.read(assets.bytes(), new Limits(1 << 20, 2, 1000, 200, 1 << 20)), 400,
                "more than 2 assets");
    }

    @Test
    void aZippedFolderGetsAHint() {
        refused(() -> read(zip().directory("invoice").file("invoice/index.html", HTML).bytes()), 400,
                "no index.html at its root", "'invoice/index.html'", "not the folder itself");
        refused(() -> read(zip().file("css/site.css", "p {}").bytes()), 400, "no index.html");
    }
}
