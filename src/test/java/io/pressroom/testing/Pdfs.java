package io.pressroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** Reads PDFs the way a test asserts on them: page count and text. */
public final class Pdfs {

    private Pdfs() {
    }

    public record Pdf(int pages, String text) {
    }

    public static Pdf read(byte[] bytes) {
        try (PDDocument document = Loader.loadPDF(bytes)) {
            return new Pdf(document.getNumberOfPages(), new PDFTextStripper().getText(document));
        } catch (IOException e) {
            throw new UncheckedIOException("not a readable PDF", e);
        }
    }
}
