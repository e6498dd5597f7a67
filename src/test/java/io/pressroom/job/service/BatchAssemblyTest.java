package io.pressroom.job.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge and the zip of an assembly, on files: item order kept, every page there, one entry per item. */
class BatchAssemblyTest {

    @TempDir
    Path dir;

    private Path pdf(int item, int pages) throws IOException {
        Path file = dir.resolve("item-" + item + ".pdf");
        try (PDDocument document = new PDDocument()) {
            for (int page = 1; page <= pages; page++) {
                PDPage p = new PDPage();
                document.addPage(p);
                try (PDPageContentStream text = new PDPageContentStream(document, p)) {
                    text.beginText();
                    text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    text.newLineAtOffset(50, 700);
                    text.showText("item " + item + " page " + page);
                    text.endText();
                }
            }
            document.save(file.toFile());
        }
        return file;
    }

    @Test
    void theMergeKeepsItemOrderAndEveryPageAndTheZipHasOneEntryPerItem() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Path> files = new ArrayList<>();
        List<BatchAssembly.Item> items = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        int count = 2 + random.nextInt(20);
        for (int item = 0; item < count; item++) {
            int pages = 1 + random.nextInt(4);
            files.add(pdf(item, pages));
            items.add(new BatchAssembly.Item(item, "doc-" + item, "unused"));
            for (int page = 1; page <= pages; page++) {
                expected.add("item " + item + " page " + page);
            }
        }
        Path merged = dir.resolve("merged.pdf");
        BatchAssembly.merge(files, merged);
        try (PDDocument document = Loader.loadPDF(merged.toFile())) {
            List<String> texts = new ArrayList<>();
            PDFTextStripper stripper = new PDFTextStripper();
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                texts.add(stripper.getText(document).strip());
            }
            assertThat(texts).as("seed %d", seed).containsExactlyElementsOf(expected);
        }

        Path zip = dir.resolve("items.zip");
        BatchAssembly.zip(items, files, zip);
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            int i = 0;
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; i++) {
                names.add(entry.getName());
                assertThat(in.readAllBytes()).as("seed %d", seed).isEqualTo(Files.readAllBytes(files.get(i)));
            }
        }
        assertThat(names).as("seed %d", seed).hasSize(count).startsWith("0001-doc-0.pdf");
        assertThat(names.get(count - 1)).isEqualTo(String.format("%04d-doc-%d.pdf", count, count - 1));
    }
}
