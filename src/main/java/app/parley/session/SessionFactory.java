package app.parley.session;

import java.util.Set;

/** Creates sessions for the start screen; the app wires the real host and client behind it. */
public interface SessionFactory {

    /**
     * Starts hosting on {@code port} and returns this window's session (not yet opened). A
     * non-empty {@code password} is required from every joiner; {@code secure} serves
     * {@code https}/{@code wss} with the host's certificate.
     * {@code identity} is who this window chats as; {@code advertising} says whether (and as what)
     * the session is announced on the local network. Blocks until the port is bound; call it off
     * the UI thread.
     *
     * @throws SessionException when the host cannot start, with a reason meant for people
     */
    HostedSession host(
            int port,
            Set<String> allowedOrigins,
            String password,
            boolean secure,
            Identity identity,
            Advertising advertising);

    /**
     * Prepares a session joining what the person typed (not yet opened).
     *
     * @throws SessionException when the address is not usable, with a reason meant for people
     */
    ChatSession join(String typedAddress, String password, Identity identity);

    /**
     * Prepares a session joining a host found on the network (not yet opened). For a TLS host the
     * advertised fingerprint must match the certificate the connection presents, unless this
     * machine already pinned one for that address.
     *
     * @throws SessionException when the advertisement is not usable, with a reason meant for people
     */
    default ChatSession join(NearbySession nearby, String password, Identity identity) {
        return join(nearby.address(), password, identity);
    }

    /** Browsing for sessions on the local network; not yet started. */
    default NearbySessions nearby() {
        return NearbySessions.NONE;
    }
}
