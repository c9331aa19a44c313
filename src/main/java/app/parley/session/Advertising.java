package app.parley.session;

import java.util.Objects;

/**
 * Whether a host announces itself on the local network, and under which name.
 *
 * @param enabled     "Let others on this network find this session"
 * @param sessionName the name others see in their list (the host person's name by default)
 */
public record Advertising(boolean enabled, String sessionName) {
    public Advertising {
        Objects.requireNonNull(sessionName, "sessionName");
    }

    public static final Advertising OFF = new Advertising(false, "");
}
