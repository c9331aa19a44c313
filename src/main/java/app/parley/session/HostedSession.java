package app.parley.session;

import app.parley.sockets.SocketControl;
import app.parley.sockets.SocketInventory;
import java.util.List;
import java.util.Optional;

/** A session whose window also runs the host: the extras only a host has. */
public interface HostedSession extends ChatSession {

    /** Addresses others can join, LAN interfaces first, then localhost. */
    List<String> joinAddresses();

    /** Sends to everyone, this window included (Node: {@code io.emit}). */
    void announce(String text);

    /** What guests without Parley open in a browser, when this host serves its web client. */
    default Optional<BrowserInvite> browserInvite() {
        return Optional.empty();
    }

    /** SHA-256 of the TLS certificate served ({@code AB:CD:…}), when hosting over TLS. */
    default Optional<String> certificateFingerprint() {
        return Optional.empty();
    }

    /** Every socket connected to this host, live: what the window's Sockets pane shows. */
    default Optional<SocketInventory> socketInventory() {
        return Optional.empty();
    }

    /** Kick a socket, move it into or out of a room, as the host (empty while the host is not running). */
    default Optional<SocketControl> socketControl() {
        return Optional.empty();
    }
}
