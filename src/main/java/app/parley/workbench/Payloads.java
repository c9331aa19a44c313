package app.parley.workbench;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Event arguments as plain Java values (maps, lists, strings, numbers, booleans, null and
 * {@code byte[]} for binary), converted from and to org.json (socket.io-client-java's JSON),
 * written as pretty JSON for people and as plain JSON for the exported log.
 */
public final class Payloads {
    /** How many bytes of a binary argument the log shows in hex. */
    static final int HEX_PREVIEW_BYTES = 16;
    /** The key an exported binary argument is written under: {@code {"_binary": "<base64>"}}. */
    public static final String BINARY_KEY = "_binary";

    private Payloads() {}

    /** org.json values (as the library hands them over) to plain ones. */
    public static Object toPlain(Object value) {
        if (value == null || value == JSONObject.NULL) {
            return null;
        }
        if (value instanceof JSONObject object) {
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<String> keys = object.keys();
            while (keys.hasNext()) {
                String key = keys.next();
                map.put(key, toPlain(object.opt(key)));
            }
            return map;
        }
        if (value instanceof JSONArray array) {
            List<Object> list = new ArrayList<>(array.length());
            for (int i = 0; i < array.length(); i++) {
                list.add(toPlain(array.opt(i)));
            }
            return list;
        }
        return value;
    }

    /**
     * Plain values to org.json, for the library to send. {@code {"_binary": "<base64>"}} (what the
     * exported log writes for binary) is sent as binary, so typed arguments can carry bytes too.
     */
    static Object toWire(Object value) {
        if (value == null) {
            return JSONObject.NULL;
        }
        byte[] binary = binary(value);
        if (binary != null) {
            return binary;
        }
        if (value instanceof Map<?, ?> map) {
            JSONObject object = new JSONObject();
            map.forEach((k, v) -> object.put(String.valueOf(k), toWire(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            JSONArray array = new JSONArray();
            list.forEach(item -> array.put(toWire(item)));
            return array;
        }
        return value;
    }

    /** Indented JSON; binary as {@code <binary N bytes: hex…>}. */
    public static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        pretty(value, "", out);
        return out.toString();
    }

    /** A list of arguments, one pretty value after the other, separated by commas. */
    public static String prettyArguments(List<Object> args) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            out.append(i == 0 ? "" : ",\n");
            pretty(args.get(i), "", out);
        }
        return out.toString();
    }

    /** One line of compact JSON, binary as in {@link #pretty}. */
    public static String compact(List<Object> args) {
        return compact(args, false);
    }

    /** Arguments as they can be typed again: compact JSON, binary as {@code {"_binary": "<base64>"}}. */
    public static String compactForInput(List<Object> args) {
        return compact(args, true);
    }

    private static String compact(List<Object> args, boolean binaryAsInput) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            out.append(i == 0 ? "" : ", ");
            compact(args.get(i), out, binaryAsInput);
        }
        return out.toString();
    }

    /** How many bytes of binary {@code value} holds, however deep: what keeping it in a log costs. */
    public static long binaryBytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.length;
        }
        long sum = 0;
        if (value instanceof Map<?, ?> map) {
            for (Object item : map.values()) {
                sum += binaryBytes(item);
            }
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                sum += binaryBytes(item);
            }
        }
        return sum;
    }

    /** {@code <binary 3 bytes: 01 02 ff>}, the first {@value #HEX_PREVIEW_BYTES} bytes only. */
    public static String binarySummary(byte[] bytes) {
        int shown = Math.min(bytes.length, HEX_PREVIEW_BYTES);
        String hex = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, shown);
        return "<binary " + bytes.length + (bytes.length == 1 ? " byte" : " bytes") + (shown == 0 ? "" : ": " + hex)
                + (shown < bytes.length ? " …" : "") + ">";
    }

    /** For the exported file: binary becomes {@code {"_binary": "<base64>"}}, the rest stays. */
    static Object toExport(Object value) {
        if (value instanceof byte[] bytes) {
            return new JSONObject().put(BINARY_KEY, Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Map<?, ?> map) {
            JSONObject object = new JSONObject();
            map.forEach((k, v) -> object.put(String.valueOf(k), toExport(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            JSONArray array = new JSONArray();
            list.forEach(item -> array.put(toExport(item)));
            return array;
        }
        return value == null ? JSONObject.NULL : value;
    }

    /** The bytes {@code value} stands for when it is {@code {"_binary": "<base64>"}}, else null. */
    private static byte[] binary(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.get(BINARY_KEY) instanceof String base64) {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
        return null;
    }

    /** The inverse of {@link #toExport}. */
    static Object fromExport(Object value) {
        if (value instanceof JSONObject object && object.length() == 1 && object.has(BINARY_KEY)) {
            return Base64.getDecoder().decode(object.getString(BINARY_KEY));
        }
        if (value instanceof JSONObject object) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (String key : object.keySet()) {
                map.put(key, fromExport(object.get(key)));
            }
            return map;
        }
        if (value instanceof JSONArray array) {
            List<Object> list = new ArrayList<>(array.length());
            for (int i = 0; i < array.length(); i++) {
                list.add(fromExport(array.get(i)));
            }
            return list;
        }
        return value == JSONObject.NULL ? null : value;
    }

    private static void pretty(Object value, String indent, StringBuilder out) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(indent).append("  ").append(JSONObject.quote(String.valueOf(entry.getKey())));
                out.append(": ");
                pretty(entry.getValue(), indent + "  ", out);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (value instanceof List<?> list && !list.isEmpty()) {
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                out.append(indent).append("  ");
                pretty(list.get(i), indent + "  ", out);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else {
            compact(value, out);
        }
    }

    private static void compact(Object value, StringBuilder out) {
        compact(value, out, false);
    }

    private static void compact(Object value, StringBuilder out, boolean binaryAsInput) {
        if (value instanceof byte[] bytes) {
            out.append(
                    binaryAsInput
                            ? "{\"" + BINARY_KEY + "\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}"
                            : binarySummary(bytes));
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(i++ == 0 ? "" : ",").append(JSONObject.quote(String.valueOf(entry.getKey())));
                out.append(':');
                compact(entry.getValue(), out, binaryAsInput);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                compact(list.get(i), out, binaryAsInput);
            }
            out.append(']');
        } else if (value instanceof String text) {
            out.append(JSONObject.quote(text));
        } else {
            out.append(value);
        }
    }
}
