package io.pressroom.render.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.xml.DomXmpParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pressroom.contract.ErrorCode;
import io.pressroom.contract.JobOptions;
import io.pressroom.render.browser.BrowserPool;
import io.pressroom.render.browser.RenderFailure;
import io.pressroom.render.browser.RenderRequest;
import io.pressroom.render.browser.TestChromium;
import io.pressroom.testing.PdfA;

/** Chromium's real PDFs of the bench documents, finished by PDFBox and checked by veraPDF and PDFBox. */
class DocumentFinisherTest {

    private static BrowserPool pool;
    private static final Map<String, byte[]> RENDERED = new HashMap<>();

    @BeforeAll
    static void start() {
        pool = TestChromium.pool(TestChromium.Config.defaults());
    }

    @AfterAll
    static void stop() {
        TestChromium.close(pool);
    }

    @Test
    void pdfa2bAndPdfa3bOfTheInvoiceAndTheReportBreakNoRule() throws Exception {
        for (String file : List.of("invoice.html", "report.html")) {
            for (String part : List.of("2b", "3b")) {
                byte[] pdf = DocumentFinisher.finish(render(file, printed(null)),
                        options(part, null, null));

                assertThat(PdfA.failedRules(pdf, part)).as("veraPDF PDF/A-%s failures of %s", part, file).isEmpty();
                try (PDDocument document = Loader.loadPDF(pdf)) {
                    assertThat(document.isEncrypted()).isFalse();
                    XMPMetadata xmp = xmp(document);
                    assertThat(xmp.getPDFAIdentificationSchema().getPart()).isEqualTo(part.charAt(0) - '0');
                    assertThat(xmp.getDublinCoreSchema().getTitle())
                            .isEqualTo(document.getDocumentInformation().getTitle()).isNotBlank();
                }
            }
        }
    }

    @Test
    void aTestJobsWatermarkKeepsAPdfaConformant() throws Exception {
        // a test job is stamped before it is finished: the mark's font must be embedded for PDF/A
        byte[] pdf = DocumentFinisher.finish(TestWatermark.stamp(render("invoice.html", printed(null)), true),
                options("2b", null, null));

        assertThat(PdfA.failedRules(pdf, "2b")).as("veraPDF PDF/A-2b failures of a test invoice").isEmpty();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            // the mark is text over the invoice's text: PDFBox's overlap filter would drop letters of it
            org.apache.pdfbox.text.PDFTextStripper stripper = new org.apache.pdfbox.text.PDFTextStripper();
            stripper.setSuppressDuplicateOverlappingText(false);
            assertThat(stripper.getText(document).replaceAll("\\s", "")).contains("TEST");
        }
    }

    @Test
    void aPdfaKeepsItsLinksAsPrintableAnnotations() throws Exception {
        // nothing is fetched: a link is only printed as an annotation
        byte[] printed = pool.render(new RenderRequest("job-link", "<title>Links</title><p><a href="
                + "'https://example.com/terms'>Terms</a></p>", Map.of(),
                RenderOptionsMapper.toRenderOptions(printed(null), 2000))).pdf();
        byte[] pdf = DocumentFinisher.finish(printed, options("2b", null, null));

        assertThat(PdfA.failedRules(pdf, "2b")).isEmpty();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getPage(0).getAnnotations()).singleElement()
                    .satisfies(link -> assertThat(link.isPrinted()).isTrue());
        }
    }

    @Test
    void theReportsOutlineListsItsHeadingsOnlyWhenAsked() throws Exception {
        try (PDDocument plain = Loader.loadPDF(render("report.html", printed(null)));
                PDDocument outlined = Loader.loadPDF(render("report.html", printed(true)))) {
            assertThat(plain.getDocumentCatalog().getDocumentOutline()).isNull();
            List<String> titles = new ArrayList<>();
            collect(outlined.getDocumentCatalog().getDocumentOutline().children(), titles);
            assertThat(titles).contains("Quarterly Operations Report", "1. Executive summary",
                    "8. Notes and methodology");
        }
    }

    @Test
    void metadataGoesToTheInfoDictionaryAndTheXmp() throws Exception {
        JobOptions.Metadata metadata = new JobOptions.Metadata("Invoice 417", "Contoso Billing", "March invoice",
                "invoice, contoso");
        byte[] pdf = DocumentFinisher.finish(render("invoice.html", printed(null)),
                options(null, metadata, null));

        try (PDDocument document = Loader.loadPDF(pdf)) {
            var info = document.getDocumentInformation();
            assertThat(info.getTitle()).isEqualTo("Invoice 417");
            assertThat(info.getAuthor()).isEqualTo("Contoso Billing");
            assertThat(info.getSubject()).isEqualTo("March invoice");
            assertThat(info.getKeywords()).isEqualTo("invoice, contoso");
            XMPMetadata xmp = xmp(document);
            assertThat(xmp.getDublinCoreSchema().getTitle()).isEqualTo("Invoice 417");
            assertThat(xmp.getDublinCoreSchema().getCreators()).containsExactly("Contoso Billing");
            assertThat(xmp.getDublinCoreSchema().getDescription()).isEqualTo("March invoice");
            assertThat(xmp.getAdobePDFSchema().getKeywords()).isEqualTo("invoice, contoso");
        }
        // and PDF/A with metadata stays valid
        byte[] archival = DocumentFinisher.finish(render("invoice.html", printed(null)),
                options("2b", metadata, null));
        assertThat(PdfA.failedRules(archival, "2b")).isEmpty();
    }

    @Test
    void protectionIsAes256WithThePermissionsAsked() throws Exception {
        JobOptions.Protect protect = new JobOptions.Protect("open-sesame", "owner-secret",
                new JobOptions.Permissions(false, false, null));
        byte[] pdf = DocumentFinisher.finish(render("invoice.html", printed(null)),
                options(null, null, protect));

        assertThatThrownBy(() -> Loader.loadPDF(pdf).close()).isInstanceOf(InvalidPasswordException.class);
        try (PDDocument document = Loader.loadPDF(pdf, "open-sesame")) {
            assertThat(document.isEncrypted()).isTrue();
            assertThat(document.getEncryption().getLength()).isEqualTo(256);
            assertThat(document.getNumberOfPages()).isEqualTo(1);
            AccessPermission permission = document.getCurrentAccessPermission();
            assertThat(permission.isOwnerPermission()).isFalse();
            assertThat(permission.canPrint()).isFalse();
            assertThat(permission.canExtractContent()).isFalse();
            assertThat(permission.canModify()).isTrue();
        }
        try (PDDocument document = Loader.loadPDF(pdf, "owner-secret")) {
            assertThat(document.getCurrentAccessPermission().isOwnerPermission()).isTrue();
        }
    }

    @Test
    void aPdfaWithAFontLeftOutFailsAsATemplateError() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.showText("not embedded");
                content.endText();
            }
            document.save(out);
        }

        assertThatThrownBy(() -> DocumentFinisher.finish(out.toByteArray(), options("2b", null, null)))
                .isInstanceOfSatisfying(RenderFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo(ErrorCode.TEMPLATE_ERROR))
                .hasMessageContaining("Helvetica");
    }

    private static byte[] render(String file, JobOptions options) throws Exception {
        String key = file + options.outline();
        byte[] cached = RENDERED.get(key);
        if (cached == null) {
            cached = pool.render(TestChromium.bench(file, RenderOptionsMapper.toRenderOptions(options, 2000))).pdf();
            RENDERED.put(key, cached);
        }
        return cached;
    }

    private static JobOptions printed(Boolean outline) {
        return new JobOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, 30_000L,
                null, null, outline, null, null);
    }

    private static JobOptions options(String pdfa, JobOptions.Metadata metadata, JobOptions.Protect protect) {
        return new JobOptions(null, null, null, null, null, null, null, null, null, null, null, null, null, 30_000L,
                null, pdfa, null, metadata, protect);
    }

    private static XMPMetadata xmp(PDDocument document) throws Exception {
        return new DomXmpParser().parse(document.getDocumentCatalog().getMetadata().toByteArray());
    }

    private static void collect(Iterable<PDOutlineItem> items, List<String> titles) {
        for (PDOutlineItem item : items) {
            titles.add(item.getTitle());
            collect(item.children(), titles);
        }
    }
}
