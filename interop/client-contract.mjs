// Runs every client-visible check of docs/PROTOCOL.md against a Parley host with real
// socket.io-client 4.8 sockets (four clients, a fifth for the peers list).
//
//   node interop/client-contract.mjs <host url> <websocket|polling|default>
//
// Prints one JSON line per check, {"check","ok","detail"}, and exits 1 if any check failed.
// Every wait is bounded (5 s per answer), and the whole run by a global timeout.
import { connectPeer, emitLine, globalTimeout, QUIET_MS, sleep, WAIT_MS, withTimeout } from './lib.mjs';

const [url, mode = 'default'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node client-contract.mjs <host url> <websocket|polling|default>');
  process.exit(2);
}
globalTimeout(90_000, 'client-contract.mjs');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const results = [];
let nonce = 0;
const unique = (label) => `${label} #${++nonce} (${mode})`;

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

function same(actual, expected, what) {
  expect(
    JSON.stringify(actual) === JSON.stringify(expected),
    `${what}: expected ${JSON.stringify(expected)} but got ${JSON.stringify(actual)}`,
  );
}

async function check(name, body) {
  const started = Date.now();
  let ok = true;
  let detail;
  try {
    detail = (await body()) ?? 'ok';
  } catch (err) {
    ok = false;
    detail = err.message;
  }
  const line = { check: name, ok, detail: `${detail} [${Date.now() - started} ms]` };
  results.push(line);
  emitLine(line);
}

/**
 * Each of `receivers` got `text` exactly once and none of `others` got it: waits for the
 * deliveries, then listens for a quiet period long enough for a stray or duplicate to arrive.
 */
async function deliveredTo(receivers, others, text) {
  await Promise.all(receivers.map((p) => p.waitForMessage(text)));
  await sleep(QUIET_MS);
  const twice = receivers.filter((p) => p.countMessage(text) !== 1).map((p) => `${p.name}×${p.countMessage(text)}`);
  expect(twice.length === 0, `"${text}" delivered more than once: ${twice.join(', ')}`);
  const wrong = others.filter((p) => p.countMessage(text) > 0).map((p) => p.name);
  expect(wrong.length === 0, `"${text}" also reached ${wrong.join(', ')}`);
}

/** Nobody in `peers` received `text` within the quiet period. */
async function noneReceived(peers, text) {
  await sleep(QUIET_MS);
  const wrong = peers.filter((p) => p.countMessage(text) > 0).map((p) => p.name);
  expect(wrong.length === 0, `"${text}" also reached ${wrong.join(', ')}`);
}

function metaOf(peer, text) {
  return peer.seen('receive-message', (m) => m === text)[0]?.args[1];
}

const peers = [];
async function main() {
  await check('connect-and-id', async () => {
    const settled = await Promise.allSettled(['ann', 'bob', 'cat', 'dan'].map((n) => connectPeer(url, mode, n)));
    const failed = settled.filter((s) => s.status === 'rejected').map((s) => s.reason.message);
    settled.filter((s) => s.status === 'fulfilled').forEach((s) => peers.push(s.value));
    expect(failed.length === 0, `not connected: ${failed.join('; ')}`);
    const ids = peers.map((p) => p.id);
    expect(new Set(ids).size === ids.length, `ids are not distinct: ${ids}`);
    for (const p of peers) {
      expect(UUID.test(p.id), `${p.name}'s id ${p.id} is not a UUID (PROTOCOL §2)`);
      const sid = p.socket.io.engine?.id;
      // As in Node: the public socket id is not the Engine.IO session id, which stays private.
      expect(sid && p.id !== sid, `${p.name}'s socket id ${p.id} equals its Engine.IO sid ${sid} (PROTOCOL §2)`);
    }
    return `ids ${ids.join(', ')}`;
  });
  if (peers.length < 4) {
    return;
  }
  const [ann, bob, cat, dan] = peers;

  if (mode === 'default') {
    await check('upgrade-to-websocket', async () => {
      await Promise.all(
        peers.map((p) =>
          p.socket.io.engine.transport.name === 'websocket'
            ? null
            : withTimeout(new Promise((r) => p.socket.io.engine.once('upgrade', r)), WAIT_MS, `${p.name}'s upgrade`),
        ),
      );
      return peers.map((p) => `${p.name}:${p.socket.io.engine.transport.name}`).join(' ');
    });
  }

  await check('broadcast-empty-room', async () => {
    const text = unique('hello all');
    ann.socket.emit('send-message', text, '');
    await deliveredTo([bob, cat, dan], [ann], text);
    return 'bob, cat and dan got it once; ann (sender) did not';
  });

  await check('broadcast-missing-room', async () => {
    const text = unique('no room given');
    ann.socket.emit('send-message', text);
    await deliveredTo([bob, cat, dan], [ann], text);
    return 'bob, cat and dan got it once; ann (sender) did not';
  });

  await check('join-room-ack', async () => {
    same(await bob.ack('join-room', 'design'), 'Joined design', 'bob join-room ack');
    same(await cat.ack('join-room', 'design'), 'Joined design', 'cat join-room ack');
    same(await ann.ack('join-room', 'Café ☕ 2'), 'Joined Café ☕ 2', 'ann join-room ack');
    same(await ann.ack('join-room', 'Café ☕ 2'), 'Joined Café ☕ 2', 'ann second join-room ack');
    return '"Joined design" ×2, "Joined Café ☕ 2" ×2';
  });

  await check('room-members-only', async () => {
    const text = unique('room only');
    bob.socket.emit('send-message', text, 'design');
    await deliveredTo([cat], [ann, bob, dan], text);
    const meta = metaOf(cat, text);
    same([meta?.kind, meta?.room, meta?.from], ['room', 'design', bob.id], 'meta kind/room/from');
    // The sender need not be a member.
    const outside = unique('from outside the room');
    dan.socket.emit('send-message', outside, 'design');
    await deliveredTo([bob, cat], [ann, dan], outside);
    return 'member cat got it, ann/dan/bob(sender) did not; non-member dan reached bob and cat';
  });

  await check('direct-by-socket-id', async () => {
    const text = unique('just for you');
    ann.socket.emit('send-message', text, cat.id);
    await deliveredTo([cat], [ann, bob, dan], text);
    const meta = metaOf(cat, text);
    same([meta?.kind, meta?.from], ['direct', ann.id], 'meta kind/from');
    return 'only cat got it';
  });

  await check('send-message-ack', async () => {
    const text = unique('acked');
    const ack = await ann.ack('send-message', text, '');
    expect(ack && ack.ok === true, `ack ${JSON.stringify(ack)} is not {ok:true,…}`);
    expect(typeof ack.id === 'string' && ack.id.length > 0, `ack id ${JSON.stringify(ack.id)} is not a string`);
    expect(Number.isInteger(ack.time) && Math.abs(ack.time - Date.now()) < 60_000, `ack time ${ack.time} is not epoch ms`);
    await deliveredTo([bob, cat, dan], [ann], text);
    const meta = metaOf(bob, text);
    same([meta?.id, meta?.time], [ack.id, ack.time], 'receivers\' meta id/time vs ack');
    return JSON.stringify(ack);
  });

  await check('send-message-refusal', async () => {
    const text = 'x'.repeat(5000);
    const ack = await ann.ack('send-message', text, '');
    expect(ack && ack.ok === false, `ack ${JSON.stringify(ack)} is not {ok:false,…}`);
    expect(typeof ack.error === 'string' && ack.error.includes('longer than 4000'), `error ${JSON.stringify(ack.error)}`);
    await noneReceived([bob, cat, dan], text);
    return JSON.stringify(ack);
  });

  await check('parley-error-without-ack', async () => {
    const mark = ann.events.length;
    ann.socket.emit('send-message', '   ', '');
    const payload = (await ann.waitFor('parley-error', () => true, WAIT_MS, 'parley-error', mark)).args[0];
    same(payload, { ok: false, event: 'send-message', error: 'message is empty' }, 'parley-error payload');
    return JSON.stringify(payload);
  });

  await check('receive-message-meta', async () => {
    const all = unique('meta everyone');
    const room = unique('meta room');
    const direct = unique('meta direct');
    ann.socket.emit('send-message', all, '');
    ann.socket.emit('send-message', room, 'design');
    ann.socket.emit('send-message', direct, bob.id);
    await Promise.all([bob.waitForMessage(all), bob.waitForMessage(room), bob.waitForMessage(direct)]);
    const shapes = { [all]: ['everyone', false], [room]: ['room', true], [direct]: ['direct', false] };
    const seen = [];
    for (const [text, [kind, hasRoom]] of Object.entries(shapes)) {
      const event = bob.seen('receive-message', (m) => m === text)[0];
      // A third argument may only be the recovery offset (docs/PROTOCOL.md §16), as Node servers add it.
      const offset = event.args.length === 3 && /^[0-9]+$/.test(event.args[2]);
      expect(event.args.length === 2 || offset, `receive-message has ${event.args.length} arguments, not 2 (or 3 with an offset)`);
      const meta = event.args[1];
      // No name: these sockets never chose one (names have their own check below).
      const common = ['conv', 'from', 'id', 'kind', 'seq', 'time', 'user'];
      const wanted = (hasRoom ? [...common, 'room'] : common).sort();
      same(Object.keys(meta).sort(), wanted, `${kind} meta keys`);
      expect(Number.isInteger(meta.seq) && meta.seq >= 1, `${kind} meta seq ${meta.seq}`);
      same([meta.from, meta.kind], [ann.id, kind], `${kind} meta from/kind`);
      if (hasRoom) same(meta.room, 'design', 'room meta room');
      expect(Number.isInteger(meta.time) && Math.abs(meta.time - Date.now()) < 60_000, `${kind} meta time ${meta.time}`);
      expect(UUID.test(meta.id), `${kind} meta id ${meta.id} is not a UUID`);
      seen.push(JSON.stringify(meta));
    }
    return seen.join(' ');
  });

  await check('custom-event', async () => {
    const reply = await ann.ack('custom-event', 10, 'Hi', { a: 1 });
    same(reply, 'Received custom-event', 'custom-event ack');
    await sleep(QUIET_MS);
    const relayed = [bob, cat, dan].filter((p) => p.seen('custom-event').length > 0).map((p) => p.name);
    expect(relayed.length === 0, `custom-event was relayed to ${relayed.join(', ')}`);
    return '"Received custom-event", not relayed to others';
  });

  await check('ack-several-arguments', async () => {
    const reply = await withTimeout(
      new Promise((resolve) => ann.socket.emit('custom-event', 'x', 2, [3], (...args) => resolve(args))),
      WAIT_MS, 'custom-event ack',
    );
    same(JSON.stringify(reply), JSON.stringify(['Received custom-event', 'x', 2, [3]]), 'ack arguments');
    return JSON.stringify(reply);
  });

  await check('handshake-auth', async () => {
    const eve = await connectPeer(url, mode, 'eve', WAIT_MS, { auth: { token: '123', name: 'eve' } });
    eve.close();
    // The Java test checks what the host received (SessionEvent.ClientConnected).
    return `eve connected with auth as ${eve.id}`;
  });

  await check('leave-room-ack', async () => {
    same(await dan.ack('join-room', 'design'), 'Joined design', 'dan join-room ack');
    same(await cat.ack('leave-room', 'design'), 'Left design', 'cat leave-room ack');
    same(await cat.ack('leave-room', 'never-joined'), 'Left never-joined', 'leaving a room one is not in');
    const text = unique('after cat left');
    bob.socket.emit('send-message', text, 'design');
    await deliveredTo([dan], [ann, bob, cat], text);
    return '"Left design"; cat no longer gets design messages, dan does';
  });

  await check('list-peers', async () => {
    const reply = await bob.ack('list-peers');
    expect(reply && Array.isArray(reply.peers), `list-peers ack ${JSON.stringify(reply)} has no peers array`);
    const missing = peers.filter((p) => !reply.peers.includes(p.id)).map((p) => p.name);
    expect(missing.length === 0, `list-peers lacks ${missing.join(', ')}: ${JSON.stringify(reply)}`);
    return `${reply.peers.length} peers, all four of ours among them`;
  });

  await check('peers-changed', async () => {
    // bob asked for the list above, so he hears changes; ann never asked, so she hears none.
    const mark = ann.events.length;
    const bobMark = bob.events.length;
    const eve = await connectPeer(url, mode, 'eve');
    const eveId = eve.id;
    await bob.waitFor('peers-changed', (c) => Array.isArray(c?.joined) && c.joined.includes(eveId), WAIT_MS,
      'a peers-changed event with eve joined', bobMark);
    const left = bob.events.length;
    eve.close();
    await bob.waitFor('peers-changed', (c) => Array.isArray(c?.left) && c.left.includes(eveId), WAIT_MS,
      'a peers-changed event with eve left', left);
    await sleep(400);
    const annHeard = ann.events.slice(mark).filter((e) => e.event === 'peers-changed' || e.event === 'peers');
    expect(annHeard.length === 0, `ann never asked for the list yet heard ${JSON.stringify(annHeard)}`);
    return 'bob heard eve join and leave; ann, who never asked, heard nothing';
  });

  await check('names', async () => {
    const zoe = await connectPeer(url, mode, 'zoe', WAIT_MS, { auth: { name: 'Zoé' } });
    try {
      const list = await zoe.ack('list-peers');
      same(list.names?.[zoe.id], 'Zoé', 'the name asked for in auth');
      const taken = await bob.ack('set-name', 'ZOÉ');
      expect(taken?.ok === false && /taken/.test(taken.error), `set-name "ZOÉ" answered ${JSON.stringify(taken)}`);
      const bidi = await bob.ack('set-name', '\u202Eevil');
      expect(bidi?.ok === false && /bidi/.test(bidi.error), `set-name with a bidi override answered ${JSON.stringify(bidi)}`);
      const mark = zoe.events.length;
      same(await bob.ack('set-name', 'Bob'), { ok: true, name: 'Bob' }, 'set-name ack');
      await zoe.waitFor('peers-changed', (c) => c?.names?.[bob.id] === 'Bob', WAIT_MS, 'peers-changed naming Bob', mark);
      const text = unique('named');
      bob.socket.emit('send-message', text, zoe.id);
      await zoe.waitForMessage(text);
      const meta = zoe.seen('receive-message', (m) => m === text)[0].args[1];
      same(meta.name, 'Bob', 'meta.name');
      return 'Zoé granted from auth; "ZOÉ" taken and a bidi name refused; Bob renamed and named in meta';
    } finally {
      zoe.close();
    }
  });

  await check('typing', async () => {
    // bob and dan are in design (bob since join-room-ack, dan since leave-room-ack); ann is not.
    const mark = bob.events.length;
    const annMark = ann.events.length;
    dan.socket.emit('typing', 'design', true);
    await bob.waitFor('typing', (t) => t?.from === dan.id && t.room === 'design' && t.active === true, WAIT_MS,
      'typing from dan in design', mark);
    await sleep(QUIET_MS);
    const strays = ann.events.slice(annMark).filter((e) => e.event === 'typing');
    expect(strays.length === 0, `ann is not in design yet heard ${JSON.stringify(strays)}`);
    const self = dan.events.filter((e) => e.event === 'typing');
    expect(self.length === 0, `dan heard his own typing: ${JSON.stringify(self)}`);
    return 'bob heard dan type in design; ann (not a member) and dan himself did not';
  });

  await check('history', async () => {
    const texts = [unique('history 1'), unique('history 2'), unique('history 3')];
    for (const text of texts) {
      const ack = await bob.ack('send-message', text, 'design');
      expect(ack?.ok === true, `send-message ack ${JSON.stringify(ack)}`);
    }
    const page = await dan.ack('history', { room: 'design', limit: 2 });
    expect(page?.ok === true, `history answered ${JSON.stringify(page)}`);
    same(page.messages.map((m) => m.text), texts.slice(1), 'the latest page, oldest first');
    expect(page.more === true, 'more is true when older messages exist');
    const older = await dan.ack('history', { room: 'design', limit: 1, before: page.messages[0].meta.seq });
    same(older.messages.map((m) => m.text), texts.slice(0, 1), 'the page before');
    const outsider = await ann.ack('history', { room: 'design' });
    expect(outsider?.ok === false && /join design/.test(outsider.error), `a non-member's history ${JSON.stringify(outsider)}`);
    return `pages of 2 then 1 in order (seq ${page.messages.map((m) => m.meta.seq)}); a non-member refused`;
  });
}

await main().catch((err) => {
  const line = { check: 'harness', ok: false, detail: err.stack ?? String(err) };
  results.push(line);
  emitLine(line);
});
for (const p of peers) p.close();
const failed = results.filter((r) => !r.ok);
console.error(`client-contract.mjs (${mode}): ${results.length - failed.length} passed, ${failed.length} failed`);
await sleep(300); // lets the disconnects leave
process.exit(failed.length === 0 && results.length > 1 ? 0 : 1);
