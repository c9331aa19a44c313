package app.parley.session;

import java.util.Objects;

/**
 * Who this person is to the hosts they talk to.
 *
 * @param name    the nickname they asked for (the host may refuse it or, when taken, grant a variant)
 * @param userKey a random secret made once per installation; the host keeps only a digest of it,
 *                which stays the same across reconnects and restarts, so direct-message history
 *                and unacknowledged messages follow the person rather than the connection
 */
public record Identity(String name, String userKey) {
    public Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(userKey, "userKey");
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "Identity[" + name + "]";
    }
}
