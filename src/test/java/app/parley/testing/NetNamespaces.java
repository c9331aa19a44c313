package app.parley.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test makes and removes, so multicast DNS runs on a network of its own
 * instead of the machine's: a pair joined by a veth cable ({@link #pair()}), or one namespace
 * cabled to the test JVM's own ({@link #cabledToThisProcess()}). Needs root and iproute2; without
 * them the test is skipped with the reason, unless {@code PARLEY_REQUIRE_NETNS=1} (CI) makes it fail.
 * Names carry this process's id, so namespaces left by a run that crashed are deleted by the next.
 */
public final class NetNamespaces implements AutoCloseable {
    private static final String PREFIX = "parley-t-";
    private static final long COMMAND_SECONDS = 10;

    private final List<String> namespaces;
    private final List<String> addresses;
    private final List<String> interfaces;
    private final int prefixLength;

    private NetNamespaces(List<String> namespaces, List<String> addresses, List<String> interfaces, int prefix) {
        this.namespaces = namespaces;
        this.addresses = addresses;
        this.interfaces = interfaces;
        this.prefixLength = prefix;
    }

    /** Two namespaces, 198.18.0.1 and 198.18.0.2, joined by a veth pair with a multicast route. */
    public static NetNamespaces pair() {
        requireAvailable();
        deleteStale();
        String tag = tag();
        String a = PREFIX + ProcessHandle.current().pid() + "-" + tag + "a";
        String b = PREFIX + ProcessHandle.current().pid() + "-" + tag + "b";
        String ifA = "pv" + tag + "a";
        String ifB = "pv" + tag + "b";
        NetNamespaces made =
                new NetNamespaces(List.of(a, b), List.of("198.18.0.1", "198.18.0.2"), List.of(ifA, ifB), 24);
        try {
            ip("netns", "add", a);
            ip("netns", "add", b);
            ip("link", "add", ifA, "netns", a, "type", "veth", "peer", "name", ifB, "netns", b);
            made.configure(a, ifA, "198.18.0.1");
            made.configure(b, ifB, "198.18.0.2");
            return made;
        } catch (RuntimeException e) {
            made.close();
            throw e;
        }
    }

    /**
     * One namespace cabled to this process's own: the test JVM gets interface
     * {@link #interfaceName(int) interfaceName(0)} with {@link #address(int) address(0)}, the namespace
     * the other end with address(1). The subnet is drawn at random from 198.18.0.0/15 so runs side by
     * side do not share one.
     */
    public static NetNamespaces cabledToThisProcess() {
        requireAvailable();
        deleteStale();
        String tag = tag();
        String ns = PREFIX + ProcessHandle.current().pid() + "-" + tag + "n";
        String here = "pv" + tag + "h";
        String there = "pv" + tag + "t";
        int third = ThreadLocalRandom.current().nextInt(1, 255);
        String mine = "198.19." + third + ".1";
        String theirs = "198.19." + third + ".2";
        NetNamespaces made = new NetNamespaces(List.of(ns), List.of(mine, theirs), List.of(here, there), 24);
        try {
            ip("netns", "add", ns);
            ip("link", "add", here, "type", "veth", "peer", "name", there, "netns", ns);
            ip("addr", "add", mine + "/24", "dev", here);
            ip("link", "set", here, "multicast", "on", "up");
            made.configure(ns, there, theirs);
            return made;
        } catch (RuntimeException e) {
            ip("link", "del", here); // gone with the namespace too; this covers a half-made pair
            made.close();
            throw e;
        }
    }

    private void configure(String ns, String nic, String address) {
        ip("-n", ns, "link", "set", "lo", "up");
        ip("-n", ns, "addr", "add", address + "/" + prefixLength, "dev", nic);
        ip("-n", ns, "link", "set", nic, "multicast", "on", "up");
        ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", nic);
    }

    /** Adds {@code cidr} (e.g. {@code 10.77.0.1/24}) to this process's end of the cable. */
    public void addAddressHere(String cidr) {
        ip("addr", "add", cidr, "dev", interfaces.get(0));
    }

    /** The namespace's name, for {@link #command}. */
    public String namespace(int index) {
        return namespaces.get(index);
    }

    public String address(int index) {
        return addresses.get(index);
    }

    public String interfaceName(int index) {
        return interfaces.get(index);
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** {@code command} run inside namespace {@code index}. */
    public ProcessBuilder command(int index, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespaces.get(index)));
        full.addAll(command);
        return new ProcessBuilder(full);
    }

    /** Deletes the namespaces (their veth ends go with them); safe to call twice. */
    @Override
    public void close() {
        for (String ns : namespaces) {
            run(List.of("ip", "netns", "del", ns));
        }
    }

    private static void requireAvailable() {
        String reason = null;
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            reason = "network namespaces are Linux only";
        } else if (!"0".equals(output(List.of("id", "-u")).strip())) {
            reason = "making network namespaces needs root";
        } else if (run(List.of("ip", "netns", "list")) != 0) {
            reason = "iproute2 (the ip command) with network namespaces is not available";
        }
        if (reason != null) {
            if ("1".equals(System.getenv("PARLEY_REQUIRE_NETNS"))) {
                fail("PARLEY_REQUIRE_NETNS=1 but " + reason);
            }
            abort("Skipped: " + reason + " (set PARLEY_REQUIRE_NETNS=1 to make this a failure)");
        }
    }

    /** Namespaces of test runs whose process is gone. */
    private static void deleteStale() {
        for (String line : output(List.of("ip", "netns", "list")).split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = name.substring(PREFIX.length()).split("-");
            try {
                long pid = Long.parseLong(parts[0]);
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
            } catch (NumberFormatException e) {
                // not ours after all; a name we cannot read is left alone
                continue;
            }
            run(List.of("ip", "netns", "del", name));
        }
    }

    private static String tag() {
        return Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        StringBuilder out = new StringBuilder();
        int code = run(command, out);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + code + "): " + out);
        }
    }

    private static int run(List<String> command) {
        return run(command, new StringBuilder());
    }

    private static String output(List<String> command) {
        StringBuilder out = new StringBuilder();
        run(command, out);
        return out.toString();
    }

    private static int run(List<String> command, StringBuilder out) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            out.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException e) {
            out.append(e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
