package io.pressroom.testing;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/** veraPDF's verdict on a PDF/A, read by its Java library (greenfield parser). */
public final class PdfA {

    static {
        VeraGreenfieldFoundryProvider.initialise();
    }

    private PdfA() {
    }

    /**
     * The rules the PDF breaks as the PDF/A flavour {@code part} ("2b", "3b"), each as clause-test and message,
     * once each; empty when veraPDF finds it compliant.
     */
    public static List<String> failedRules(byte[] pdf, String part) throws Exception {
        PDFAFlavour flavour = PDFAFlavour.fromString(part);
        try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
                PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
            ValidationResult result = validator.validate(parser);
            List<String> failed = new ArrayList<>();
            for (TestAssertion assertion : result.getTestAssertions()) {
                if (assertion.getStatus() == TestAssertion.Status.FAILED) {
                    failed.add(assertion.getRuleId().getClause() + "-" + assertion.getRuleId().getTestNumber() + " "
                            + assertion.getMessage());
                }
            }
            if (result.isCompliant() != failed.isEmpty()) {
                throw new AssertionError("veraPDF says compliant=" + result.isCompliant() + " with failures " + failed);
            }
            return failed.stream().distinct().toList();
        }
    }
}
