package app.parley.app;

import app.parley.cluster.ClusterTarget;
import app.parley.cluster.RedisCheck;
import app.parley.store.PostgresCheck;
import app.parley.store.PostgresTarget;
import java.io.PrintStream;

/**
 * {@code parley-host --check-cluster}: one line per service the host options name, then a verdict;
 * exit code 0 when a host could start on them, else 1. Prints, e.g.:
 *
 * <pre>
 * PostgreSQL  ok    postgresql://db:5432/parley?user=parley: PostgreSQL 15.8 over TLS, schema version 3 (current)
 * Redis       ok    redis://10.0.0.5:6379: Redis 7.0.15, stream socket.io holds 812 entries
 * cluster check passed
 * </pre>
 *
 * Each service is one line of the same shape; Redis has its line when {@code --cluster} names one.
 */
final class ClusterCheck {
    private ClusterCheck() {}

    static int run(PostgresTarget store, ClusterTarget cluster, PrintStream out) {
        boolean ok = line(
                out,
                "PostgreSQL",
                store == null
                        ? new PostgresCheck(
                                false,
                                "not configured: --store not given (each host would keep its own SQLite history)")
                        : PostgresCheck.of(store));
        if (cluster != null) {
            RedisCheck redis = RedisCheck.of(cluster);
            ok &= line(out, "Redis", redis.ok(), redis.detail());
        }
        out.println(ok ? "cluster check passed" : "cluster check FAILED");
        out.flush();
        return ok ? 0 : 1;
    }

    private static boolean line(PrintStream out, String service, PostgresCheck check) {
        return line(out, service, check.ok(), check.detail());
    }

    private static boolean line(PrintStream out, String service, boolean ok, String detail) {
        out.printf("%-11s %-5s %s%n", service, ok ? "ok" : "FAIL", detail);
        return ok;
    }
}
