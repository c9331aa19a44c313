// A socket.io 4.8 server for the workbench tests (WorkbenchConnectionTest): it does what the
// reference echo server does not, so every part of the workbench meets a real Node server.
//   on connection (any namespace): emits `auth` with socket.handshake.auth, and prints
//     {"event":"connected","nsp","auth","query","header"} (query and the x-workbench header as received)
//   `echo-ack` (...args, ack): acks with the same arguments
//   `message` (...args): emitted back as `message-back` (binary included)
//   `ask` (question): emits `question` with an ack and a 20 s timeout; prints
//     {"event":"answer","answer":[...]} with what the client answered, or {"event":"answer","error":"..."}
//   `send-binary` (n): emits `binary` with a Buffer of n bytes 0, 1, 2, …
//   `no-ack` (..., ack): never answers, for the client's ack timeout
//
//   node interop/workbench-server.mjs [port=0] [path=/socket.io]
//
// Listens on 127.0.0.1 only, prints {"event":"listening","port":N}, exits when stdin closes.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { emitLine } from './lib.mjs';

const [portArg = '0', path = '/socket.io'] = process.argv.slice(2);
const httpServer = createServer();
const io = new Server(httpServer, { path, cors: { origin: '*' }, pingInterval: 2000, pingTimeout: 2000 });

function serve(socket) {
  emitLine({
    event: 'connected',
    nsp: socket.nsp.name,
    auth: socket.handshake.auth,
    query: socket.handshake.query,
    header: socket.handshake.headers['x-workbench'] ?? null,
    transport: socket.conn.transport.name,
  });
  socket.emit('auth', socket.handshake.auth);
  socket.on('echo-ack', (...args) => {
    const ack = args.pop();
    if (typeof ack === 'function') ack(...args);
  });
  socket.on('message', (...args) => socket.emit('message-back', ...args));
  socket.on('ask', (question) => {
    socket.timeout(20000).emit('question', question, (err, ...answer) => {
      emitLine(err ? { event: 'answer', error: err.message } : { event: 'answer', answer });
    });
  });
  socket.on('send-binary', (n) => {
    const size = Math.max(0, Math.min(Number(n) || 0, 1_000_000));
    socket.emit('binary', Buffer.from(Array.from({ length: size }, (_, i) => i % 256)));
  });
  socket.on('no-ack', () => {});
}
// `/` exists from the start, so the pattern alone would not cover it.
io.of('/').on('connection', serve);
io.of(/^\/.+/).on('connection', serve);

httpServer.listen(Number(portArg), '127.0.0.1', () => {
  emitLine({ event: 'listening', port: httpServer.address().port });
});

function shutdown() {
  io.close();
  process.exit(0);
}
process.stdin.on('end', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, shutdown);
}
