// The official Admin UI's protocol over a cluster (docs/PROTOCOL.md §17): an admin logged in to one
// Parley host sees and acts on the sockets of the other Parley host and of a Node server with the
// official streams adapter and admin-ui, as the official server does over its adapter.
// Usage: node admin-cluster.mjs <parley A url> <parley B url> <node url> <user> <password>
import { connectPeer, emitLine, globalTimeout, QUIET_MS, sleep, WAIT_MS } from './lib.mjs';

const [urlA, urlB, urlNode, user, password] = process.argv.slice(2);
globalTimeout(90_000, 'admin-cluster.mjs');
let failed = false;
const check = (name, ok, detail) => {
  emitLine({ check: name, ok: !!ok, detail });
  if (!ok) failed = true;
};
const arg = (promise) => promise.then((e) => e.args, (e) => ({ error: e.message }));
const cleanups = [];

try {
  // Chat clients on the other Parley host and on the Node server, before the admin looks.
  const ann = await connectPeer(urlB, 'websocket', 'ann', WAIT_MS, { auth: { name: 'Ann' } });
  cleanups.push(() => ann.close());
  await ann.ack('join-room', 'lobby');
  const nora = await connectPeer(urlNode, 'websocket', 'nora');
  cleanups.push(() => nora.close());
  await nora.ack('join-room', 'lobby');
  await sleep(QUIET_MS);

  const watcher = await connectPeer(`${urlA}/admin`, 'websocket', 'admin', WAIT_MS, { auth: { username: user, password } });
  cleanups.push(() => watcher.close());
  const [sockets] = await arg(watcher.waitFor('all_sockets', () => true, 3 * WAIT_MS / 2));
  const annListed = Array.isArray(sockets) ? sockets.find((s) => s.id === ann.id && s.nsp === '/') : undefined;
  const noraListed = Array.isArray(sockets) ? sockets.find((s) => s.id === nora.id && s.nsp === '/') : undefined;
  check('all-sockets-lists-the-other-parley-host', annListed && annListed.rooms.includes('lobby') && annListed.data?.name === 'Ann'
    && annListed.data?._admin === undefined && typeof annListed.clientId === 'string' && annListed.transport === 'websocket'
    && annListed.handshake?.address && annListed.handshake?.auth === undefined, JSON.stringify(annListed ?? sockets));
  check('all-sockets-lists-the-node-server', noraListed && noraListed.rooms.includes('lobby') && typeof noraListed.clientId === 'string'
    && noraListed.data?._admin === undefined,
    JSON.stringify(noraListed ?? sockets));
  const ownListed = Array.isArray(sockets) ? sockets.filter((s) => s.id === watcher.id) : [];
  check('each-socket-listed-once', ownListed.length === 1
    && new Set(sockets.map((s) => `${s.nsp} ${s.id}`)).size === sockets.length, JSON.stringify(sockets));

  // Live events from the other host.
  const bob = await connectPeer(urlB, 'websocket', 'bob');
  cleanups.push(() => bob.close());
  const [connected] = await arg(watcher.waitFor('socket_connected', (s) => s.id === bob.id));
  check('socket-connected-on-the-other-host', connected?.nsp === '/' && connected?.transport === 'websocket', JSON.stringify(connected));
  await bob.ack('join-room', 'games');
  const joined = await arg(watcher.waitFor('room_joined', (nsp, room, id) => room === 'games' && id === bob.id));
  check('room-joined-on-the-other-host', joined[0] === '/', JSON.stringify(joined));

  // Every server reports its stats to every admin: both Parley hosts and the Node server.
  const servers = new Set();
  const deadline = Date.now() + 3 * WAIT_MS;
  while (servers.size < 3 && Date.now() < deadline) {
    await sleep(200);
    for (const e of watcher.seen('server_stats')) servers.add(e.args[0]?.serverId);
  }
  check('server-stats-of-every-server', servers.size === 3 && servers.has('node-1'), JSON.stringify([...servers]));

  // Commands reach the sockets of every server.
  watcher.socket.emit('join', '/', 'vip', bob.id);
  await arg(watcher.waitFor('room_joined', (nsp, room, id) => room === 'vip' && id === bob.id));
  await ann.ack('send-message', 'for vip', 'vip');
  check('join-command-on-the-other-host', await bob.waitForMessage('for vip').then(() => true, () => false));
  watcher.socket.emit('join', '/', 'vip', nora.id);
  await sleep(QUIET_MS);
  await ann.ack('send-message', 'for vip again', 'vip');
  check('join-command-on-the-node-server', await nora.waitForMessage('for vip again').then(() => true, () => false),
    JSON.stringify(nora.events.map((e) => e.args[0])));
  const bobId = bob.id; // a client forgets its id once disconnected
  const gone = new Promise((resolve) => bob.socket.once('disconnect', resolve));
  watcher.socket.emit('_disconnect', '/', true, bob.id);
  check('disconnect-command-on-the-other-host', await Promise.race([gone.then(() => true), sleep(WAIT_MS).then(() => false)]));
  const said = await arg(watcher.waitFor('socket_disconnected', (n, id) => id === bobId));
  check('socket-disconnected-on-the-other-host', said[0] === '/',
    JSON.stringify(watcher.events.filter((e) => e.event !== 'server_stats').slice(-8).map((e) => [e.event, ...e.args.slice(0, 3)])));
} catch (e) {
  check('scenario', false, e.stack);
}
for (const step of cleanups) step();
process.exit(failed ? 1 : 0);
