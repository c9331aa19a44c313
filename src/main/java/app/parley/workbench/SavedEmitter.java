package app.parley.workbench;

import org.json.JSONObject;

/**
 * An emit kept for later: the event, its arguments as typed (comma-separated JSON), and whether
 * to ask for an ack and how long to wait for it.
 */
public record SavedEmitter(String name, String event, String args, boolean ack, long ackTimeoutMs) {
    JSONObject toJson() {
        return new JSONObject()
                .put("name", name)
                .put("event", event)
                .put("args", args)
                .put("ack", ack)
                .put("ackTimeoutMs", ackTimeoutMs);
    }

    static SavedEmitter fromJson(JSONObject json) {
        return new SavedEmitter(
                json.optString("name", json.optString("event", "")),
                json.optString("event", ""),
                json.optString("args", ""),
                json.optBoolean("ack", false),
                Math.max(1, json.optLong("ackTimeoutMs", 5000)));
    }

    @Override
    public String toString() {
        return name;
    }
}
