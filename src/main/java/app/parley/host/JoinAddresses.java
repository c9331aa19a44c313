package app.parley.host;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The URLs others can type to join a host. */
final class JoinAddresses {
    private JoinAddresses() {}

    static List<String> of(String bindAddress, int port) {
        List<String> urls = new ArrayList<>();
        if (isWildcard(bindAddress)) {
            urls.addAll(lanAddresses(port));
        } else if (!isLoopback(bindAddress)) {
            urls.add(url(bindAddress, port));
        }
        urls.add("http://localhost:" + port);
        return urls;
    }

    /**
     * What a certificate made on this machine names: {@code localhost}, the machine's host name,
     * the loopback addresses and every address others can join at (as {@link #of} lists them for
     * a host on all interfaces). A snapshot: addresses that come later are not in it, which is
     * why joiners pin the certificate's fingerprint rather than check its names.
     */
    static List<String> certificateNames() {
        Set<String> names = new LinkedHashSet<>(List.of("localhost"));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.isBlank()) {
                names.add(host);
            }
        } catch (UnknownHostException e) {
            // No resolvable host name: the addresses still name the machine.
        }
        names.add("127.0.0.1");
        names.add("::1");
        for (String host : lanHosts()) {
            names.add(host.replaceAll("%.*$", ""));
        }
        return List.copyOf(names);
    }

    private static List<String> lanAddresses(int port) {
        List<String> urls = new ArrayList<>();
        for (String host : lanHosts()) {
            urls.add(url(host, port));
        }
        return urls;
    }

    /** The addresses of every interface that is up, IPv4 first, no loopback or link-local. */
    private static List<String> lanHosts() {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        v4.add(address.getHostAddress());
                    } else if (address instanceof Inet6Address && !address.isLinkLocalAddress()) {
                        v6.add(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list: localhost is still offered.
        }
        v4.addAll(v6);
        return v4;
    }

    private static String url(String host, int port) {
        String h = host.contains(":") ? "[" + compressIpv6(host.replaceAll("%.*$", "")) + "]" : host;
        return "http://" + h + ":" + port;
    }

    /** {@code fd00:0:0:0:0:0:0:2} → {@code fd00::2}: the form people type (RFC 5952). */
    static String compressIpv6(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].matches("0+")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static boolean isWildcard(String bind) {
        return bind == null || bind.isBlank() || bind.equals("0.0.0.0") || bind.equals("::");
    }

    private static boolean isLoopback(String bind) {
        return bind.equals("127.0.0.1") || bind.equals("localhost") || bind.equals("::1");
    }
}
