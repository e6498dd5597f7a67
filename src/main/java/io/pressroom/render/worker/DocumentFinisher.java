package io.pressroom.render.worker;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Calendar;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TimeZone;

import javax.xml.transform.TransformerException;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.AdobePDFSchema;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.schema.PDFAIdentificationSchema;
import org.apache.xmpbox.schema.XMPBasicSchema;
import org.apache.xmpbox.type.BadFieldValueException;
import org.apache.xmpbox.xml.XmpSerializer;

import io.pressroom.contract.ErrorCode;
import io.pressroom.contract.JobOptions;
import io.pressroom.render.browser.RenderFailure;

/**
 * What PDFBox does to Chromium's PDF when a job asks for it: document information ({@code options.metadata}) in the
 * Info dictionary and the XMP metadata, PDF/A-2b or -3b ({@code options.pdfa}: sRGB output intent, XMP with
 * {@code pdfaid}, a document ID, printable annotations, fonts checked to be embedded) and AES-256 encryption
 * ({@code options.protect}). A job without these options gets Chromium's bytes untouched.
 */
final class DocumentFinisher {

    private static final String SRGB = "sRGB IEC61966-2.1";
    /** How deep form XObjects are searched for fonts: Chromium nests them one or two levels. */
    private static final int MAX_FORM_DEPTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private DocumentFinisher() {
    }

    /** Whether the options ask for anything to be done to the PDF after Chromium. */
    static boolean needed(JobOptions options) {
        return options.pdfa() != null || options.metadata() != null || options.protect() != null;
    }

    /**
     * The finished PDF. A PDF/A whose fonts Chromium did not all embed fails with {@code template_error}: the fonts
     * come from the template.
     */
    static byte[] finish(byte[] pdf, JobOptions options) throws RenderFailure {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            if (options.pdfa() != null) {
                checkFontsEmbedded(document);
            }
            PDDocumentInformation info = document.getDocumentInformation();
            JobOptions.Metadata metadata = options.metadata();
            if (metadata != null) {
                setIfGiven(info, metadata);
            }
            if (options.pdfa() != null) {
                archival(document, info, options.pdfa());
            } else {
                document.getDocumentCatalog().setMetadata(xmp(document, info, null));
            }
            if (options.protect() != null) {
                document.protect(policy(options.protect()));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 16_384);
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new RenderFailure(ErrorCode.INTERNAL_ERROR, true, "the PDF could not be finished: " + e.getMessage(),
                    e);
        }
    }

    private static void setIfGiven(PDDocumentInformation info, JobOptions.Metadata metadata) {
        if (metadata.title() != null) {
            info.setTitle(metadata.title());
        }
        if (metadata.author() != null) {
            info.setAuthor(metadata.author());
        }
        if (metadata.subject() != null) {
            info.setSubject(metadata.subject());
        }
        if (metadata.keywords() != null) {
            info.setKeywords(metadata.keywords());
        }
    }

    private static void archival(PDDocument document, PDDocumentInformation info, String pdfa) throws IOException {
        // one instant, to the second, in the Info dictionary and the XMP alike (PDF/A wants them equal)
        Calendar now = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        now.set(Calendar.MILLISECOND, 0);
        info.setCreationDate(now);
        info.setModificationDate(now);
        PDDocumentCatalog catalog = document.getDocumentCatalog();
        catalog.setMetadata(xmp(document, info, pdfa));
        if (catalog.getOutputIntents().isEmpty()) {
            PDOutputIntent intent = new PDOutputIntent(document, new ByteArrayInputStream(
                    ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()));
            intent.setInfo(SRGB);
            intent.setOutputCondition(SRGB);
            intent.setOutputConditionIdentifier(SRGB);
            intent.setRegistryName("http://www.color.org");
            catalog.addOutputIntent(intent);
        }
        if (document.getDocument().getDocumentID() == null) {
            byte[] id = new byte[16];
            RANDOM.nextBytes(id);
            COSArray ids = new COSArray();
            ids.add(new COSString(id));
            ids.add(new COSString(id));
            document.getDocument().setDocumentID(ids);
        }
        // PDF/A: every annotation (Chromium's links) is printed, and shown
        for (PDPage page : document.getPages()) {
            for (PDAnnotation annotation : page.getAnnotations()) {
                annotation.setPrinted(true);
                annotation.setHidden(false);
                annotation.setInvisible(false);
                annotation.setNoView(false);
                annotation.setToggleNoView(false);
            }
        }
    }

    /** The XMP mirror of the Info dictionary, with {@code pdfaid} when {@code pdfa} is given ("2b", "3b"). */
    private static PDMetadata xmp(PDDocument document, PDDocumentInformation info, String pdfa) throws IOException {
        XMPMetadata xmp = XMPMetadata.createXMPMetadata();
        DublinCoreSchema dc = xmp.createAndAddDublinCoreSchema();
        if (info.getTitle() != null) {
            dc.setTitle(info.getTitle());
        }
        if (info.getAuthor() != null) {
            dc.addCreator(info.getAuthor());
        }
        if (info.getSubject() != null) {
            dc.setDescription(info.getSubject());
        }
        AdobePDFSchema pdf = xmp.createAndAddAdobePDFSchema();
        if (info.getProducer() != null) {
            pdf.setProducer(info.getProducer());
        }
        if (info.getKeywords() != null) {
            pdf.setKeywords(info.getKeywords());
        }
        XMPBasicSchema basic = xmp.createAndAddXMPBasicSchema();
        if (info.getCreator() != null) {
            basic.setCreatorTool(info.getCreator());
        }
        if (info.getCreationDate() != null) {
            basic.setCreateDate(info.getCreationDate());
        }
        if (info.getModificationDate() != null) {
            basic.setModifyDate(info.getModificationDate());
        }
        if (pdfa != null) {
            PDFAIdentificationSchema id = xmp.createAndAddPDFAIdentificationSchema();
            id.setPart(Character.getNumericValue(pdfa.charAt(0)));
            try {
                id.setConformance(pdfa.substring(1).toUpperCase(java.util.Locale.ROOT));
            } catch (BadFieldValueException e) {
                throw new IllegalArgumentException("pdfa " + pdfa, e);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            new XmpSerializer().serialize(xmp, bytes, true);
        } catch (TransformerException e) {
            throw new IOException("the XMP metadata could not be written", e);
        }
        PDMetadata metadata = new PDMetadata(document);
        metadata.importXMPMetadata(bytes.toByteArray());
        return metadata;
    }

    /** Fails when a font used on a page, directly or in a form XObject, is not embedded. */
    private static void checkFontsEmbedded(PDDocument document) throws IOException, RenderFailure {
        Set<COSBase> seen = new HashSet<>();
        for (PDPage page : document.getPages()) {
            Deque<PDResources> pending = new ArrayDeque<>();
            Deque<Integer> depths = new ArrayDeque<>();
            if (page.getResources() != null) {
                pending.push(page.getResources());
                depths.push(0);
            }
            while (!pending.isEmpty()) {
                PDResources resources = pending.pop();
                int depth = depths.pop();
                if (!seen.add(resources.getCOSObject())) {
                    continue;
                }
                for (COSName name : resources.getFontNames()) {
                    PDFont font = resources.getFont(name);
                    if (font != null && !font.isEmbedded()) {
                        throw new RenderFailure(ErrorCode.TEMPLATE_ERROR, false, "PDF/A needs every font embedded, "
                                + "and Chromium did not embed '" + font.getName() + "'; use a web font the template "
                                + "ships", null);
                    }
                }
                for (COSName name : resources.getXObjectNames()) {
                    PDXObject object = resources.getXObject(name);
                    if (object instanceof PDFormXObject && depth < MAX_FORM_DEPTH) {
                        PDResources inner = ((PDFormXObject) object).getResources();
                        if (inner != null) {
                            pending.push(inner);
                            depths.push(depth + 1);
                        }
                    }
                }
            }
        }
    }

    private static StandardProtectionPolicy policy(JobOptions.Protect protect) {
        AccessPermission permission = new AccessPermission();
        JobOptions.Permissions asked = protect.permissions();
        if (asked != null) {
            boolean print = !Boolean.FALSE.equals(asked.print());
            boolean copy = !Boolean.FALSE.equals(asked.copy());
            boolean modify = !Boolean.FALSE.equals(asked.modify());
            permission.setCanPrint(print);
            permission.setCanPrintFaithful(print);
            permission.setCanExtractContent(copy);
            permission.setCanModify(modify);
            permission.setCanModifyAnnotations(modify);
            permission.setCanFillInForm(modify);
            permission.setCanAssembleDocument(modify);
        }
        StandardProtectionPolicy policy = new StandardProtectionPolicy(orEmpty(protect.ownerPassword()),
                orEmpty(protect.userPassword()), permission);
        policy.setEncryptionKeyLength(256);
        return policy;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
