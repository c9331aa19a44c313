package app.parley.host;

import app.parley.engine.Downloads;
import app.parley.protocol.FileNames;
import app.parley.protocol.JsonText;
import app.parley.protocol.SharedFile;
import app.parley.store.FileShelf;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Download links for browsers (docs/PROTOCOL.md §15.3): a {@code file-link} checks who asks, as
 * {@code file-read} does, and hands out {@code /files/<token>/<name>}; the token names the one file,
 * expires in minutes and is signed with a key made at start, so the HTTP side needs no lookup and
 * nobody can make or widen one.
 */
final class FileLinks implements Downloads {
    static final long LIFETIME_MILLIS = TimeUnit.MINUTES.toMillis(10);
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    /** A token is a few hundred characters; anything much longer is not one of ours. */
    private static final int MAX_TOKEN = 2048;

    private final byte[] key = new byte[32];
    private final FileShelf shelf;

    FileLinks(FileShelf shelf) {
        this.shelf = shelf;
        new SecureRandom().nextBytes(key);
    }

    /** A link to {@code file} for whoever may read it now. */
    String link(SharedFile file) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("s", file.sha256());
        claims.put("n", file.name());
        claims.put("t", file.isPicture() ? file.type() : "application/octet-stream");
        claims.put("e", System.currentTimeMillis() + LIFETIME_MILLIS);
        String payload = ENCODE.encodeToString(JsonText.write(claims).getBytes(StandardCharsets.UTF_8));
        return PREFIX + payload + "." + ENCODE.encodeToString(sign(payload)) + "/"
                + URLEncoder.encode(FileNames.forSaving(file.name()), StandardCharsets.UTF_8)
                        .replace("+", "%20");
    }

    @Override
    public Answer find(String rest) {
        int slash = rest.indexOf('/');
        String token = slash < 0 ? rest : rest.substring(0, slash);
        int dot = token.indexOf('.');
        if (token.length() > MAX_TOKEN || dot < 0) {
            return Answer.refused(403, "Forbidden");
        }
        String payload = token.substring(0, dot);
        Map<?, ?> claims;
        try {
            byte[] signature = DECODE.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, sign(payload))) {
                return Answer.refused(403, "Forbidden");
            }
            List<Object> parsed = JsonText.parseArguments(new String(DECODE.decode(payload), StandardCharsets.UTF_8));
            claims = parsed.size() == 1 && parsed.get(0) instanceof Map<?, ?> map ? map : Map.of();
        } catch (IllegalArgumentException e) {
            return Answer.refused(403, "Forbidden");
        }
        if (!(claims.get("e") instanceof Number expiry)
                || expiry.longValue() < System.currentTimeMillis()
                || !(claims.get("s") instanceof String sha)
                || !SharedFile.isSha256(sha)
                || !(claims.get("n") instanceof String name)
                || !(claims.get("t") instanceof String type)) {
            return Answer.refused(403, "Forbidden: the link expired; open it again from the chat");
        }
        if (!shelf.has(sha)) {
            return Answer.refused(410, "Gone: the host made room for newer files");
        }
        String saved = FileNames.forSaving(name);
        return Answer.file(
                shelf.path(sha),
                type,
                "attachment; filename=\"" + FileNames.forHeader(saved) + "\"; filename*=UTF-8''"
                        + FileNames.encodedForHeader(saved));
    }

    private byte[] sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has HmacSHA256", e);
        }
    }
}
