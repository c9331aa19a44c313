// A socket.io 4.8 server with Node's defaults (pingInterval 25 s, pingTimeout 20 s) that ends its
// clients' connections cleanly on command, and stays up for them to come back: each Engine.IO
// session is closed as `socket.conn.close()` does (and `io.close()`, for every session), which on a
// WebSocket sends a close frame. A client has to notice that at once, not at its ping timeout.
//
//   node interop/closing-server.mjs
//
// Listens on 127.0.0.1 (any free port) and prints {"event":"listening","port":N} and
// {"event":"connection","id":...} lines. Commands on stdin, one JSON object a line:
//   {"op":"close-all"}  closes every session; prints {"event":"closed","sessions":N}
// Exits when stdin closes (the test harness's lifeline).
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { emitLine, readCommands } from './lib.mjs';

const httpServer = createServer();
const io = new Server(httpServer);

io.on('connection', (socket) => emitLine({ event: 'connection', id: socket.id }));

readCommands((command) => {
  if (command.op === 'close-all') {
    const sessions = Object.values(io.engine.clients);
    sessions.forEach((session) => session.close());
    emitLine({ event: 'closed', sessions: sessions.length });
  } else {
    emitLine({ event: 'error', detail: `unknown op ${command.op}` });
  }
});

httpServer.listen(0, '127.0.0.1', () => emitLine({ event: 'listening', port: httpServer.address().port }));
