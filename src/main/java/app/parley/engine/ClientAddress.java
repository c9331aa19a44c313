package app.parley.engine;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who a client is when a reverse proxy the host trusts stands between: the last address the
 * request's {@code X-Forwarded-For} names, which that proxy appended (nginx's
 * {@code $proxy_add_x_forwarded_for}, HAProxy's {@code option forwardfor}); earlier entries came
 * from the client and prove nothing. From anyone else the header is ignored, so nobody can pose
 * as another address by sending it.
 */
public final class ClientAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ClientAddress() {}

    /** {@code peer}, or the client its trusted proxy forwarded (its port unknown: 0). */
    public static InetSocketAddress of(InetSocketAddress peer, HttpHeaders headers, Set<InetAddress> trusted) {
        if (trusted.isEmpty() || peer == null || !trusted.contains(peer.getAddress())) {
            return peer;
        }
        List<String> values = headers.getAll("X-Forwarded-For");
        if (values.isEmpty()) {
            return peer;
        }
        String all = values.get(values.size() - 1);
        String last = all.substring(all.lastIndexOf(',') + 1).strip();
        InetAddress client = literal(last);
        return client == null ? peer : new InetSocketAddress(client, 0);
    }

    /** An IP address written out, or null: never a name, which would mean a DNS lookup. */
    static InetAddress literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v6 = bare.indexOf(':') >= 0 && IPV6.matcher(bare).matches();
        if (!v6 && !IPV4.matcher(bare).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address as {@code --trusted-proxy} gives it. */
    public static InetAddress parse(String text) {
        InetAddress address = literal(text.strip());
        if (address == null) {
            throw new IllegalArgumentException(
                    "--trusted-proxy takes IP addresses such as 10.0.0.2, not \"" + text + "\"");
        }
        return address;
    }
}
