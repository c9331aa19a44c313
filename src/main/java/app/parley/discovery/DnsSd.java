package app.parley.discovery;

/** What Parley's DNS-SD advertisement looks like on the wire (docs/PROTOCOL.md, "Finding hosts"). */
final class DnsSd {
    private DnsSd() {}

    /** The service type, fully qualified as JmDNS wants it. */
    static final String SERVICE_TYPE = "_parley._tcp.local.";
    /** The only Socket.IO path a Parley client joins. */
    static final String SOCKET_IO_PATH = "/socket.io/";

    static final String VERSION = "v";
    static final String PATH = "path";
    static final String TLS = "tls";
    static final String FINGERPRINT = "fp";
    static final String PASSWORD = "pw";
    static final String WEB = "web";

    /** A DNS label's limit, which the instance name is. */
    static final int MAX_NAME_BYTES = 63;
}
