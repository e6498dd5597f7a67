package io.pressroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/** Reads PDFs the way a test asserts on them: page count, page size, text, and where a word is printed. */
public final class Pdfs {

    private Pdfs() {
    }

    /** Points per millimetre. */
    public static final double PT_PER_MM = 72 / 25.4;

    /**
     * A PDF as read: its page count, its text (all of it, and page by page), page sizes, printed words and its Title.
     */
    public record Pdf(int pages, String text, List<String> pageTexts, List<PDRectangle> sizes, List<Word> words,
            String title) {

        /** The first printed occurrence of {@code text} (a word as PDFBox splits them). */
        public Optional<Word> find(String text) {
            return words.stream().filter(w -> w.text().equals(text)).findFirst();
        }
    }

    /**
     * A word as printed: its 1-based page and its box in points, {@code top} measured down from the page's top edge.
     */
    public record Word(int page, String text, double left, double top, double width, double height) {
    }

    public static Pdf read(byte[] bytes) {
        try (PDDocument document = Loader.loadPDF(bytes)) {
            List<String> pageTexts = new ArrayList<>();
            List<PDRectangle> sizes = new ArrayList<>();
            List<Word> words = new ArrayList<>();
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                sizes.add(document.getPage(page - 1).getMediaBox());
                WordStripper stripper = new WordStripper(page, words);
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                pageTexts.add(stripper.getText(document));
            }
            return new Pdf(document.getNumberOfPages(), String.join("", pageTexts), pageTexts, sizes, words,
                    document.getDocumentInformation().getTitle());
        } catch (IOException e) {
            throw new UncheckedIOException("not a readable PDF", e);
        }
    }

    /** Collects each word's box while stripping the text of one page. */
    private static final class WordStripper extends PDFTextStripper {

        private final int page;
        private final List<Word> words;

        WordStripper(int page, List<Word> words) {
            this.page = page;
            this.words = words;
        }

        @Override
        protected void writeString(String text, List<TextPosition> positions) throws IOException {
            int start = 0;
            for (int i = 0; i <= positions.size(); i++) {
                boolean end = i == positions.size() || positions.get(i).getUnicode().isBlank();
                if (end && i > start) {
                    words.add(word(positions.subList(start, i)));
                }
                if (end) {
                    start = i + 1;
                }
            }
            super.writeString(text, positions);
        }

        private Word word(List<TextPosition> glyphs) {
            StringBuilder text = new StringBuilder();
            double left = Double.MAX_VALUE;
            double right = 0;
            double top = Double.MAX_VALUE;
            double height = 0;
            for (TextPosition glyph : glyphs) {
                text.append(glyph.getUnicode());
                left = Math.min(left, glyph.getXDirAdj());
                right = Math.max(right, glyph.getXDirAdj() + glyph.getWidthDirAdj());
                // YDirAdj is the baseline, measured from the top; the glyph rises HeightDir above it
                top = Math.min(top, glyph.getYDirAdj() - glyph.getHeightDir());
                height = Math.max(height, glyph.getHeightDir());
            }
            return new Word(page, text.toString(), left, top, right - left, height);
        }
    }
}
