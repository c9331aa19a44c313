package app.parley.join.patch;

import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * HTTP calls for the polling transport. A long poll of an open session (a GET with a
 * {@code sid}) gets a connection of its own and is never retried by OkHttp: one it quietly
 * sent again after a reset would fetch the next batch while the server counts the lost one as
 * delivered, a gap nobody sees. Failing instead makes the client reconnect and resume from
 * what it has (docs/PROTOCOL.md §4.9). Everything else keeps OkHttp's retry, which also covers
 * servers that close the connection after every poll.
 */
public final class PollingCalls {
    private PollingCalls() {}

    /** The polling transport's calls over {@code http}, or {@code http} itself when the patches are off. */
    public static Call.Factory over(OkHttpClient http) {
        if (!ClientLibraryPatches.enabled()) {
            return http;
        }
        // Its own pool: a connection kept alive from an earlier request may have been closed by
        // the server, and without a retry that would fail the poll.
        OkHttpClient noRetry = http.newBuilder()
                .retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool())
                .build();
        return request -> {
            boolean longPoll = "GET".equals(request.method()) && request.url().queryParameter("sid") != null;
            return longPoll
                    ? noRetry.newCall(
                            request.newBuilder().header("Connection", "close").build())
                    : http.newCall(request);
        };
    }
}
