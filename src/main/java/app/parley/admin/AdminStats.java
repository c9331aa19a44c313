package app.parley.admin;

import app.parley.sockets.SocketInventory;
import app.parley.sockets.Traffic;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@code server_stats}: who the server is, how many connections it has, its namespaces' socket
 * counts, and (the {@code AGGREGATED_EVENTS} feature) what happened since the last report, per
 * second: connections, disconnections by reason, packets and bytes each way.
 */
final class AdminStats {
    private final SocketInventory inventory;
    private final IntSupplier clients;
    private final List<String> namespaces;
    private final String hostname = hostname();
    private final long pid = ProcessHandle.current().pid();
    /**
     * In a cluster, the port this host listens on: other servers' admins see its reports too, and
     * its id must tell it from another host on the same machine. 0 on a host alone.
     */
    private final IntSupplier clusteredPort;

    /** What the last report had counted; guarded by this. */
    private Traffic reported;

    /** Connections and disconnections since the last report, one entry per second, type and reason. */
    private final Map<String, Map<String, Object>> pending = new LinkedHashMap<>();

    AdminStats(SocketInventory inventory, IntSupplier clients, List<String> namespaces, IntSupplier clusteredPort) {
        this.inventory = inventory;
        this.clusteredPort = clusteredPort;
        this.clients = clients;
        this.namespaces = namespaces;
        this.reported = inventory.totalTraffic();
    }

    synchronized void connected() {
        count("rawConnection", null);
    }

    synchronized void disconnected(String reason) {
        count("rawDisconnection", reason);
    }

    /** As the official server's event buffer: one entry per second, type and sub-type, with a count. */
    private void count(String type, String subType) {
        Map<String, Object> event = event(type, subType, 0);
        String key = event.get("timestamp") + ";" + type + ";" + subType;
        pending.computeIfAbsent(key, k -> event).merge("count", 1L, (a, b) -> (Long) a + (Long) b);
    }

    /**
     * @param drain whether this report takes the events gathered since the last (the periodic one
     *              does; the one a new admin gets on connect only reads the counts)
     */
    synchronized Map<String, Object> snapshot(boolean drain) {
        Map<String, Object> stats = new LinkedHashMap<>();
        int port = clusteredPort.getAsInt();
        stats.put("serverId", port > 0 ? hostname + ":" + port : hostname);
        stats.put("hostname", hostname);
        stats.put("pid", pid);
        stats.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        stats.put("clientsCount", clients.getAsInt());
        stats.put("pollingClientsCount", AdminNamespace.pollingConnections(inventory));
        List<Map<String, Object>> events = new ArrayList<>();
        if (drain) {
            Traffic now = inventory.totalTraffic();
            add(events, "packetsIn", now.messagesIn() - reported.messagesIn());
            add(events, "bytesIn", now.bytesIn() - reported.bytesIn());
            add(events, "packetsOut", now.messagesOut() - reported.messagesOut());
            add(events, "bytesOut", now.bytesOut() - reported.bytesOut());
            reported = now;
            events.addAll(pending.values());
            pending.clear();
        }
        stats.put("aggregatedEvents", events);
        List<Map<String, Object>> details = new ArrayList<>();
        for (String name : namespaces) {
            details.add(Map.of("name", name, "socketsCount", inventory.count(name)));
        }
        stats.put("namespaces", details);
        return stats;
    }

    private static void add(List<Map<String, Object>> events, String type, long count) {
        if (count > 0) {
            events.add(event(type, null, count));
        }
    }

    /** One aggregated event, timed to the second as the official server's buffer keys them. */
    private static Map<String, Object> event(String type, String subType, long count) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("timestamp", Instant.now().toEpochMilli() / 1000 * 1000);
        event.put("type", type);
        if (subType != null) {
            event.put("subType", subType);
        }
        event.put("count", count);
        return event;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "parley";
        }
    }
}
