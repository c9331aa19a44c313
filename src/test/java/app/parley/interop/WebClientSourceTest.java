package app.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The web client's sources keep to what its CSP and its XSS test assume, checked without a
 * browser: no HTML built from strings, no eval, no inline script, style or event handler.
 * {@link WebClientXssTest} proves the behaviour; this catches a regression before Chromium runs.
 */
class WebClientSourceTest {
    private static final Path WEB =
            Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "src/main/resources/app/parley/web");
    private static final List<Pattern> FORBIDDEN_IN_SCRIPTS = List.of(
            Pattern.compile("\\binnerHTML\\b"),
            Pattern.compile("\\bouterHTML\\s*="),
            Pattern.compile("insertAdjacentHTML"),
            Pattern.compile("document\\.write"),
            Pattern.compile("\\beval\\s*\\("),
            Pattern.compile("new\\s+Function\\b"),
            Pattern.compile("createContextualFragment"),
            Pattern.compile("setAttribute\\(\\s*['\"](style|on\\w+|href|src)['\"]"),
            Pattern.compile("\\.style\\."));
    private static final List<Pattern> FORBIDDEN_IN_HTML = List.of(
            Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>"),
            Pattern.compile("<style\\b"),
            Pattern.compile("\\sstyle\\s*="),
            Pattern.compile("\\son\\w+\\s*="),
            Pattern.compile("javascript:"),
            Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//"));

    @Test
    void scriptsBuildTheDomOnlyThroughDomApis() throws IOException {
        for (Path file : files(".js")) {
            String source = Files.readString(file);
            for (Pattern forbidden : FORBIDDEN_IN_SCRIPTS) {
                assertThat(forbidden.matcher(source).find())
                        .as("%s uses %s", WEB.relativize(file), forbidden)
                        .isFalse();
            }
        }
    }

    @Test
    void thePageHasNoInlineScriptStyleOrHandlerAndLoadsNothingFromElsewhere() throws IOException {
        List<Path> pages = files(".html");
        assertThat(pages).isNotEmpty();
        for (Path file : pages) {
            String html = Files.readString(file);
            for (Pattern forbidden : FORBIDDEN_IN_HTML) {
                assertThat(forbidden.matcher(html).find())
                        .as("%s has %s", WEB.relativize(file), forbidden)
                        .isFalse();
            }
            assertThat(html).contains("aria-label=\"Message\"");
        }
    }

    private static List<Path> files(String extension) throws IOException {
        try (Stream<Path> walk = Files.walk(WEB)) {
            return walk.filter(p -> p.toString().endsWith(extension)).toList();
        }
    }
}
