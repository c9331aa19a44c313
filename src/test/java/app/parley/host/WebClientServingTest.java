package app.parley.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser client a host serves beside Engine.IO on its own port, over real loopback sockets:
 * only the bundled files, with the headers that keep the page from being turned against its users,
 * revalidation and gzip; everything else a 404 that says nothing; Engine.IO untouched; the page's
 * own origin let in on both transports while a foreign one is still refused.
 */
class WebClientServingTest {
    private static final String SEED_PAGE = "http://localhost:8080";
    private static final String UPGRADE =
            "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";

    private static HostServer host;
    private static URI base;

    @BeforeAll
    static void start() {
        host = new HostServer(HostConfig.loopback(Set.of(SEED_PAGE)));
        base = URI.create("http://127.0.0.1:" + host.start());
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void theIndexIsServedAtTheRootWithEverySecurityHeader() throws Exception {
        assertThat(host.servesWebClient()).isTrue();
        HttpWire.Response page = HttpWire.exchange(base, "GET", "/");
        assertThat(page.status()).as("%s", page).isEqualTo(200);
        assertThat(page.body()).isEqualTo(bundled("index.html"));
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertSecurityHeaders(page, "ws://" + base.getAuthority());
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.header("ETag")).matches("\"[A-Za-z0-9_-]{22}\"");
        // Nothing about the page invites another origin to read it.
        assertThat(page.header("Access-Control-Allow-Origin")).isNull();
        assertThat(HttpWire.exchange(base, "GET", "/index.html").body()).isEqualTo(bundled("index.html"));
        assertThat(HttpWire.exchange(base, "GET", "/?name=Ann").body()).isEqualTo(bundled("index.html"));
    }

    @Test
    void theSocketIoBrowserBundleIsServedFromItsFixedPath() throws Exception {
        HttpWire.Response bundle = HttpWire.exchange(base, "GET", "/vendor/socket.io.min.js");
        assertThat(bundle.status()).as("%s", bundle).isEqualTo(200);
        assertThat(bundle.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(bundle.body()).isEqualTo(bundled("vendor/socket.io.min.js"));
        // The version the interop suite pins (interop/package-lock.json, web/package-lock.json).
        assertThat(bundle.text()).startsWith("/*!\n * Socket.IO v4.8.");
        assertSecurityHeaders(bundle, "ws://" + base.getAuthority());
    }

    @Test
    void everyPathOutsideTheBundleIsAPlainNotFound() throws Exception {
        List<String> corpus = new ArrayList<>(List.of(
                "/../index.html",
                "/vendor/../index.html",
                "/../../../../etc/passwd",
                "/./index.html",
                "/%2e%2e/index.html",
                "/%2E%2E/%2E%2E/pom.xml",
                "/vendor%2fsocket.io.min.js",
                "/vendor%2Fsocket.io.min.js",
                "/%2findex.html",
                "//index.html",
                "/vendor//socket.io.min.js",
                "/\\index.html",
                "/vendor\\socket.io.min.js",
                "/..\\..\\etc\\passwd",
                "/%5c..%5cindex.html",
                "/index.html%00",
                "/index.html%00.js",
                "/%c0%ae%c0%ae/index.html",
                "/%69ndex.html",
                "/index.html;.js",
                "/INDEX.HTML",
                "/index.html/",
                "/vendor/",
                "/vendor",
                "/.git/config",
                "/etc/passwd",
                "/C:/Windows/win.ini",
                "/app/parley/web/index.html",
                "/app/parley/host/HostServer.class",
                "/" + "a/".repeat(200) + "index.html",
                "http://127.0.0.1/etc/passwd",
                "*"));
        for (String target : corpus) {
            HttpWire.Response answer = HttpWire.exchange(base, "GET", target);
            assertThat(answer.status()).as("GET %s: %s", target, answer).isEqualTo(404);
            assertThat(answer.text()).as("GET %s", target).isEqualTo("Not found");
            assertThat(answer.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        // A NUL as a raw byte in the request line.
        HttpWire.Response nul = HttpWire.exchange(base, "GET", "/index.html\0");
        assertThat(nul.status()).as("%s", nul).isEqualTo(404);
        assertThat(nul.text()).isEqualTo("Not found");
    }

    @Test
    void anUnchangedFileIsAnsweredWith304() throws Exception {
        String etag = HttpWire.exchange(base, "GET", "/").header("ETag");
        for (String asked : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            HttpWire.Response again = HttpWire.exchange(base, "GET", "/", "If-None-Match: " + asked);
            assertThat(again.status())
                    .as("If-None-Match: %s → %s", asked, again)
                    .isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(again.header("ETag")).isEqualTo(etag);
            assertThat(again.header("Cache-Control")).isEqualTo("no-cache");
        }
        HttpWire.Response changed = HttpWire.exchange(base, "GET", "/", "If-None-Match: \"an-older-page\"");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(bundled("index.html"));
        // Each file has its own tag.
        assertThat(HttpWire.exchange(base, "GET", "/vendor/socket.io.min.js", "If-None-Match: " + etag)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aClientThatTakesGzipGetsTheSameBytesCompressed() throws Exception {
        HttpWire.Response zipped =
                HttpWire.exchange(base, "GET", "/vendor/socket.io.min.js", "Accept-Encoding: gzip, deflate, br");
        assertThat(zipped.status()).isEqualTo(200);
        assertThat(zipped.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(zipped.header("Vary")).isEqualToIgnoringCase("Accept-Encoding");
        byte[] plain = bundled("vendor/socket.io.min.js");
        assertThat(zipped.body().length).isLessThan(plain.length / 2);
        assertThat(gunzip(zipped.body())).isEqualTo(plain);
        // The compressed body is another representation: another tag, and either one revalidates.
        String zippedTag = zipped.header("ETag");
        assertThat(zippedTag)
                .isNotEqualTo(HttpWire.exchange(base, "GET", "/vendor/socket.io.min.js")
                        .header("ETag"));
        assertThat(HttpWire.exchange(
                                base,
                                "GET",
                                "/vendor/socket.io.min.js",
                                "Accept-Encoding: gzip",
                                "If-None-Match: " + zippedTag)
                        .status())
                .isEqualTo(304);

        for (String refused : List.of("gzip;q=0", "br", "identity", "gzip;q=0, *")) {
            HttpWire.Response answer =
                    HttpWire.exchange(base, "GET", "/vendor/socket.io.min.js", "Accept-Encoding: " + refused);
            assertThat(answer.header("Content-Encoding")).as(refused).isNull();
            assertThat(answer.body()).as(refused).isEqualTo(plain);
        }
    }

    @Test
    void headAnswersWithTheHeadersAndNoBody() throws Exception {
        HttpWire.Response get = HttpWire.exchange(base, "GET", "/");
        HttpWire.Response head = HttpWire.exchange(base, "HEAD", "/");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.body().length));
        assertThat(head.header("ETag")).isEqualTo(get.header("ETag"));
        assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
        assertSecurityHeaders(head, "ws://" + base.getAuthority());
        HttpWire.Response missing = HttpWire.exchange(base, "HEAD", "/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
    }

    @Test
    void otherMethodsOnAFileAre405() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            for (String target : List.of("/", "/vendor/socket.io.min.js")) {
                HttpWire.Response answer = HttpWire.exchange(base, method, target, "Content-Length: 0");
                assertThat(answer.status())
                        .as("%s %s: %s", method, target, answer)
                        .isEqualTo(405);
                assertThat(answer.header("Allow")).isEqualTo("GET, HEAD");
            }
        }
        assertThat(HttpWire.exchange(base, "POST", "/nothing-here", "Content-Length: 0")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void engineIoKeepsItsPath() throws Exception {
        HttpWire.Response handshake = HttpWire.exchange(base, "GET", "/socket.io/?EIO=4&transport=polling");
        assertThat(handshake.status()).isEqualTo(200);
        assertThat(handshake.text()).startsWith("0{\"sid\":");
        // Engine.IO's own errors, not the site's 404.
        HttpWire.Response bare = HttpWire.exchange(base, "GET", "/socket.io/");
        assertThat(bare.status()).isEqualTo(400);
        assertThat(bare.text()).contains("\"code\":");
    }

    @Test
    void thePagesOwnOriginIsLetInOnBothTransportsAndAForeignOneIsNot() throws Exception {
        String own = "Origin: http://" + base.getAuthority();
        String polling = "/socket.io/?EIO=4&transport=polling";
        String websocket = "/socket.io/?EIO=4&transport=websocket";
        assertThat(HttpWire.exchange(base, "GET", polling, own).text()).startsWith("0{");
        assertThat(HttpWire.exchange(base, "GET", websocket, own, UPGRADE).status())
                .isEqualTo(101);
        assertThat(HttpWire.exchange(base, "GET", polling, "Origin: " + SEED_PAGE)
                        .status())
                .isEqualTo(200);
        for (String target : List.of(polling, websocket, "/")) {
            HttpWire.Response foreign = HttpWire.exchange(base, "GET", target, "Origin: http://evil.example", UPGRADE);
            assertThat(foreign.status()).as("%s: %s", target, foreign).isEqualTo(403);
        }
    }

    @Test
    void overTlsThePageIsServedOverHttps(@TempDir Path dir) throws Exception {
        HostConfig config = HostConfig.loopback(Set.of()).withTls(new HostConfig.Tls(dir.resolve("host.p12"), null));
        try (HostServer tls = new HostServer(config)) {
            URI secure = URI.create("https://127.0.0.1:" + tls.start());
            HttpWire.Response page = HttpWire.exchange(secure, "GET", "/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).isEqualTo(bundled("index.html"));
            assertSecurityHeaders(page, "wss://" + secure.getAuthority());
            String own = "Origin: https://" + secure.getAuthority();
            assertThat(HttpWire.exchange(secure, "GET", "/socket.io/?EIO=4&transport=polling", own)
                            .text())
                    .startsWith("0{");
            assertThat(HttpWire.exchange(secure, "GET", "/socket.io/?EIO=4&transport=websocket", own, UPGRADE)
                            .status())
                    .isEqualTo(101);
        }
    }

    @Test
    void aHostToldNotToServeThePageAnswers404() throws Exception {
        try (HostServer bare = new HostServer(HostConfig.loopback(Set.of()).withWebClient(false))) {
            URI plain = URI.create("http://127.0.0.1:" + bare.start());
            assertThat(bare.servesWebClient()).isFalse();
            HttpWire.Response answer = HttpWire.exchange(plain, "GET", "/");
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.text()).isEqualTo("Not found");
            assertThat(HttpWire.exchange(plain, "GET", "/socket.io/?EIO=4&transport=polling")
                            .text())
                    .startsWith("0{");
        }
    }

    private static void assertSecurityHeaders(HttpWire.Response response, String ownWebSocketOrigin) {
        String policy = response.header("Content-Security-Policy");
        assertThat(policy)
                .contains("default-src 'none'")
                .contains("script-src 'self';")
                .contains("style-src 'self';")
                .contains("frame-ancestors 'none'")
                .contains("connect-src 'self' " + ownWebSocketOrigin)
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval")
                .doesNotContain("*");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
    }

    private static byte[] bundled(String name) throws IOException {
        try (InputStream in =
                WebClientServingTest.class.getClassLoader().getResourceAsStream("app/parley/web/" + name)) {
            assertThat(in).as("app/parley/web/%s on the class path", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static byte[] gunzip(byte[] zipped) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped))) {
            return in.readAllBytes();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aPeerThatAsksWithoutReadingIsCutOffInsteadOfPilingUpAnswers() throws Exception {
        int asked = 4_000; // answered in full, about 190 MB of the 47 kB bundle
        byte[] request = ("GET /vendor/socket.io.min.js HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long received = 0;
        boolean ended = false;
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setReceiveBufferSize(4096);
            socket.setSoTimeout(10_000);
            try {
                java.io.OutputStream out = socket.getOutputStream();
                for (int i = 0; i < asked; i++) {
                    out.write(request);
                }
                out.flush();
            } catch (IOException cutOff) {
                // The host closed while we were still asking: what this test wants to see.
            }
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int n; (n = in.read(chunk)) >= 0; ) {
                    received += n;
                }
                ended = true;
            } catch (java.net.SocketException reset) {
                ended = true;
            } catch (java.net.SocketTimeoutException stillOpen) {
                ended = false;
            }
        }
        assertThat(ended).as("the host closed the connection").isTrue();
        assertThat(received).as("bytes of answers the host sent").isLessThan(40L * 1024 * 1024);
    }
}
