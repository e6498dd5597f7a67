package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class TestWatermarkTest {

    @Test
    void everyPageGetsATranslucentTestTheTextLayerShows() throws Exception {
        byte[] stamped = TestWatermark.stamp(blankPdf(PDRectangle.A4, new PDRectangle(PDRectangle.A5.getHeight(),
                PDRectangle.A5.getWidth())));
        try (PDDocument document = Loader.loadPDF(stamped)) {
            assertThat(document.getNumberOfPages()).isEqualTo(2);
            PDFTextStripper stripper = new PDFTextStripper();
            for (int page = 1; page <= 2; page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                assertThat(stripper.getText(document).replaceAll("\\s", "")).isEqualTo("TEST");
                PDPage stampedPage = document.getPage(page - 1);
                PDExtendedGraphicsState state = stampedPage.getResources().getExtGState(
                        stampedPage.getResources().getExtGStateNames().iterator().next());
                assertThat(state.getNonStrokingAlphaConstant()).isLessThan(1f);
            }
        }
    }

    private static byte[] blankPdf(PDRectangle... sizes) throws Exception {
        try (PDDocument document = new PDDocument()) {
            for (PDRectangle size : sizes) {
                document.addPage(new PDPage(size));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }
}
