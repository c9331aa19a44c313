package app.parley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a {@link StaticSite} finds its files: a folder of classes (running from the build) or a
 * jar (the installed app), through a real class loader over real files; and which names it keeps.
 */
class StaticSiteTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFolderInsideAJarAndNothingBesideIt() throws Exception {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            entry(out, "site/");
            entry(out, "site/index.html", "<!doctype html>");
            entry(out, "site/vendor/");
            entry(out, "site/vendor/lib.js", "var x = 1;");
            entry(out, "site/.hidden", "secret");
            entry(out, "other/secret.txt", "secret");
            entry(out, "site-not/index.html", "other");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            StaticSite site = StaticSite.fromClassPath(loader, "site");
            assertThat(site.names()).containsExactly("index.html", "vendor/lib.js");
            assertThat(site.lookup("/").body()).isEqualTo("<!doctype html>".getBytes(StandardCharsets.UTF_8));
            assertThat(site.lookup("/vendor/lib.js").type()).isEqualTo("text/javascript; charset=utf-8");
        }
    }

    @Test
    void readsAFolderOfClasses() throws Exception {
        Path root = dir.resolve("classes");
        Files.createDirectories(root.resolve("site/vendor"));
        Files.writeString(root.resolve("site/index.html"), "<!doctype html>");
        Files.writeString(root.resolve("site/style.css"), "body{}");
        Files.writeString(root.resolve("site/vendor/lib.js"), "var x = 1;");
        Files.writeString(root.resolve("secret.txt"), "secret");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            StaticSite site = StaticSite.fromClassPath(loader, "site/");
            assertThat(site.names()).containsExactly("index.html", "style.css", "vendor/lib.js");
            assertThat(site.lookup("/style.css").type()).isEqualTo("text/css; charset=utf-8");
            assertThat(site.lookup("/../secret.txt")).isNull();
        }
    }

    @Test
    void aFolderWithoutAnIndexIsRefusedWithAReason() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> StaticSite.fromClassPath(loader, "nowhere"))
                    .isInstanceOf(EngineException.class)
                    .hasMessage("No nowhere/index.html on the class path");
        }
    }

    @Test
    void keepsOnlyNamesARequestCanAskForAndCompressesOnlyWhatShrinks() {
        byte[] text = "hello hello hello hello hello hello hello hello".getBytes(StandardCharsets.UTF_8);
        StaticSite site = StaticSite.of(Map.of(
                "index.html", text,
                "a/../b.js", text,
                ".env", text,
                "a//b.js", text,
                "a\\b.js", text,
                "tiny.js", "x".getBytes(StandardCharsets.UTF_8),
                "logo.png", text));
        assertThat(site.names()).containsExactly("index.html", "logo.png", "tiny.js");
        assertThat(site.lookup("/").gzip()).isNotNull();
        assertThat(site.lookup("/tiny.js").gzip()).isNull();
        assertThat(site.lookup("/logo.png").gzip()).isNull();
        assertThat(site.lookup("/logo.png").type()).isEqualTo("image/png");
        assertThat(site.lookup("index.html")).isNull();
        assertThat(site.lookup("/" + "a".repeat(StaticSite.MAX_PATH))).isNull();
    }

    private static void entry(JarOutputStream out, String name) throws Exception {
        out.putNextEntry(new JarEntry(name));
        out.closeEntry();
    }

    private static void entry(JarOutputStream out, String name, String content) throws Exception {
        out.putNextEntry(new JarEntry(name));
        OutputStream body = out;
        body.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
