package app.parley.admin;

/**
 * Who may use the Admin UI on a host ({@code --admin-user NAME --admin-password-env VAR}): the
 * name and password the UI's login form sends.
 */
public record AdminAccount(String user, String password) {
    public AdminAccount {
        if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("an admin account needs a user name and a password");
        }
    }

    /** Keeps the password out of logs and stack traces. */
    @Override
    public String toString() {
        return "AdminAccount[" + user + ", password set]";
    }
}
