package app.parley.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The cluster benchmark's engines (bench/run.sh, BENCH_ONLY=cluster): a real {@code redis-server}
 * and PostgreSQL of its own, started as the tests start theirs, for the length of the benchmark.
 *
 * <p>Prints {@code redis URL PID} and {@code postgres PID} (the postmaster: its children are the
 * backends), then {@code ready}. Each line {@code database} read from standard input answers with
 * {@code database URL}: a fresh, empty database for the next round's hosts. Closing standard
 * input stops both engines and removes their data.
 */
public final class BenchEngines {
    private BenchEngines() {}

    public static void main(String[] args) throws Exception {
        try (RedisServer redis = RedisServer.start();
                PostgresServer postgres = PostgresServer.start()) {
            System.out.println("redis " + redis.url() + " " + redis.pid());
            System.out.println("postgres " + postgres.postmasterPid());
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.strip().equals("database")) {
                    System.out.println("database " + postgres.freshDatabase());
                } else {
                    System.out.println("error: unknown request " + line.strip());
                }
                System.out.flush();
            }
        }
    }
}
