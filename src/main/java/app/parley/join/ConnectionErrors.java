package app.parley.join;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.json.JSONObject;

/** Turns the client library's errors into sentences a person can act on. */
final class ConnectionErrors {
    private ConnectionErrors() {}

    static String describe(Object error, String endpoint) {
        if (error instanceof JSONObject json) {
            return "The server refused the connection: " + json.optString("message", json.toString()) + ".";
        }
        Throwable cause = error instanceof Throwable t ? rootCause(t) : null;
        if (cause instanceof ConnectException) {
            return "Nothing is listening at " + endpoint + " (connection refused).";
        }
        if (cause instanceof UnknownHostException) {
            return "The host name in " + endpoint + " is unknown.";
        }
        if (cause instanceof SocketTimeoutException
                || (error instanceof Throwable t && "timeout".equals(t.getMessage()))) {
            return "No answer from " + endpoint + " (timed out).";
        }
        if (cause instanceof SSLException) {
            return "A secure connection to " + endpoint + " failed: " + cause.getMessage() + ".";
        }
        if (error instanceof Throwable t
                && t.getMessage() != null
                && t.getMessage().contains("xhr poll error")) {
            return "Could not reach " + endpoint + ": "
                    + (cause != null && cause != t ? cause.getMessage() : "the server did not answer") + ".";
        }
        return "Could not connect to " + endpoint + (error == null ? "." : ": " + messageOf(error) + ".");
    }

    static String describeDisconnect(String reason) {
        return switch (reason) {
            case "io server disconnect" -> "The server closed the connection.";
            case "io client disconnect" -> "You left the session.";
            case "ping timeout" -> "The connection went quiet (ping timeout).";
            case "transport close" -> "The connection was closed.";
            case "transport error" -> "The connection failed.";
            default -> "Disconnected" + (reason.isEmpty() ? "." : " (" + reason + ").");
        };
    }

    private static String messageOf(Object error) {
        if (error instanceof Throwable t) {
            Throwable root = rootCause(t);
            return root.getMessage() != null
                    ? root.getMessage()
                    : root.getClass().getSimpleName();
        }
        return String.valueOf(error);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }
}
