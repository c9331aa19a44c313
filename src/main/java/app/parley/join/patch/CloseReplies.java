package app.parley.join.patch;

import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * WebSockets that answer the server's close frame, as RFC 6455 (§5.5.1) requires. OkHttp leaves
 * the answer to its listener, and engine.io-client's listener never gives it: after a server
 * closes cleanly (a Node.js server's {@code io.close()}, a frame over its size limit) the client
 * stops reading and sits on the half-open socket until its ping timeout, 45 s with Node's defaults,
 * showing a connection that is gone. Answering lets OkHttp finish the close, and the library then
 * reports the transport closed and the client reconnects at once. The workbench console uses it;
 * the chat client's WebSockets are Netty's, which answer by themselves (join/NettyWebSockets).
 */
public final class CloseReplies implements WebSocket.Factory {
    /** Always a code one may send: the server's may be one only a receiver reports (1005, 1006). */
    private static final int NORMAL = 1000;

    private final WebSocket.Factory sockets;

    private CloseReplies(WebSocket.Factory sockets) {
        this.sockets = sockets;
    }

    /** {@code sockets} answering the server's close frame, or {@code sockets} itself when the patches are off. */
    public static WebSocket.Factory around(WebSocket.Factory sockets) {
        return ClientLibraryPatches.enabled() ? new CloseReplies(sockets) : sockets;
    }

    @Override
    public WebSocket newWebSocket(Request request, WebSocketListener listener) {
        return sockets.newWebSocket(request, new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                listener.onOpen(webSocket, response);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                listener.onMessage(webSocket, text);
            }

            @Override
            public void onMessage(WebSocket webSocket, ByteString bytes) {
                listener.onMessage(webSocket, bytes);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                listener.onClosing(webSocket, code, reason);
                webSocket.close(NORMAL, null);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                listener.onClosed(webSocket, code, reason);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
                listener.onFailure(webSocket, failure, response);
            }
        });
    }
}
