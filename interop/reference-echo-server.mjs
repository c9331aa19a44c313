// The reference servers the official black-box test suites expect, on one port:
//   /socket.io/  socket.io 4.8 as configured in docs/socket.io-protocol/v5-current.md ("Test suite"):
//                on connection to `/` or `/custom` emit `auth` with the handshake's auth payload;
//                `message` is echoed as `message-back` with all its arguments (binary included);
//                `message-with-ack` is acked with the same arguments.
//   /engine.io/  a bare engine.io server as in docs/engine.io-protocol/v4-current.md ("Test suite"):
//                every message (text or binary) is sent back.
// Both: pingInterval 300 ms, pingTimeout 200 ms, maxPayload 1000000, any CORS origin; socket.io's
// connect timeout is 1000 ms. The Java conformance suite (src/test/java/app/parley/conformance/)
// runs against it in ReferenceConformanceTest.
//
//   node interop/reference-echo-server.mjs [port=0, 0 = any free port]
//
// Listens on 127.0.0.1 only, prints {"event":"listening","port":N} on stdout, and exits when stdin
// closes (the test harness's lifeline) or on SIGINT/SIGTERM.
import { createServer } from 'node:http';
import { Server as EngineServer } from 'engine.io';
import { Server } from 'socket.io';
import { emitLine } from './lib.mjs';

const [portArg = '0'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));

const engineOptions = {
  pingInterval: 300,
  pingTimeout: 200,
  maxPayload: 1_000_000,
  cors: { origin: '*' },
};

// socket.io on its own engine.io instance, so both engines can share one http server with the
// routing below (attaching both would have each one's upgrade handler race for the other's path).
const io = new Server({ connectTimeout: 1000, serveClient: false });
const socketIoEngine = new EngineServer(engineOptions);
io.bind(socketIoEngine);

for (const nsp of [io.of('/'), io.of('/custom')]) {
  nsp.on('connection', (socket) => {
    socket.emit('auth', socket.handshake.auth);
  });
}
io.of('/').on('connection', (socket) => {
  socket.on('message', (...args) => {
    socket.emit('message-back', ...args);
  });
  socket.on('message-with-ack', (...args) => {
    const ack = args.pop();
    if (typeof ack === 'function') ack(...args);
  });
});

const engineIo = new EngineServer(engineOptions);
engineIo.on('connection', (socket) => {
  socket.on('message', (data) => socket.send(data));
});

/** The engine serving `url`'s path, or null. */
function engineFor(url) {
  const path = new URL(url, 'http://127.0.0.1').pathname;
  if (path === '/socket.io/' || path === '/socket.io') return socketIoEngine;
  if (path === '/engine.io/' || path === '/engine.io') return engineIo;
  return null;
}

const httpServer = createServer((req, res) => {
  const engine = engineFor(req.url);
  if (engine) {
    engine.handleRequest(req, res);
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }
});
httpServer.on('upgrade', (req, socket, head) => {
  const engine = engineFor(req.url);
  if (engine) {
    engine.handleUpgrade(req, socket, head);
  } else {
    socket.on('error', () => {});
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  }
});

httpServer.listen(Number(portArg), '127.0.0.1', () => {
  emitLine({ event: 'listening', port: httpServer.address().port });
});

function shutdown() {
  io.close();
  engineIo.close();
  process.exit(0);
}
process.stdin.on('end', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, shutdown);
}
