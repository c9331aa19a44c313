package app.parley.host;

/** The host could not start; the message says why in words a person can act on. */
public final class HostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }
}
