// The official Admin UI's server protocol on a Parley host's /admin namespace, driven the way the
// UI drives it (socket.io-client 4.8, auth {username, password}): login refused and accepted,
// config and all_sockets, live socket and room events, server_stats, and the emit / join / leave /
// _disconnect commands acting on real chat sockets; malformed commands and commands naming
// nobody change nothing. Usage: node admin-protocol.mjs <url> <user> <password> <websocket|polling|default>
import { connectPeer, emitLine, globalTimeout, QUIET_MS, sleep, WAIT_MS } from './lib.mjs';

const [url, user, password, mode = 'default'] = process.argv.slice(2);
globalTimeout(60_000, 'admin-protocol.mjs');
let failed = false;
const check = (name, ok, detail) => {
  emitLine({ check: name, ok: !!ok, detail });
  if (!ok) failed = true;
};
const admin = (name, auth) => connectPeer(`${url}/admin`, mode, name, WAIT_MS, { auth });
const arg = (promise) => promise.then((e) => e.args, (e) => ({ error: e.message }));

// Wrong credentials: refused with the official server's words, which the UI recognises.
const refused = await admin('intruder', { username: user, password: 'not the password' }).then(
  (peer) => { peer.close(); return 'connected'; }, (e) => e.message);
check('wrong-credentials-refused', /invalid credentials/.test(refused), refused);

// The host's origin rule holds for /admin as for every namespace: a page from elsewhere is refused.
const foreign = await connectPeer(`${url}/admin`, mode, 'foreign-page', WAIT_MS,
  { auth: { username: user, password }, extraHeaders: { origin: 'http://elsewhere.test' } }).then(
  (peer) => { peer.close(); return 'connected'; }, (e) => e.message);
check('foreign-origin-refused', foreign !== 'connected', foreign);

// A chat client already there, named and in a room, before the admin looks.
const ann = await connectPeer(url, mode, 'ann', WAIT_MS, { auth: { name: 'Ann' } });
await ann.ack('join-room', 'lobby');

const watcher = await admin('admin', { username: user, password });
const [config] = await arg(watcher.waitFor('config'));
check('config-features', ['EMIT', 'JOIN', 'LEAVE', 'DISCONNECT', 'ALL_EVENTS'].every((f) => config?.supportedFeatures?.includes(f)),
  JSON.stringify(config));
const [sockets] = await arg(watcher.waitFor('all_sockets'));
const listed = Array.isArray(sockets) ? sockets.find((s) => s.id === ann.id && s.nsp === '/') : undefined;
check('all-sockets-lists-chat-client', listed && listed.rooms.includes('lobby') && listed.rooms.includes(ann.id)
  && listed.data?.name === 'Ann' && typeof listed.clientId === 'string' && ['polling', 'websocket'].includes(listed.transport)
  && listed.handshake?.address && listed.handshake?.headers && typeof listed.handshake?.issued === 'number'
  && typeof listed.handshake?.time === 'string' && typeof listed.handshake?.url === 'string',
  JSON.stringify(listed ?? sockets));
check('session-id-given', watcher.seen('session').length === 1 && /^[0-9a-f]{16}$/.test(watcher.seen('session')[0].args[0]),
  JSON.stringify(watcher.seen('session')));

// The session id logs in again (the UI after a reload); a made-up one does not.
const sessionId = watcher.seen('session')[0]?.args[0];
const again = await admin('admin-again', { sessionId }).then((peer) => peer, (e) => e.message);
check('session-id-logs-in-again', typeof again === 'object' && (await arg(again.waitFor('config')))[0]?.supportedFeatures
  && again.seen('session').length === 0, String(again?.name ?? again));
if (typeof again === 'object') again.close();
const forged = await admin('forged-session', { sessionId: '0123456789abcdef' }).then(
  (peer) => { peer.close(); return 'connected'; }, (e) => e.message);
check('forged-session-id-refused', /invalid credentials/.test(forged), forged);

// Live events: another client connects, upgrades (default mode), joins and leaves a room.
const bob = await connectPeer(url, mode, 'bob');
const [connected, at] = await arg(watcher.waitFor('socket_connected', (s) => s.id === bob.id));
check('socket-connected', connected?.nsp === '/' && !Number.isNaN(Date.parse(at)), JSON.stringify([connected, at]));
if (mode === 'default') {
  const [update] = await arg(watcher.waitFor('socket_updated', (u) => u.id === bob.id && u.transport === 'websocket'));
  check('socket-updated-on-upgrade', update?.nsp === '/', JSON.stringify(update));
}
await bob.ack('join-room', 'games');
const joined = await arg(watcher.waitFor('room_joined', (nsp, room, id) => room === 'games' && id === bob.id));
check('room-joined', joined[0] === '/', JSON.stringify(joined));
await bob.ack('leave-room', 'games');
const left = await arg(watcher.waitFor('room_left', (nsp, room, id) => room === 'games' && id === bob.id));
check('room-left', left[0] === '/', JSON.stringify(left));

// A report from after bob arrived (one from before may still list an admin that came and went).
const [stats] = await arg(watcher.waitFor('server_stats',
  (s) => s.namespaces?.find((n) => n.name === '/')?.socketsCount === 2 && s.clientsCount >= 3, 3 * WAIT_MS / 2));
const chatNamespace = stats?.namespaces?.find((n) => n.name === '/');
check('server-stats', stats && typeof stats.serverId === 'string' && typeof stats.hostname === 'string'
  && typeof stats.pid === 'number' && typeof stats.uptime === 'number' && typeof stats.pollingClientsCount === 'number'
  && Array.isArray(stats.aggregatedEvents) && chatNamespace?.socketsCount === 2, JSON.stringify(stats));

// Admins are not chat users.
const peers = await ann.ack('list-peers');
check('admin-not-a-chat-user', !JSON.stringify(peers).includes(watcher.id) && JSON.stringify(peers).includes(bob.id),
  JSON.stringify(peers));

// Commands on a real chat socket, through Parley's own paths.
watcher.socket.emit('join', '/', 'vip', bob.id);
await arg(watcher.waitFor('room_joined', (nsp, room, id) => room === 'vip' && id === bob.id));
await ann.ack('send-message', 'for the vip room', 'vip');
check('join-command-takes-effect', await bob.waitForMessage('for the vip room').then(() => true, () => false));
watcher.socket.emit('leave', '/', 'vip', bob.id);
await arg(watcher.waitFor('room_left', (nsp, room, id) => room === 'vip' && id === bob.id));
await ann.ack('send-message', 'after leaving', 'vip');
await sleep(QUIET_MS);
check('leave-command-takes-effect', bob.countMessage('after leaving') === 0);
watcher.socket.emit('emit', '/', bob.id, 'admin-note', { hello: 'bob' }, 2);
const note = await arg(bob.waitFor('admin-note'));
await sleep(QUIET_MS);
// ALL_EVENTS: what chat sockets send and are sent, as the UI's Events page shows it.
const heard = await arg(watcher.waitFor('event_received',
  (nsp, id, args) => id === ann.id && args[0] === 'send-message' && args[1] === 'for the vip room'));
const told = await arg(watcher.waitFor('event_sent', (nsp, id, args) => id === bob.id && args[0] === 'admin-note'));
check('all-events', heard[0] === '/' && heard[2][2] === 'vip' && told[0] === '/' && told[2][1]?.hello === 'bob'
  && !Number.isNaN(Date.parse(told[3])), JSON.stringify([heard, told]));
check('emit-command-reaches-its-filter-only', note[0]?.hello === 'bob' && note[1] === 2 && ann.seen('admin-note').length === 0,
  JSON.stringify(note));

// Malformed commands and commands naming nobody: an error to the admin, nothing else.
const errorsBefore = watcher.seen('parley-error').length;
const hostile = [
  ['join'],
  ['join', 42, 'x'],
  ['join', '/', { room: 1 }, bob.id],
  ['leave', '/', 'vip', ['not', 'a', 'filter']],
  ['_disconnect', '/', 'yes', bob.id],
  ['_disconnect', '/', true, '00000000-0000-4000-8000-000000000000'],
  ['join', '/', 'x', '00000000-0000-4000-8000-000000000000'],
  ['join', '/', '\u0001everyone', bob.id],
  ['emit', '/', null, 'receive-message', 'forged'],
  ['emit', '/', 12, 'note'],
  ['emit', '/admin', null, 'note'],
  ['_disconnect', '/nowhere', true],
  ['no-such-command', 1, 2],
];
for (const command of hostile) watcher.socket.emit(...command);
await watcher.waitFor('parley-error', () => watcher.seen('parley-error').length >= errorsBefore + hostile.length,
  WAIT_MS, 'an error for each hostile command').catch(() => {});
const errors = watcher.seen('parley-error').slice(errorsBefore).map((e) => e.args[0]);
check('malformed-commands-refused', errors.length === hostile.length && errors.every((e) => e.ok === false && e.error),
  JSON.stringify(errors));
const stillOk = await ann.ack('send-message', 'still here', '');
check('nobody-affected', ann.socket.connected && bob.socket.connected && watcher.socket.connected && stillOk?.ok === true
  && ann.seen('receive-message', (m) => m === 'forged').length === 0, JSON.stringify(stillOk));

// _disconnect: the socket is told, the admin hears it go.
const bobId = bob.id; // socket.io-client forgets its id once disconnected
const bobGone = new Promise((resolve) => bob.socket.once('disconnect', resolve));
watcher.socket.emit('_disconnect', '/', false, bobId);
const gone = await arg(watcher.waitFor('socket_disconnected', (nsp, id) => id === bobId));
const reason = await Promise.race([bobGone, sleep(WAIT_MS).then(() => 'no disconnect')]);
check('disconnect-command-takes-effect', gone[0] === '/' && gone[2] === 'server namespace disconnect'
  && reason === 'io server disconnect', JSON.stringify([gone, reason]));

// A chat client leaving on its own: gone, and its rooms left.
const annId = ann.id;
ann.close();
const annGone = await arg(watcher.waitFor('socket_disconnected', (nsp, id) => id === annId));
const lobbyLeft = await arg(watcher.waitFor('room_left', (nsp, room, id) => room === 'lobby' && id === annId));
check('socket-disconnected', annGone[0] === '/' && typeof annGone[2] === 'string' && lobbyLeft[0] === '/',
  JSON.stringify([annGone, lobbyLeft]));

watcher.close();
process.exit(failed ? 1 : 0);
