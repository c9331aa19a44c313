package app.parley.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/**
 * Whether the cluster's Redis is ready for hosts ({@code parley-host --check-cluster}): it answers,
 * takes the credentials, and is new enough for streams (5.0). The detail says what was found, or
 * what to fix.
 */
public record RedisCheck(boolean ok, String detail) {
    /** Redis 5.0 brought streams, which the adapter's wire format is built on. */
    private static final int NEEDED_MAJOR = 5;

    public static RedisCheck of(ClusterTarget target) {
        RedisClient client = RedisStreamsBus.client(target);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setTimeout(Duration.ofSeconds(10));
            String version = field(connection.sync().info("server"), "redis_version");
            long entries = connection.sync().xlen(RedisStreamsBus.STREAM);
            String found = target + ": Redis " + version + (target.tls() ? " over TLS" : "") + ", stream "
                    + RedisStreamsBus.STREAM + " holds " + entries + " entries";
            if (major(version) < NEEDED_MAJOR) {
                return new RedisCheck(false, found + "; Redis " + NEEDED_MAJOR + ".0 or newer is needed (streams)");
            }
            return new RedisCheck(true, found);
        } catch (RuntimeException e) {
            return new RedisCheck(false, target + ": " + RedisStreamsBus.rootMessage(e));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return "(version unknown)";
    }

    private static int major(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
