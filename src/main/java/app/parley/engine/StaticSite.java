package app.parley.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of files for the engine to serve over HTTP beside its endpoints, read once into
 * memory: each with its type, a content hash for its {@code ETag}, and a gzip copy made here, not
 * per request. Requests are matched against the names only; no path from a request ever reaches the
 * file system. {@code /} is {@code index.html}.
 *
 * <pre>{@code
 * StaticSite site = StaticSite.fromClassPath(loader, "app/parley/web");
 * new SocketIoEngine(EngineSettings.defaults("0.0.0.0", 3000).withSite(site));
 * }</pre>
 */
public final class StaticSite {
    private static final Logger LOG = LoggerFactory.getLogger(StaticSite.class);

    /**
     * A name a request may ask for: segments of letters, digits, {@code . _ -}, none starting with a
     * dot (so no {@code ..}, no hidden file), joined by single slashes. Nothing encoded: the bundled
     * names need no escapes, so any {@code %} is already a path this site does not have.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    /** Longer request paths are refused unread. */
    static final int MAX_PATH = 256;

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml; charset=utf-8"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"));

    private static final Set<String> COMPRESSIBLE =
            Set.of("html", "js", "mjs", "css", "json", "map", "webmanifest", "txt", "svg");

    /**
     * One file as served.
     *
     * @param gzip its gzip encoding, or null when that would not be smaller
     * @param etag the quoted strong entity tag of the plain body; the gzip body's ends in {@code -gz"}
     */
    record File(String name, String type, byte[] body, byte[] gzip, String etag) {
        String gzipEtag() {
            return etag.substring(0, etag.length() - 1) + "-gz\"";
        }
    }

    private final Map<String, File> files;

    private StaticSite(Map<String, File> files) {
        this.files = Map.copyOf(files);
    }

    /**
     * The files given, by name ({@code index.html}, {@code vendor/x.js}); a name a request could not
     * ask for (see the class comment) is left out.
     */
    public static StaticSite of(Map<String, byte[]> contents) {
        Map<String, File> files = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        contents.forEach((name, body) -> {
            if (isServableName(name)) {
                files.put(name, file(name, body));
            } else {
                skipped.add(name);
            }
        });
        if (!skipped.isEmpty()) {
            LOG.warn("Not serving {}: names of letters, digits, . _ - only, none starting with a dot", skipped);
        }
        return new StaticSite(files);
    }

    /**
     * Every file under {@code folder} on {@code loader}'s class path (a folder of classes, or a
     * jar), found through its {@code index.html}.
     *
     * @throws EngineException when there is no {@code index.html} there or the files cannot be read
     */
    public static StaticSite fromClassPath(ClassLoader loader, String folder) {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        URL index = loader.getResource(prefix + "index.html");
        if (index == null) {
            throw new EngineException("No " + prefix + "index.html on the class path", null);
        }
        try {
            Map<String, byte[]> contents = new TreeMap<>();
            for (String name : listing(index, prefix)) {
                try (InputStream in = loader.getResourceAsStream(prefix + name)) {
                    if (in != null) {
                        contents.put(name, in.readAllBytes());
                    }
                }
            }
            return of(contents);
        } catch (IOException | URISyntaxException | UncheckedIOException e) {
            throw new EngineException("Could not read the files under " + prefix + ": " + e.getMessage(), e);
        }
    }

    /** The names served, sorted. */
    public List<String> names() {
        return files.keySet().stream().sorted().toList();
    }

    public boolean contains(String name) {
        return files.containsKey(name);
    }

    /**
     * The file a request path (raw, before any decoding, without its query) names, or null: the
     * path must be {@code /} or {@code /} followed by a servable name.
     */
    File lookup(String rawPath) {
        if (rawPath == null || rawPath.length() > MAX_PATH || !rawPath.startsWith("/")) {
            return null;
        }
        if (rawPath.equals("/")) {
            return files.get("index.html");
        }
        String name = rawPath.substring(1);
        return isServableName(name) ? files.get(name) : null;
    }

    static boolean isServableName(String name) {
        return name.length() < MAX_PATH && NAME.matcher(name).matches();
    }

    private static List<String> listing(URL index, String prefix) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        if ("file".equals(index.getProtocol())) {
            Path root = Paths.get(index.toURI()).getParent();
            try (Stream<Path> walk = Files.walk(root, 8)) {
                walk.filter(Files::isRegularFile)
                        .forEach(path -> names.add(root.relativize(path)
                                .toString()
                                .replace(root.getFileSystem().getSeparator(), "/")));
            }
        } else if ("jar".equals(index.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) index.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                        names.add(entry.getName().substring(prefix.length()));
                    }
                }
            }
        } else {
            throw new IOException("cannot list files inside " + index.getProtocol() + ": URLs");
        }
        return names;
    }

    private static File file(String name, byte[] body) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.getOrDefault(extension, "application/octet-stream");
        byte[] gzip = COMPRESSIBLE.contains(extension) ? gzip(body) : null;
        if (gzip != null && gzip.length >= body.length) {
            gzip = null;
        }
        return new File(name, type, body.clone(), gzip, "\"" + hash(body) + "\"");
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String hash(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(digest)
                    .substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
