package app.parley.join;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/** Converts between org.json (socket.io-client-java's JSON) and plain Java maps and lists. */
final class JsonTrees {
    private JsonTrees() {}

    static Object toPlain(Object value) {
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
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < array.length(); i++) {
                list.add(toPlain(array.opt(i)));
            }
            return list;
        }
        return value;
    }

    static List<Object> toPlainList(Object[] args) {
        List<Object> list = new ArrayList<>(args.length);
        for (Object arg : args) {
            list.add(toPlain(arg));
        }
        return list;
    }

    static Object toJson(Object value) {
        if (value == null) {
            return JSONObject.NULL;
        }
        if (value instanceof Map<?, ?> map) {
            JSONObject object = new JSONObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                try {
                    object.put(String.valueOf(entry.getKey()), toJson(entry.getValue()));
                } catch (JSONException e) {
                    throw new IllegalArgumentException("Cannot encode " + entry.getKey() + ": " + e.getMessage(), e);
                }
            }
            return object;
        }
        if (value instanceof List<?> list) {
            JSONArray array = new JSONArray();
            for (Object item : list) {
                array.put(toJson(item));
            }
            return array;
        }
        return value;
    }
}
