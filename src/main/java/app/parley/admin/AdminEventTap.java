package app.parley.admin;

import app.parley.engine.EventTap;
import com.corundumstudio.socketio.SocketIONamespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ALL_EVENTS}: each event a socket receives or is sent, as {@code event_received(nsp, id,
 * [event, ...args], time)} and {@code event_sent(…)} to every admin, as the official server's
 * {@code onAny}/{@code onAnyOutgoing} in development mode. Free while no admin is connected; the
 * admin namespace's own traffic is never reported (it would report itself). Binary arguments are
 * shown by size, not copied to every admin.
 */
final class AdminEventTap implements EventTap {
    private final SocketIONamespace admins;
    private final AtomicInteger watching = new AtomicInteger();

    AdminEventTap(SocketIONamespace admins) {
        this.admins = admins;
        admins.addConnectListener(client -> watching.incrementAndGet());
        admins.addDisconnectListener(client -> watching.decrementAndGet());
    }

    @Override
    public void received(UUID socket, String namespace, String event, List<Object> args) {
        report("event_received", socket, namespace, event, args);
    }

    @Override
    public void sent(UUID socket, String namespace, String event, List<Object> args) {
        report("event_sent", socket, namespace, event, args);
    }

    private void report(String what, UUID socket, String namespace, String event, List<Object> args) {
        if (watching.get() <= 0 || AdminNamespace.NAME.equals(namespace)) {
            return;
        }
        List<Object> shown = new ArrayList<>(args.size() + 1);
        shown.add(event);
        for (Object arg : args) {
            shown.add(withoutBytes(arg));
        }
        admins.getBroadcastOperations().sendEvent(what, namespace, socket.toString(), shown, AdminWire.now());
    }

    /** A copy with each {@code byte[]} replaced by its size: a file's chunks stay with their readers. */
    private static Object withoutBytes(Object value) {
        if (value instanceof byte[] bytes) {
            return "<" + bytes.length + " bytes>";
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(withoutBytes(element)));
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, element) -> copy.put(key, withoutBytes(element)));
            return copy;
        }
        return value;
    }
}
