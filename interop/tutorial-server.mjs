// The tutorial's Node.js Socket.IO server (shared/seed/socket-io-notes.md), contract kept exactly:
// room '' broadcasts to everyone else, any other room goes to socket.to(room), and join-room is
// acked with "Joined <room>".
//
//   node interop/tutorial-server.mjs [port=3000, 0 = any free port] [origins, comma-separated]
//                                    [--exit-on-stdin-close] [--redis=redis://HOST:PORT] [--admin=SERVER_ID]
//
// CORS origins come from the second argument, else $CORS_ORIGINS, else the seed's
// http://localhost:8080. Listens on 127.0.0.1 only and prints `listening <port>` on stdout.
// --exit-on-stdin-close: exit when stdin closes (a test harness's lifeline).
// --redis=URL: one server of a cluster, with the official @socket.io/redis-streams-adapter on that
// Redis (the tutorial's "scaling horizontally" step), as Parley hosts with --cluster are.
// --admin=SERVER_ID: instrumented with the official @socket.io/admin-ui in development mode (no
// login of its own: tests log in to a Parley host of the cluster), its server_stats naming it SERVER_ID.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const [portArg = '3000', originsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const origins = (originsArg ?? process.env.CORS_ORIGINS ?? 'http://localhost:8080')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);

const redisUrl = flags.find((f) => f.startsWith('--redis='))?.slice('--redis='.length);
let adapter;
if (redisUrl) {
  const { createClient } = await import('redis');
  const { createAdapter } = await import('@socket.io/redis-streams-adapter');
  const redis = createClient({ url: redisUrl });
  redis.on('error', (e) => console.error(`redis: ${e.message}`));
  await redis.connect();
  adapter = createAdapter(redis);
}

const httpServer = createServer();
const io = new Server(httpServer, { cors: { origin: origins }, ...(adapter ? { adapter } : {}) });

io.on('connection', (socket) => {
  console.log(`connection ${socket.id}`);
  socket.on('send-message', (message, room) => {
    if (room === '') {
      socket.broadcast.emit('receive-message', message);
    } else {
      socket.to(room).emit('receive-message', message);
    }
  });
  socket.on('join-room', (room, cb) => {
    socket.join(room);
    cb(`Joined ${room}`);
  });
});

const adminId = flags.find((f) => f.startsWith('--admin='))?.slice('--admin='.length);
if (adminId) {
  const { instrument } = await import('@socket.io/admin-ui');
  instrument(io, { auth: false, mode: 'development', serverId: adminId });
}

httpServer.listen(Number(portArg), '127.0.0.1', () => {
  console.log(`listening ${httpServer.address().port}`);
});

if (flags.includes('--exit-on-stdin-close')) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    io.close();
    process.exit(0);
  });
}
