package app.parley.store;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.postgresql.util.PSQLException;

/** PostgreSQL's errors, said in words a person can act on (the one place pgjdbc's are wrapped). */
final class PostgresFailures {
    private PostgresFailures() {}

    static StoreException of(PostgresTarget target, String action, SQLException e) {
        // What becomes of a refused write: the reason goes back to its sender too.
        String then = action.equals("write") && unreachable(e)
                ? ". Messages sent meanwhile are refused, not lost: Parley's client offers to send them again"
                : "";
        return new StoreException(
                "Cannot " + action + " chat history in the " + target.describe() + ": " + why(target, e) + then, e);
    }

    /** Whether PostgreSQL could not be reached or is going down: the same request may work in a moment. */
    static boolean unreachable(SQLException e) {
        String state = state(e);
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    /** A transaction that lost a race with another host's (a deadlock, or the same client id at once): run it again. */
    static boolean lostRace(SQLException e) {
        String state = state(e);
        return "40001".equals(state) || "40P01".equals(state) || "23505".equals(state);
    }

    private static String why(PostgresTarget target, SQLException e) {
        String state = state(e);
        Throwable root = root(e);
        if (root instanceof UnknownHostException) {
            return "the host name " + target.host() + " is unknown";
        }
        if (root instanceof ConnectException || root instanceof SocketTimeoutException) {
            return "PostgreSQL does not answer at " + target.host() + ":" + target.port() + " (" + root.getMessage()
                    + "); is it running, and does it listen there?";
        }
        if (state == null) {
            return String.valueOf(root.getMessage()); // no SQLState: pgjdbc's or HikariCP's own words, no values
        }
        return switch (state) {
            case "28P01" ->
                "PostgreSQL refused user " + target.user() + " (" + message(e) + "). Put the right"
                        + " password in PGPASSWORD or ~/.pgpass";
            case "28000" ->
                "PostgreSQL refused user " + target.user() + " (" + message(e) + "). Allow it in"
                        + " pg_hba.conf, or add sslmode=require to --store where that asks for TLS";
            case "08004" ->
                "PostgreSQL refused user " + target.user() + " (" + message(e) + "). When it asks for a"
                        + " password, put it in PGPASSWORD or ~/.pgpass";
            case "3D000" ->
                "the database " + target.database() + " does not exist; create it (docs/DEPLOY.md,"
                        + " \"PostgreSQL\")";
            case "42501" ->
                "user " + target.user() + " lacks a privilege (" + message(e) + "); make it the"
                        + " database's owner (docs/DEPLOY.md, \"PostgreSQL\")";
            case "53100" -> "PostgreSQL's disk is full";
            case "53300" -> "PostgreSQL has too many connections; raise max_connections or run fewer hosts";
            case "57P01", "57P02", "57P03" -> "PostgreSQL is restarting or shutting down; try again in a moment";
            default ->
                state.startsWith("08")
                        ? "the connection to PostgreSQL failed (" + message(e) + "); try again in a moment"
                        : message(e);
        };
    }

    /** The first SQLState in the chain: HikariCP's "not available" wraps pgjdbc's reason. */
    private static String state(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /**
     * PostgreSQL's own words, without its detail, nor pgjdbc's copy of a failed batch: those name
     * the values, and a reason goes back to the people whose messages were in the batch.
     */
    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            SQLException next = t instanceof SQLException sql ? sql.getNextException() : null;
            for (Throwable candidate : new Throwable[] {t, next}) {
                if (candidate instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                    return psql.getServerErrorMessage().getMessage();
                }
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && !(t instanceof BatchUpdateException)) {
                return sql.getMessage();
            }
        }
        return "PostgreSQL failed (" + state(e) + ")";
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 20 && t.getCause() != null && t.getCause() != t; i++) {
            t = t.getCause();
        }
        return t;
    }
}
