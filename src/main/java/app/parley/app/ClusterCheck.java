package app.parley.app;

import app.parley.store.PostgresCheck;
import app.parley.store.PostgresTarget;
import java.io.PrintStream;

/**
 * {@code parley-host --check-cluster}: one line per service the host options name, then a verdict;
 * exit code 0 when a host could start on them, else 1. Prints, e.g.:
 *
 * <pre>
 * PostgreSQL  ok    postgresql://db:5432/parley?user=parley: PostgreSQL 15.8 over TLS, schema version 3 (current)
 * cluster check passed
 * </pre>
 *
 * Each service is one line of the same shape, so others (Redis, for {@code --cluster}) add theirs.
 */
final class ClusterCheck {
    private ClusterCheck() {}

    static int run(PostgresTarget store, PrintStream out) {
        boolean ok = line(
                out,
                "PostgreSQL",
                store == null
                        ? new PostgresCheck(
                                false,
                                "not configured: --store not given (each host would keep its own SQLite history)")
                        : PostgresCheck.of(store));
        out.println(ok ? "cluster check passed" : "cluster check FAILED");
        out.flush();
        return ok ? 0 : 1;
    }

    private static boolean line(PrintStream out, String service, PostgresCheck check) {
        out.printf("%-11s %-5s %s%n", service, check.ok() ? "ok" : "FAIL", check.detail());
        return check.ok();
    }
}
