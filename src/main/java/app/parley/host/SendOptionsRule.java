package app.parley.host;

import app.parley.protocol.WireCodec;
import java.util.Map;
import java.util.Optional;

/** Reads and checks the optional third argument of {@code send-message} ({@link WireCodec.SendOptions}). */
final class SendOptionsRule {
    private static final int MAX_ID_LENGTH = 64;

    private SendOptionsRule() {}

    /** The options, or none when the argument is absent or not an object (tutorial clients send none). */
    static WireCodec.SendOptions read(Object extra) {
        if (!(extra instanceof Map<?, ?> map)) {
            return WireCodec.SendOptions.NONE;
        }
        return new WireCodec.SendOptions(
                map.get("cid") instanceof String cid ? cid : null, map.get("to") instanceof String to ? to : null);
    }

    /** Why the options are refused; anything but an object is ignored, as the tutorial's extra arguments are. */
    static Optional<String> check(Object extra) {
        if (!(extra instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        Object cid = map.get("cid");
        if (cid != null && !(cid instanceof String s && isPlainId(s))) {
            return Optional.of("cid must be 1 to " + MAX_ID_LENGTH + " letters, digits, '-' or '_'");
        }
        Object to = map.get("to");
        if (to != null
                && !(to instanceof String s
                        && (s.startsWith("u:") || s.startsWith("s:"))
                        && s.length() <= MAX_ID_LENGTH)) {
            return Optional.of("to must be a user from the peers list");
        }
        return Optional.empty();
    }

    private static boolean isPlainId(String id) {
        return !id.isEmpty()
                && id.length() <= MAX_ID_LENGTH
                && id.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }
}
