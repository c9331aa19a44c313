// A mixed cluster (docs/PROTOCOL.md §19): two Parley hosts and a Node socket.io server with the
// official @socket.io/redis-streams-adapter on one Redis. Real socket.io-client 4.8 peers on each
// server, on each transport, exchange room messages, broadcasts and direct messages by socket id
// through the tutorial's contract; every message must reach exactly the sockets it names, once,
// in the sender's order. Then the tutorial's browser page, in Chromium, on each of the three
// servers, in the same room. One JSON line per check on stdout.
//
//   node interop/cluster.mjs <parley A url> <parley B url> <node url> [page port]
//
// The page is served on 127.0.0.1:<page port> (origin http://localhost:<page port>), which the
// servers must allow; without a port the browser checks are left out.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { connectPeer, emitLine, globalTimeout, QUIET_MS, runCleanups, sleep, withTimeout, WAIT_MS } from './lib.mjs';
import { serveTutorialPage } from './static-server.mjs';

const [urlA, urlB, urlNode, pagePort] = process.argv.slice(2);
if (!urlNode) {
  console.error('usage: node cluster.mjs <parley A url> <parley B url> <node url> [page port]');
  process.exit(2);
}
const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
const PAGE_WAIT_MS = 15_000;
globalTimeout(150_000, 'cluster.mjs');
const cleanups = [];
let failed = 0;

function check(name, ok, detail = {}) {
  if (!ok) failed++;
  emitLine({ check: name, ok: Boolean(ok), ...detail });
}

async function peer(url, mode, name) {
  const p = await connectPeer(url, mode, name);
  cleanups.push(() => p.close());
  return p;
}

/** Sends `text` to `room` from `from`, then checks exactly `to` got it once and nobody else did. */
async function deliver(name, from, text, room, to, everyone) {
  from.socket.emit('send-message', text, room);
  const arrived = await Promise.allSettled(to.map((p) => p.waitForMessage(text)));
  await sleep(QUIET_MS);
  const counts = Object.fromEntries(everyone.map((p) => [p.name, p.countMessage(text)]));
  const expected = Object.fromEntries(everyone.map((p) => [p.name, to.includes(p) ? 1 : 0]));
  const ok = arrived.every((a) => a.status === 'fulfilled') && everyone.every((p) => counts[p.name] === expected[p.name]);
  check(name, ok, { counts, expected });
}

try {
  const a1 = await peer(urlA, 'websocket', 'a1');
  const a2 = await peer(urlA, 'polling', 'a2');
  const b1 = await peer(urlB, 'polling', 'b1');
  const b2 = await peer(urlB, 'default', 'b2');
  const n1 = await peer(urlNode, 'default', 'n1');
  const n2 = await peer(urlNode, 'websocket', 'n2');
  const all = [a1, a2, b1, b2, n1, n2];

  const joined = await Promise.all([a1, b1, n1].map((p) => withTimeout(p.ack('join-room', 'ops'), WAIT_MS, `${p.name} join`)));
  check('joined-on-each-server', joined.every((j) => j === 'Joined ops'), { joined });

  await deliver('room-from-parley', a1, 'r1 from a1', 'ops', [b1, n1], all);
  await deliver('room-from-node', n1, 'r2 from n1', 'ops', [a1, b1], all);
  await deliver('room-from-the-other-parley', b1, 'r3 from b1', 'ops', [a1, n1], all);
  await deliver('everyone-from-parley', a2, 'e1 from a2', '', [a1, b1, b2, n1, n2], all);
  await deliver('everyone-from-node', n2, 'e2 from n2', '', [a1, a2, b1, b2, n1], all);
  await deliver('direct-from-node-to-parley', n2, 'd1 from n2', a1.id, [a1], all);
  await deliver('direct-from-node-to-the-other-parley', n1, 'd2 from n1', b2.id, [b2], all);
  // Parley hosts know each other's people (§19.1): a direct message by the id of a socket on the
  // other host is one, and reaches that socket alone.
  await deliver('direct-from-parley-to-the-other-parley', a2, 'd3 from a2', b2.id, [b2], all);

  // A burst from each kind of server: every member gets each message once, in the sender's order.
  for (const [sender, members] of [[a1, [b1, n1]], [n1, [a1, b1]]]) {
    const texts = Array.from({ length: 30 }, (_, i) => `burst ${sender.name} ${i}`);
    for (const text of texts) sender.socket.emit('send-message', text, 'ops');
    await Promise.allSettled(members.map((m) => m.waitForMessage(texts[texts.length - 1], WAIT_MS * 2)));
    await sleep(QUIET_MS);
    const orders = Object.fromEntries(members.map((m) => [
      m.name,
      m.seen('receive-message', (t) => typeof t === 'string' && t.startsWith(`burst ${sender.name} `)).map((e) => e.args[0]),
    ]));
    const ok = members.every((m) => JSON.stringify(orders[m.name]) === JSON.stringify(texts));
    check(`burst-from-${sender === a1 ? 'parley' : 'node'}-once-in-order`, ok, ok ? {} : { orders });
  }

  await nodeSocketsArePeople(a1, n1, n2, all);

  if (pagePort) {
    await browsers([a1, b1, n1]);
  }
} catch (e) {
  check('script', false, { error: e.message });
} finally {
  await runCleanups(cleanups);
}
process.exit(failed === 0 ? 0 : 1);

/**
 * A Node server's sockets are people on the Parley hosts (§19.1, asked for with fetchSockets every
 * 10 s): in a Parley client's list, a direct message by such an id is one (stored, meta.kind
 * "direct") and reaches that socket alone, and a socket that leaves leaves the list.
 */
async function nodeSocketsArePeople(parley, node, leaving, everyone) {
  const listHas = async (id) => (await parley.ack('list-peers')).peers.includes(id);
  const until = async (want, ms) => {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(250)) {
      if (await want()) return true;
    }
    return false;
  };
  check('node-sockets-in-parley-list', await until(async () => (await listHas(node.id)) && (await listHas(leaving.id)), 25_000));
  await deliver('direct-from-parley-to-node', parley, 'd4 from a1', node.id, [node], everyone);
  const meta = node.seen('receive-message', (m) => m === 'd4 from a1')[0]?.args[1];
  check('direct-to-a-node-socket-is-direct', meta?.kind === 'direct', { meta });
  leaving.socket.disconnect();
  check('a-node-socket-that-left-leaves-the-list', await until(async () => !(await listHas(leaving.id)), 25_000));
}

/**
 * The tutorial's page in Chromium on each server, joined to "ops" by its form as a person would:
 * what each page sends reaches the other two pages and the socket.io-client members, once; what
 * a Parley client's peer sends reaches the three pages once.
 */
async function browsers(members) {
  const { server, origin } = await serveTutorialPage(Number(pagePort));
  cleanups.push(() => new Promise((r) => server.close(r)));
  const profile = await mkdtemp(join(tmpdir(), 'parley-chromium-'));
  cleanups.push(() => rm(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    timeout: 60_000,
  });
  cleanups.push(() => context.close());
  const pages = [];
  for (const [label, url] of [['page-a', urlA], ['page-b', urlB], ['page-node', urlNode]]) {
    const page = await context.newPage();
    await page.goto(`${origin}/?server=${encodeURIComponent(url)}`, { timeout: PAGE_WAIT_MS });
    await page.waitForFunction(() => window.tutorialPage?.connected, null, { timeout: PAGE_WAIT_MS });
    await page.fill('#room-input', 'ops');
    await page.click('#room-button');
    await page.locator('#message-container', { hasText: 'Joined ops' }).waitFor({ timeout: PAGE_WAIT_MS });
    pages.push({ label, page });
  }
  const received = (page, text) => page.evaluate((t) => window.tutorialPage.received.filter((r) => r.message === t).length, text);
  const problems = [];
  for (const sender of pages) {
    const text = `typed on ${sender.label}`;
    await sender.page.fill('#message-input', text);
    await sender.page.click('#send-button');
    for (const other of pages.filter((p) => p !== sender)) {
      await other.page.waitForFunction((t) => window.tutorialPage.received.some((r) => r.message === t), text, { timeout: PAGE_WAIT_MS })
        .catch(() => problems.push(`${other.label} never got "${text}"`));
    }
    await Promise.allSettled(members.map((m) => m.waitForMessage(text)));
  }
  await sleep(QUIET_MS);
  for (const sender of pages) {
    const text = `typed on ${sender.label}`;
    for (const other of pages.filter((p) => p !== sender)) {
      const n = await received(other.page, text);
      if (n !== 1) problems.push(`${other.label} got "${text}" ${n} times`);
    }
    for (const m of members) {
      if (m.countMessage(text) !== 1) problems.push(`${m.name} got "${text}" ${m.countMessage(text)} times`);
    }
  }
  const toPages = 'from a Parley host to the browsers';
  members[0].socket.emit('send-message', toPages, 'ops');
  for (const p of pages) {
    await p.page.waitForFunction((t) => window.tutorialPage.received.some((r) => r.message === t), toPages, { timeout: PAGE_WAIT_MS })
      .catch(() => problems.push(`${p.label} never got "${toPages}"`));
  }
  await sleep(QUIET_MS);
  for (const p of pages) {
    const n = await received(p.page, toPages);
    if (n !== 1) problems.push(`${p.label} got "${toPages}" ${n} times`);
  }
  check('browsers-on-each-server', problems.length === 0, { problems });
}
