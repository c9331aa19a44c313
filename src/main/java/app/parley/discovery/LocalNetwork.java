package app.parley.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One IPv4 address of an interface that is up, not loopback and can multicast, with its
 * network's prefix: where DNS-SD is spoken, and what an advertised address must lie in to be
 * believed. IPv4 only: a host bound to the wildcard address accepts IPv4 only anyway.
 */
record LocalNetwork(Inet4Address address, int prefixLength, String interfaceName) {
    /** More interfaces than this (bridges, containers) are not all browsed: each costs threads. */
    static final int MAX_NETWORKS = 8;

    /** Whether {@code other} is an address of this network (same prefix), usable as a host's. */
    boolean contains(InetAddress other) {
        if (!(other instanceof Inet4Address)
                || other.isLoopbackAddress()
                || other.isMulticastAddress()
                || other.isAnyLocalAddress()) {
            return false;
        }
        int mine = toInt(address);
        int theirs = toInt((Inet4Address) other);
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (mine & mask) == (theirs & mask);
    }

    /** System property: {@code off} keeps discovery off every network (the test suite sets it). */
    static final String SWITCH = "parley.discovery";

    /** Every network of this machine, at most {@link #MAX_NETWORKS}; empty when none can be listed. */
    static List<LocalNetwork> all() {
        List<LocalNetwork> found = new ArrayList<>();
        if ("off".equals(System.getProperty(SWITCH))) {
            return List.of();
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || !nic.supportsMulticast()) {
                    continue;
                }
                for (InterfaceAddress entry : nic.getInterfaceAddresses()) {
                    if (entry.getAddress() instanceof Inet4Address v4 && found.size() < MAX_NETWORKS) {
                        found.add(new LocalNetwork(v4, entry.getNetworkPrefixLength(), nic.getName()));
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list: nothing to advertise on or browse, which is what the caller shows.
        }
        return List.copyOf(found);
    }

    /**
     * The networks a host bound to {@code bindAddress} can be reached on: all of them for the
     * wildcard, none for loopback, else the one with that address.
     */
    static List<LocalNetwork> reachedBy(String bindAddress) {
        String bind = bindAddress == null ? "" : bindAddress.strip();
        if (bind.isEmpty() || bind.equals("0.0.0.0") || bind.equals("::")) {
            return all();
        }
        InetAddress bound;
        try {
            // Numeric addresses only: a name would mean a DNS lookup, and a bound host has a number.
            if (!bind.matches("[0-9.]+")) {
                return List.of();
            }
            bound = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            return List.of();
        }
        if (bound.isLoopbackAddress()) {
            return List.of();
        }
        return all().stream().filter(n -> n.address().equals(bound)).toList();
    }

    private static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}
