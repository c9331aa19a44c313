// A bare WebSocket server (the `ws` package socket.io itself uses, no Engine.IO) for the tests of
// Parley's client WebSockets (join/NettyWebSockets): it echoes every message as it came (text as
// text, binary as binary), refuses the upgrade on the path /refuse with 403, never answers it on
// /silent (printing {"event":"dropped"} once the client lets go), and closes every connection
// with code 4000 on command.
//
//   node interop/ws-peer.mjs
//
// Listens on 127.0.0.1 (any free port) and prints {"event":"listening","port":N}; for each
// connection that ends, {"event":"closed","code":N,"reason":"..."} (the code the client sent
// back, or 1006 for none). Commands on stdin, one JSON object a line:
//   {"op":"close-all"}  closes every connection with 4000 "bye"
//   {"op":"reset-all"}  resets every connection (a TCP RST, no close frame)
// Exits when stdin closes (the test harness's lifeline).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { emitLine, readCommands } from './lib.mjs';

const httpServer = createServer();
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

httpServer.on('upgrade', (request, socket, head) => {
  if (request.url.startsWith('/silent')) {
    // never answers the upgrade; says when the client lets go
    socket.on('close', () => emitLine({ event: 'dropped' }));
    socket.on('error', () => {});
    socket.on('end', () => socket.destroy()); // the server's sockets are half-open: close ours too
    socket.resume(); // reads (and drops) what comes, so the client's leaving is seen
    return;
  }
  if (request.url.startsWith('/refuse')) {
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(request, socket, head, (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('close', (code, reason) => emitLine({ event: 'closed', code, reason: reason.toString() }));
  });
});

readCommands((command) => {
  if (command.op === 'close-all') {
    wss.clients.forEach((ws) => ws.close(4000, 'bye'));
  } else if (command.op === 'reset-all') {
    wss.clients.forEach((ws) => ws._socket.resetAndDestroy());
  } else {
    emitLine({ event: 'error', detail: `unknown op ${command.op}` });
  }
});

httpServer.listen(0, '127.0.0.1', () => emitLine({ event: 'listening', port: httpServer.address().port }));
