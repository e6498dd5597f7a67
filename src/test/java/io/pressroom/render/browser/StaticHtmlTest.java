package io.pressroom.render.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticHtmlTest {

    /** Markup that can neither run script nor load anything. */
    private static final List<String> STATIC = List.of("<p>Invoice</p>", "<h1 class=\"t\">Total</h1>",
            "<table border=1><tr><td colspan=2 style=\"color:#333\">1 &euro;</td></tr></table>",
            "<style>body { font-family: serif } @page { margin: 1cm } @media print { p { color: red } }</style>",
            "<a href=\"https://example.invalid/terms\">terms</a>", "<ul><li data-row=\"1\">one</li></ul>",
            "<meta charset=\"utf-8\"><title>Invoice 42</title>", "<div aria-label=\"x\" role=\"note\">&amp;&#8364;</div>");

    @Test
    void theBenchDocumentsAreStatic() throws IOException {
        for (String name : List.of("invoice.html", "report.html")) {
            String html = Files.readString(TestChromium.BENCH.resolve(name), StandardCharsets.UTF_8);
            assertThat(StaticHtml.test(html)).as(name).isTrue();
        }
        assertThat(StaticHtml.test(String.join("\n", STATIC))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "<script>1</script>", "<p onclick=\"x()\">a</p>", "<p\tonmouseover=x>a</p>",
            "<img src=x>", "<body background=\"x.png\">", "<table background=x.png>", "<input type=image src=x>",
            "<div style=\"background:url(x.png)\">", "<div style=\"background:&#117;rl(x.png)\">",
            "<div style=\"background:url&lpar;x.png)\">", "<style>p { background: u\\72l(x.png) }</style>",
            "<style>@import 'x.css';</style>", "<style>p { background: image-set('x.png' 1x) }</style>",
            "<link rel=stylesheet href=x.css>", "<base href=\"https://x.invalid/\">",
            "<meta http-equiv=\"refresh\" content=\"0; url=https://x.invalid/\">", "<svg><circle r=1 /></svg>",
            "<math><mi>x</mi></math>", "<noscript>no script</noscript>",
            "<style>@media (scripting: enabled) { p { color: red } }</style>", "<iframe srcdoc=\"<p>x</p>\"></iframe>",
            "<object data=x.pdf></object>", "<embed src=x>", "<video poster=x.png></video>", "<form action=x></form>",
            "<template><p>x</p></template>", "<p style=\"behavior: url(x.htc)\">x</p>", "<area href=x>",
            "<div xmlns:xlink=\"x\">x</div>", "<p style=\"mask: paint(x)\">x</p>" })
    void anythingThatCouldRunOrLoadIsNot(String dynamic) {
        assertThat(StaticHtml.test("<p>Invoice</p>" + dynamic)).isFalse();
    }

    @Test
    void oneDynamicPieceAnywhereMakesADocumentDynamic() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> dynamic = List.of("<script>x</script>", "<img src=x>", "<p style=\"background:url(x)\">",
                "<b onload=x>", "<link href=x>", "<svg></svg>", "<style>@import 'x';</style>");
        for (int round = 0; round < 200; round++) {
            StringBuilder html = new StringBuilder();
            int parts = 1 + random.nextInt(8);
            int at = random.nextInt(parts);
            String piece = dynamic.get(random.nextInt(dynamic.size()));
            for (int i = 0; i < parts; i++) {
                html.append(i == at ? piece : STATIC.get(random.nextInt(STATIC.size())));
            }
            assertThat(StaticHtml.test(html.toString())).as("seed %d: %s", seed, html).isFalse();
        }
    }
}
