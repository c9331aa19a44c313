package app.parley.session;

/** A request the server refused or did not answer; the message is meant for people. */
public final class SessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionException(String message) {
        super(message);
    }
}
