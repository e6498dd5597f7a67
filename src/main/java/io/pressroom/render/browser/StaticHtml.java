package io.pressroom.render.browser;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Recognises a document that can neither run script nor load anything: elements and attributes from a list of
 * static ones, CSS without URLs, imports or escapes. Such a document can be printed in the page a previous one of
 * its kind was printed in, without a navigation ({@link PageSlot}): a document that never ran script and never
 * fetched a URL leaves nothing behind that outlives it, and reads nothing a previous one left.
 * <p>
 * An allow-list over the parse tree as a browser builds it (jsoup parses HTML5 the way Chromium does, entities
 * decoded), so that nothing spelt differently slips through; anything unknown sends the document the navigating
 * way, which renders every document. What prints differently with script off ({@code <noscript>}, the
 * {@code scripting} media feature) is not static either, since these documents print with script off as a second
 * line of defence.
 */
final class StaticHtml {

    private static final Set<String> ELEMENTS = Set.of("html", "head", "body", "title", "meta", "style", "div", "span",
            "p", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
            "caption", "colgroup", "col", "ul", "ol", "li", "dl", "dt", "dd", "b", "i", "u", "s", "strong", "em",
            "small", "big", "sub", "sup", "br", "hr", "wbr", "pre", "code", "kbd", "samp", "var", "blockquote", "q",
            "cite", "abbr", "time", "mark", "del", "ins", "bdi", "bdo", "a", "section", "article", "header", "footer",
            "main", "nav", "aside", "address", "figure", "figcaption", "label", "center", "font", "data");
    private static final Set<String> ATTRIBUTES = Set.of("class", "id", "style", "lang", "dir", "title", "colspan",
            "rowspan", "align", "valign", "width", "height", "border", "cellpadding", "cellspacing", "charset", "name",
            "content", "href", "start", "type", "reversed", "value", "span", "headers", "scope", "abbr", "datetime",
            "translate", "hidden", "role", "color", "face", "size", "nowrap", "bgcolor", "cite");
    /** In CSS, lower-cased: each loads a URL, runs script, or hides what it does behind an escape. */
    private static final List<String> CSS_DYNAMIC = List.of("url(", "image(", "image-set(", "cross-fade(", "element(",
            "paint(", "@import", "\\", "scripting", "expression(", "behavior", "-moz-binding");

    private StaticHtml() {
    }

    /** True when {@code html} can neither run script nor load a URL, and prints the same with script off. */
    static boolean test(String html) {
        Document document = Jsoup.parse(html);
        for (Element element : document.getAllElements()) {
            if (element == document) {
                continue;
            }
            if (!ELEMENTS.contains(element.normalName()) || !staticAttributes(element)) {
                return false;
            }
            if (element.normalName().equals("style") && !staticCss(element.data())) {
                return false;
            }
        }
        return true;
    }

    private static boolean staticAttributes(Element element) {
        for (Attribute attribute : element.attributes()) {
            String name = attribute.getKey().toLowerCase(Locale.ROOT);
            boolean known = ATTRIBUTES.contains(name) || name.startsWith("aria-") || name.startsWith("data-");
            if (!known || (name.equals("href") && !element.normalName().equals("a"))
                    || (name.equals("style") && !staticCss(attribute.getValue()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean staticCss(String css) {
        String lower = css.toLowerCase(Locale.ROOT);
        return CSS_DYNAMIC.stream().noneMatch(lower::contains);
    }
}
