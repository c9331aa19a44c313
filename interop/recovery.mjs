// Socket.IO connection state recovery (docs/PROTOCOL.md §16) with the real socket.io-client 4.8:
// a client's transport is closed under it, messages go to its room meanwhile, and it must come
// back with socket.recovered === true, the same id, and each missed message once, in order; past
// the host's window it must come back fresh; and messages sent all through a drop and its recovery
// arrive each once, in order, none lost where the replay hands over to live traffic. The
// bystander who sends them may be on another server of a cluster. One JSON line per check.
//
//   node interop/recovery.mjs <server url> <websocket|polling|default> <host's window in ms> [bystander's server url]
import { burstThroughDrop, connectPeer, connectRecoverable, emitLine, globalTimeout, QUIET_MS, runCleanups, sleep, withTimeout } from './lib.mjs';

const [url, mode = 'default', windowArg = '3000', bystanderUrl = url] = process.argv.slice(2);
if (!url) {
  console.error('usage: node recovery.mjs <server url> [websocket|polling|default] [window ms] [bystander url]');
  process.exit(2);
}
const windowMs = Number(windowArg);
globalTimeout(90_000, 'recovery.mjs');
const cleanups = [];
let failed = 0;

function check(name, ok, detail = {}) {
  if (!ok) failed++;
  emitLine({ check: name, ok: Boolean(ok), mode, ...detail });
}

const recoverable = (name, delayMs) => connectRecoverable(url, mode, name, delayMs, cleanups);

function nextConnect(peer, ms) {
  return withTimeout(new Promise((resolve) => peer.socket.once('connect', resolve)), ms, `${peer.name} to reconnect`);
}

/** Closes the transport under the socket: the client sees "transport close" and reconnects. */
function drop(peer) {
  peer.socket.io.engine.close();
}

const messages = (peer) => peer.seen('receive-message').map((e) => e.args[0]);

try {
  const bystander = await connectPeer(bystanderUrl, 'websocket', 'bystander');
  cleanups.push(() => bystander.close());
  const send = (text, room) => bystander.ack('send-message', text, room);

  // 1. Missed messages come back once, in order, with the same id and the room kept.
  {
    const ann = await recoverable('ann', 1_000);
    await ann.ack('join-room', 'rec-ann');
    await send('before', 'rec-ann');
    await ann.waitForMessage('before');
    const last = ann.seen('receive-message')[0].args.at(-1);
    check('offset-on-events', typeof last === 'string' && /^[0-9]+$/.test(last), { last });
    await ann.ack('send-message', 'from-ann', 'rec-ann');
    await ann.ack('set-name', 'Ann');
    const id = ann.id;
    const back = nextConnect(ann, 10_000);
    drop(ann);
    for (const text of ['missed-1', 'missed-2', 'missed-3']) await send(text, 'rec-ann');
    const direct = await bystander.ack('send-message', 'direct-away', id);
    await back;
    check('recovered-flag', ann.socket.recovered === true, { recovered: ann.socket.recovered });
    check('same-id', ann.id === id, { before: id, after: ann.id });
    await ann.waitForMessage('missed-3');
    await sleep(QUIET_MS);
    const got = messages(ann);
    const missed = got.filter((m) => m.startsWith('missed-'));
    check('missed-once-in-order', JSON.stringify(missed) === JSON.stringify(['missed-1', 'missed-2', 'missed-3']), { got });
    check('own-message-not-replayed', !got.includes('from-ann'), { got });
    check('before-not-replayed', got.filter((m) => m === 'before').length === 1, { got });
    // Node replays what was sent to the socket's own room while it was away: so does the host.
    await ann.waitForMessage('direct-away').catch(() => {});
    check('direct-while-away', direct?.ok === true && ann.countMessage('direct-away') === 1, { direct, got: messages(ann) });
    await send('live-after', 'rec-ann');
    await ann.waitForMessage('live-after');
    await sleep(QUIET_MS);
    check('room-kept', ann.countMessage('live-after') === 1, { got: messages(ann) });
    const peers = await bystander.ack('list-peers');
    check('name-and-presence-kept', peers?.peers?.includes(id) && peers?.names?.[id] === 'Ann', { peers });
    ann.socket.disconnect();
  }

  // 2. Beyond Node: a client that had received no event yet (no offset) recovers too.
  {
    const cy = await recoverable('cy', 1_000);
    await cy.ack('join-room', 'rec-cy');
    check('no-event-before-drop', cy.events.length === 0, { events: cy.events.map((e) => e.event) });
    const id = cy.id;
    const back = nextConnect(cy, 10_000);
    drop(cy);
    await send('while-away', 'rec-cy');
    await back;
    check('recovered-without-offset', cy.socket.recovered === true && cy.id === id, { recovered: cy.socket.recovered, before: id, after: cy.id });
    await cy.waitForMessage('while-away').catch(() => {});
    await sleep(QUIET_MS);
    check('missed-without-offset', cy.countMessage('while-away') === 1, { got: messages(cy) });
    cy.socket.disconnect();
  }

  // 3. Past the window: a fresh socket, nothing replayed.
  {
    const dee = await recoverable('dee', windowMs + 2_000);
    await dee.ack('join-room', 'rec-dee');
    await send('dee-before', 'rec-dee');
    await dee.waitForMessage('dee-before');
    const id = dee.id;
    const back = nextConnect(dee, windowMs + 10_000);
    drop(dee);
    await send('dee-away', 'rec-dee');
    await back;
    await sleep(QUIET_MS);
    check('fresh-after-window', dee.socket.recovered === false && dee.id !== id, { recovered: dee.socket.recovered, before: id, after: dee.id });
    check('nothing-replayed-after-window', dee.countMessage('dee-away') === 0, { got: messages(dee) });
    dee.socket.disconnect();
  }

  // 4. A burst through the drop, the reconnect and the replay: each message once, in order, so
  // nothing falls between the replay's last page and live traffic.
  {
    const eve = await recoverable('eve', 200);
    await eve.ack('join-room', 'rec-eve');
    await send('eve-first', 'rec-eve');
    await eve.waitForMessage('eve-first');
    const burst = await burstThroughDrop(eve, 'rec-eve', () => bystander, () => drop(eve), 10_000);
    check('burst-recovered', burst.recovered, { recovered: eve.socket.recovered });
    check('burst-each-once-in-order', burst.eachOnceInOrder, burst.detail);
    eve.socket.disconnect();
  }

  // The bystander kept chatting throughout.
  const echo = await connectPeer(url, 'websocket', 'echo');
  cleanups.push(() => echo.close());
  await echo.ack('join-room', 'live'); // answered in order with what the host does at connect
  await send('bystander-still-here', '');
  await echo.waitForMessage('bystander-still-here');
  check('bystander-unaffected', true);
} catch (e) {
  check('scenario', false, { detail: e.message });
}
await runCleanups(cleanups);
process.exit(failed === 0 ? 0 : 1);
