package app.parley.workbench;

import app.parley.protocol.JsonText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON typed by a person: an object (the handshake {@code auth}, headers, query) or a list of
 * event arguments. Errors are {@link IllegalArgumentException}s whose message says where and what,
 * for the form to show beside the field.
 */
public final class JsonInput {
    private JsonInput() {}

    /** A JSON object; blank text is an empty one. Nested objects and arrays are kept as maps and lists. */
    public static Map<String, Object> object(String text) {
        List<Object> values = JsonText.parseArguments(text);
        if (values.isEmpty()) {
            return Map.of();
        }
        if (values.size() != 1 || !(values.get(0) instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("Expected one JSON object, like {\"token\": \"abc\"}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) values.get(0);
        return object;
    }

    /** A JSON object whose values are strings or numbers or booleans (headers and query), as strings. */
    public static Map<String, String> flatObject(String text) {
        Map<String, String> flat = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : object(text).entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> || value instanceof List<?> || value == null) {
                throw new IllegalArgumentException(
                        "\"" + entry.getKey() + "\" needs a plain value (text, number or true/false)");
            }
            flat.put(entry.getKey(), String.valueOf(value));
        }
        return flat;
    }

    /** Comma-separated JSON values, as between the parentheses of {@code socket.emit("event", …)}. */
    public static List<Object> arguments(String text) {
        return JsonText.parseArguments(text);
    }

    /** The problem with {@code text} as {@link #object}, or empty when it is fine. */
    public static String objectProblem(String text) {
        try {
            object(text);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The problem with {@code text} as {@link #flatObject}, or empty when it is fine. */
    public static String flatObjectProblem(String text) {
        try {
            flatObject(text);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The problem with {@code text} as {@link #arguments}, or empty when it is fine. */
    public static String argumentsProblem(String text) {
        try {
            arguments(text);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
