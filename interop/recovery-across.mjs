// Socket.IO connection state recovery across a cluster's Parley hosts (docs/PROTOCOL.md §16.1)
// with the real socket.io-client 4.8: the client reaches the cluster through a TCP proxy that
// can be switched from one host to the other (a load balancer that is not sticky, or one whose
// first choice went away). Switching cuts the client's connection; it reconnects by itself,
// reaches the other host, and must come back recovered: the same id, its room and name, every
// message it missed there once and in order (its room's, everyone's, and one sent to its socket
// id while it was away), its own not replayed; and back again to the first host. A burst sent all through a switch arrives each
// message once, in order. With `stop`, instead: the host the client is on stops (the script prints
// {"event":"stop-a"} and its parent stops host A), and the client comes back recovered on the
// other. One JSON line per check.
//
//   node interop/recovery-across.mjs <port of host A> <port of host B> <websocket|polling> [stop]
import net from 'node:net';
import { burstThroughDrop, connectPeer, connectRecoverable, emitLine, globalTimeout, QUIET_MS, runCleanups, sleep, withTimeout } from './lib.mjs';

const [portA, portB, mode = 'websocket', scenario = 'switch'] = process.argv.slice(2);
if (!portA || !portB) {
  console.error('usage: node recovery-across.mjs <port A> <port B> [websocket|polling]');
  process.exit(2);
}
globalTimeout(90_000, 'recovery-across.mjs');
const cleanups = [];
let failed = 0;

function check(name, ok, detail = {}) {
  if (!ok) failed++;
  emitLine({ check: name, ok: Boolean(ok), mode, ...detail });
}

/** A TCP proxy to one host at a time; switching cuts every connection through it. */
async function switchableProxy(port) {
  let target = Number(port);
  const open = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect({ port: target, host: '127.0.0.1' });
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** From now on to `port`; with `cut`, every connection through the proxy is cut too. */
    switchTo(port, cut = true) {
      target = Number(port);
      if (cut) for (const s of open) s.destroy();
    },
    close() {
      for (const s of open) s.destroy();
      server.close();
    },
  };
}

const recoverable = (name, url, delayMs) => connectRecoverable(url, mode, name, delayMs, cleanups);

/**
 * The client's next connections reach the host on `port`. On a WebSocket the cut is the drop (both
 * ends see the TCP connection close). Polling has no connection to cut between requests, so the
 * client closes its transport itself (its close packet still reaches the host it leaves), and
 * then the proxy switches and cuts every connection still open to that host, so none is reused.
 */
async function moveTo(proxy, peer, port) {
  if (mode === 'websocket') {
    proxy.switchTo(port);
    return;
  }
  peer.socket.io.engine.close();
  await sleep(100);
  proxy.switchTo(port);
}

const nextConnect = (peer, ms) =>
  withTimeout(new Promise((resolve) => peer.socket.once('connect', resolve)), ms, `${peer.name} to reconnect`);
const messages = (peer) => peer.seen('receive-message').map((e) => e.args[0]);

try {
  // One bystander on each host: what the client misses is sent on the host it left and on the one it reaches.
  const onA = await connectPeer(`http://127.0.0.1:${portA}`, 'websocket', 'on-a');
  const onB = await connectPeer(`http://127.0.0.1:${portB}`, 'websocket', 'on-b');
  cleanups.push(() => onA.close(), () => onB.close());

  // 1. A to B and back: room, everyone and direct messages missed on the way, each once, in order.
  if (scenario === 'switch') {
    const proxy = await switchableProxy(portA);
    cleanups.push(() => proxy.close());
    const ann = await recoverable('ann', proxy.url, 1_000);
    await ann.ack('join-room', 'across-ann');
    await ann.ack('set-name', 'Ann');
    await onA.ack('send-message', 'before', 'across-ann');
    await ann.waitForMessage('before');
    await ann.ack('send-message', 'from-ann', 'across-ann');
    const id = ann.id;

    let back = nextConnect(ann, 15_000);
    await moveTo(proxy, ann, portB);
    await sleep(300); // the host it left has seen the cut and told the others
    await onA.ack('send-message', 'missed-1', 'across-ann');
    await onB.ack('send-message', 'missed-2', 'across-ann');
    await onA.ack('send-message', 'everyone-away', '');
    const direct = await onB.ack('send-message', 'direct-away', id);
    await onA.ack('send-message', 'missed-3', 'across-ann');
    await back;
    check('recovered-on-the-other-host', ann.socket.recovered === true && ann.id === id, {
      recovered: ann.socket.recovered, before: id, after: ann.id,
    });
    await ann.waitForMessage('missed-3').catch(() => {});
    await sleep(QUIET_MS);
    let got = messages(ann);
    check('missed-once-in-order-across', JSON.stringify(got.filter((m) => m.startsWith('missed-'))) === JSON.stringify(['missed-1', 'missed-2', 'missed-3']), { got });
    check('everyone-across', got.filter((m) => m === 'everyone-away').length === 1, { got });
    check('direct-while-away-across', direct?.ok === true && got.filter((m) => m === 'direct-away').length === 1, { direct, got });
    check('nothing-twice-across', !got.includes('from-ann') && got.filter((m) => m === 'before').length === 1, { got });
    await onA.ack('send-message', 'live-on-b', 'across-ann');
    await ann.waitForMessage('live-on-b').catch(() => {});
    await sleep(QUIET_MS);
    check('room-and-name-kept-across', ann.countMessage('live-on-b') === 1
      && (await onA.ack('list-peers'))?.names?.[id] === 'Ann', { got: messages(ann) });

    back = nextConnect(ann, 15_000);
    await moveTo(proxy, ann, portA);
    await sleep(300);
    await onB.ack('send-message', 'missed-back', 'across-ann');
    await back;
    await ann.waitForMessage('missed-back').catch(() => {});
    await sleep(QUIET_MS);
    got = messages(ann);
    check('recovered-back-on-the-first-host', ann.socket.recovered === true && ann.id === id && ann.countMessage('missed-back') === 1, {
      recovered: ann.socket.recovered, got,
    });
    ann.socket.disconnect();
  }

  // 2. A burst all through a switch: each message once, in order.
  if (scenario === 'switch') {
    const proxy = await switchableProxy(portA);
    cleanups.push(() => proxy.close());
    const eve = await recoverable('eve', proxy.url, 300);
    await eve.ack('join-room', 'across-eve');
    await onA.ack('send-message', 'eve-first', 'across-eve');
    await eve.waitForMessage('eve-first');
    // From both hosts in turn, so what it missed was stored on each.
    const burst = await burstThroughDrop(eve, 'across-eve', (count) => (count % 2 === 0 ? onA : onB),
      () => moveTo(proxy, eve, portB), 15_000);
    check('burst-recovered-across', burst.recovered, { recovered: eve.socket.recovered });
    check('burst-each-once-in-order-across', burst.eachOnceInOrder, burst.detail);
    eve.socket.disconnect();
  }
  // 3. The host the client is on stops: its session goes to the other host before it leaves.
  if (scenario === 'stop') {
    const proxy = await switchableProxy(portA);
    cleanups.push(() => proxy.close());
    const cy = await recoverable('cy', proxy.url, 1_000);
    await cy.ack('join-room', 'across-cy');
    await onB.ack('send-message', 'cy-before', 'across-cy');
    await cy.waitForMessage('cy-before');
    const id = cy.id;
    const gone = withTimeout(new Promise((resolve) => cy.socket.once('disconnect', resolve)), 15_000, 'host A to close');
    const back = nextConnect(cy, 20_000);
    proxy.switchTo(portB, false); // the host's close cuts what is open; new connections go to B
    emitLine({ event: 'stop-a' });
    const reason = await gone;
    await onB.ack('send-message', 'cy-missed-1', 'across-cy');
    await onB.ack('send-message', 'cy-missed-2', 'across-cy');
    await back;
    await cy.waitForMessage('cy-missed-2').catch(() => {});
    await sleep(QUIET_MS);
    const got = messages(cy);
    check('recovered-after-its-host-stopped', cy.socket.recovered === true && cy.id === id, {
      reason, recovered: cy.socket.recovered, before: id, after: cy.id,
    });
    check('missed-while-its-host-stopped', JSON.stringify(got) === JSON.stringify(['cy-before', 'cy-missed-1', 'cy-missed-2']), { got });
    cy.socket.disconnect();
  }
} catch (e) {
  check('scenario', false, { detail: e.message });
}
await runCleanups(cleanups);
process.exit(failed === 0 ? 0 : 1);
