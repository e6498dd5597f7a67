package io.pressroom.render.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;
import org.apache.pdfbox.util.Matrix;

/**
 * The mark of a test job: a large, semi-transparent "TEST" across every page, rotated 45°, drawn over the page as
 * real text (so {@code pdftotext} finds it). Stamped into Chromium's PDF with PDFBox, so it works for every template
 * and print option alike.
 */
final class TestWatermark {

    static final String TEXT = "TEST";
    private static final float OPACITY = 0.25f;
    /** The word spans about half the page's diagonal. */
    private static final float DIAGONAL_SHARE = 0.5f;

    /** Debian's packages of the renderer images (fonts-liberation, fonts-noto-core) and of most desktops. */
    private static final java.util.List<String> FONT_FILES = java.util.List.of(
            "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
            "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
            "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");

    private TestWatermark() {
    }

    /** The PDF with the mark on every page. */
    static byte[] stamp(byte[] pdf) throws IOException {
        return stamp(pdf, false);
    }

    /**
     * The PDF with the mark on every page; in an embedded font when the job is {@code archival} (PDF/A shows only
     * embedded fonts), else in Helvetica, which text extraction reads as one word on any page.
     */
    static byte[] stamp(byte[] pdf, boolean archival) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFont font = archival ? embeddedFont(document) : new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDExtendedGraphicsState translucent = new PDExtendedGraphicsState();
            translucent.setNonStrokingAlphaConstant(OPACITY);
            for (PDPage page : document.getPages()) {
                PDRectangle box = page.getCropBox();
                double diagonal = Math.hypot(box.getWidth(), box.getHeight());
                float size = (float) (diagonal * DIAGONAL_SHARE / (font.getStringWidth(TEXT) / 1000));
                float width = font.getStringWidth(TEXT) / 1000 * size;
                float capHeight = font.getFontDescriptor().getCapHeight() / 1000 * size;
                try (PDPageContentStream content = new PDPageContentStream(document, page, AppendMode.APPEND, true,
                        true)) {
                    content.setGraphicsStateParameters(translucent);
                    content.setNonStrokingColor(0.8f, 0.1f, 0.1f);
                    content.beginText();
                    content.setFont(font, size);
                    // centre of the page, turned 45°, the word centred on it
                    Matrix at = Matrix.getTranslateInstance(box.getLowerLeftX() + box.getWidth() / 2,
                            box.getLowerLeftY() + box.getHeight() / 2);
                    at.concatenate(Matrix.getRotateInstance(Math.toRadians(45), 0, 0));
                    at.concatenate(Matrix.getTranslateInstance(-width / 2, -capHeight / 2));
                    content.setTextMatrix(at);
                    content.showText(TEXT);
                    content.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 4096);
            document.save(out);
            return out.toByteArray();
        }
    }

    /**
     * A bold sans-serif from the system, embedded (a subset): an archival job ({@code options.pdfa}) may only show
     * embedded fonts, and test jobs may be archival ones. Helvetica, not embedded, where none of them is installed.
     */
    private static PDFont embeddedFont(PDDocument document) throws IOException {
        for (String path : FONT_FILES) {
            java.io.File file = new java.io.File(path);
            if (file.isFile()) {
                return PDType0Font.load(document, file);
            }
        }
        return new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    }
}
