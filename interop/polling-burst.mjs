// A burst over HTTP long-polling: N clients on transports ['polling'] join room 'burst'; the first
// sends M messages into it as fast as it can; every other client must receive each exactly once.
//
//   node interop/polling-burst.mjs <host url> [clients=50] [messages=200] [budget ms=60000] [--no-acks]
//
// Prints one summary line {"summary":true,"expected","delivered","unique","duplicates","missing",...}
// and exits 1 unless every receiver got every message exactly once and every send was acked
// (--no-acks: sends without an ack request, for servers such as the tutorial's that never ack).
// Bounded: 5 s per connect and join; delivery stops waiting once nothing new arrived for 5 s, or
// at the budget.
import { connectPeer, emitLine, globalTimeout, sleep } from './lib.mjs';

const [url, clientsArg = '50', messagesArg = '200', budgetArg = '60000'] = process.argv.slice(2)
  .filter((a) => !a.startsWith('--'));
const wantAcks = !process.argv.includes('--no-acks');
if (!url) {
  console.error('usage: node polling-burst.mjs <host url> [clients] [messages] [budget ms]');
  process.exit(2);
}
const clientCount = Number(clientsArg);
const messageCount = Number(messagesArg);
const budgetMs = Number(budgetArg);
const IDLE_MS = 5_000;
globalTimeout(budgetMs + 60_000, 'polling-burst.mjs');

const started = Date.now();
const peers = [];
const summary = { summary: true, clients: clientCount, messages: messageCount };

async function run() {
  // Connect in batches of 10 so the handshake burst itself is not what is measured.
  for (let from = 0; from < clientCount; from += 10) {
    const batch = [];
    for (let i = from; i < Math.min(from + 10, clientCount); i++) batch.push(connectPeer(url, 'polling', `p${i}`));
    const settled = await Promise.allSettled(batch);
    for (const s of settled) {
      if (s.status === 'rejected') throw new Error(`connecting: ${s.reason.message}`);
      peers.push(s.value);
    }
  }
  summary.connectMs = Date.now() - started;
  const joins = await Promise.allSettled(peers.map((p) => p.ack('join-room', 'burst')));
  const badJoins = joins.filter((j) => j.status === 'rejected' || j.value !== 'Joined burst');
  if (badJoins.length) {
    throw new Error(`${badJoins.length} join-room acks missing or wrong: `
      + `${badJoins[0].reason?.message ?? JSON.stringify(badJoins[0].value)}`);
  }
  summary.joinMs = Date.now() - started - summary.connectMs;

  const [sender, ...receivers] = peers;
  const counts = receivers.map(() => new Map()); // per receiver: message index -> deliveries
  receivers.forEach((peer, r) => {
    peer.socket.on('receive-message', (text) => {
      if (typeof text === 'string' && text.startsWith('burst ')) {
        const n = Number(text.slice(6));
        counts[r].set(n, (counts[r].get(n) ?? 0) + 1);
      }
    });
  });
  let acksOk = 0;
  let acksRefused = 0;
  const sendStarted = Date.now();
  for (let i = 0; i < messageCount; i++) {
    if (wantAcks) {
      sender.socket.emit('send-message', `burst ${i}`, 'burst', (ack) => (ack?.ok === true ? acksOk++ : acksRefused++));
    } else {
      sender.socket.emit('send-message', `burst ${i}`, 'burst');
    }
  }
  const expected = receivers.length * messageCount;
  const delivered = () => counts.reduce((sum, m) => sum + [...m.values()].reduce((a, b) => a + b, 0), 0);
  let last = -1;
  let lastChange = Date.now();
  // Bounded wait: stops when complete, when idle for IDLE_MS, or at the budget.
  while (Date.now() - started < budgetMs) {
    const now = delivered();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    }
    const uniqueNow = counts.reduce((sum, m) => sum + m.size, 0);
    if (uniqueNow === expected && (!wantAcks || acksOk + acksRefused === messageCount)) break;
    if (Date.now() - lastChange > IDLE_MS) break;
    await sleep(50);
  }
  summary.deliverMs = Date.now() - sendStarted;
  await sleep(500); // late duplicates
  const unique = counts.reduce((sum, m) => sum + m.size, 0);
  const total = delivered();
  const missingPer = counts.map((m) => messageCount - m.size);
  const duplicatesPer = counts.map((m) => [...m.values()].reduce((a, b) => a + b, 0) - m.size);
  const missingByIndex = new Map(); // message index -> how many receivers lack it
  counts.forEach((m) => {
    for (let i = 0; i < messageCount; i++) if (!m.has(i)) missingByIndex.set(i, (missingByIndex.get(i) ?? 0) + 1);
  });
  Object.assign(summary, {
    expected,
    delivered: total,
    unique,
    missing: expected - unique,
    duplicates: total - unique,
    receiversComplete: missingPer.filter((m) => m === 0).length,
    receiversWithLosses: missingPer.filter((m) => m > 0).length,
    receiversWithDuplicates: duplicatesPer.filter((d) => d > 0).length,
    worstReceiverMissing: Math.max(0, ...missingPer),
    messagesMissingSomewhere: missingByIndex.size,
    missingByIndex: Object.fromEntries([...missingByIndex].sort((a, b) => a[0] - b[0]).slice(0, 20)),
    acksRequested: wantAcks,
    acksOk,
    acksRefused,
    acksMissing: wantAcks ? messageCount - acksOk - acksRefused : null,
    ok: unique === expected && total === expected && (!wantAcks || acksOk === messageCount),
  });
}

let exitCode = 1;
try {
  await run();
  exitCode = summary.ok ? 0 : 1;
} catch (err) {
  summary.ok = false;
  summary.error = err.message;
}
summary.totalMs = Date.now() - started;
emitLine(summary);
console.error(`polling-burst.mjs: ${summary.ok ? 1 : 0} passed, ${summary.ok ? 0 : 1} failed`);
for (const p of peers) p.close();
await sleep(300);
process.exit(exitCode);
