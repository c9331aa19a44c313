// Parley benchmark load generator: one Node process, many real socket.io-client 4.8 sockets
// (websocket transport only), all in room "bench". Prints ONE JSON line on stdout with the result;
// progress goes to stderr. Every phase is bounded in count and time, and a global timeout ends the
// process whatever it is doing.
//
//   node bench/loadgen.mjs --url http://127.0.0.1:PORT --scenario fanout --clients 100 \
//        --messages 20000 --warmup 2000 --window 50 [--server-pid PID] [--label parley]
//   node bench/loadgen.mjs --url ... --scenario chat --clients 200 --seconds 15 --warmup-seconds 3
//
// fanout: client 0 sends `messages` texts to the room, never more than `window` of them not yet
//         delivered to every other client; each of the other N-1 clients records every delivery.
// chat:   every client sends 1 message a second (staggered evenly across the second) for
//         `seconds` seconds; each message goes to the N-1 others.
// idle:   every client connects and joins, then all hold still for `seconds` seconds; reports the
//         server's RSS and CPU while it holds them.
//
// Each text is "<phase><seq>|<performance.now() at send>|<padding>"; the receiver is in the same
// process, so latency = receive time - send time on one clock. Deliveries are checked per
// (receiver, seq): lost = expected - distinct, duplicates = repeats.
//
// With --server-pid, the server's CPU time (/proc/PID/stat utime+stime, all threads) is taken at
// the start and end of the measured phase, and its RSS (/proc/PID/status VmRSS) is sampled every
// 200 ms during it; VmHWM gives the peak over the server's whole life.
//
// Clients connect from 127.0.0.2, 127.0.0.3, ... (--per-address sockets each, default 200) so
// that a host's per-address connection limit (Parley: 256) does not refuse a 1000-client room;
// all of 127.0.0.0/8 is loopback on Linux. Both servers get exactly the same treatment.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../interop/package.json', import.meta.url));
const { io } = require('socket.io-client');

// ---- options ----
const defaults = {
  url: '',
  scenario: 'fanout',
  clients: 100,
  messages: 10000,
  warmup: 1000,
  window: 50,
  seconds: 15,
  'warmup-seconds': 3,
  rate: 1,
  batch: 50,
  'per-address': 200,
  pad: 48,
  'server-pid': 0,
  'server-log': '',
  label: '',
  round: 0,
  'stall-ms': 10000,
  'timeout-s': 180,
  'connect-timeout-ms': 60000,
};
const opts = { ...defaults };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in defaults) || i + 1 >= argv.length) {
      process.stderr.write(`loadgen: unknown option or missing value: ${argv[i]}\n`);
      process.exit(2);
    }
    const value = argv[++i];
    opts[key] = typeof defaults[key] === 'number' ? Number(value) : value;
  }
  if (!opts.url || !['fanout', 'chat', 'idle'].includes(opts.scenario) || !(opts.clients >= 2)) {
    process.stderr.write('loadgen: need --url, --scenario fanout|chat|idle and --clients >= 2\n');
    process.exit(2);
  }
}
const N = opts.clients;
const ROOM = 'bench';
const PAD = 'x'.repeat(Math.max(0, opts.pad));
const log = (text) => process.stderr.write(`${new Date().toISOString()} loadgen[${opts.label || opts.scenario}]: ${text}\n`);
const emitLine = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const fail = (what, extra = {}) => {
  emitLine({ ok: false, label: opts.label, round: opts.round, scenario: opts.scenario, clients: N, error: what, ...extra });
  process.exit(1);
};
setTimeout(() => fail(`global timeout after ${opts['timeout-s']} s`), opts['timeout-s'] * 1000).unref();

// ---- server /proc sampling ----
const CLK_TCK = 100; // getconf CLK_TCK on Linux x86-64
function serverCpuTicks() {
  if (!opts['server-pid']) return null;
  try {
    const stat = readFileSync(`/proc/${opts['server-pid']}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}
function serverStatusKb(field) {
  if (!opts['server-pid']) return null;
  try {
    const status = readFileSync(`/proc/${opts['server-pid']}/status`, 'utf8');
    const m = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
/** Busy jiffies of the whole machine, all CPUs (/proc/stat: everything but idle and iowait). */
function machineBusyTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal; guest is inside user
    return total - v[3] - v[4];
  } catch {
    return null;
  }
}
const mb = (kb) => (kb == null ? null : Math.round(kb / 102.4) / 10);

/** Whether the server's log (--server-log) mentions `text` so far; null without a log. */
function serverLogSays(text) {
  if (!opts['server-log']) return null;
  try {
    return readFileSync(opts['server-log'], 'utf8').includes(text);
  } catch {
    return null;
  }
}

// ---- clients ----
const sockets = new Array(N);
let disconnects = 0;
let peersEvents = 0;
let connectErrors = 0;
let current = null; // the tracker of the phase under way

function addressFor(i) {
  const k = Math.floor(i / opts['per-address']);
  return `127.0.${Math.floor((k + 2) / 256)}.${(k + 2) % 256}`;
}

function connectOne(i) {
  return new Promise((resolve, reject) => {
    const socket = io(opts.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: opts['connect-timeout-ms'],
      localAddress: addressFor(i),
    });
    sockets[i] = socket;
    socket.on('receive-message', (text) => onReceive(i, text));
    socket.on('peers', () => peersEvents++);
    socket.once('connect', () => {
      socket.on('disconnect', (reason) => {
        disconnects++;
        if (disconnects <= 5) log(`client ${i} disconnected: ${reason}`);
      });
      resolve();
    });
    socket.once('connect_error', (err) => {
      connectErrors++;
      reject(new Error(`client ${i} (${addressFor(i)}): connect_error ${err.message}`));
    });
  });
}

async function connectAll() {
  const started = performance.now();
  for (let start = 0; start < N; start += opts.batch) {
    const batch = [];
    for (let i = start; i < Math.min(N, start + opts.batch); i++) batch.push(connectOne(i));
    await Promise.all(batch);
  }
  const connected = performance.now();
  for (let start = 0; start < N; start += opts.batch) {
    const batch = [];
    for (let i = start; i < Math.min(N, start + opts.batch); i++) {
      batch.push(
        sockets[i]
          .timeout(opts['connect-timeout-ms'])
          .emitWithAck('join-room', ROOM)
          .then((answer) => {
            if (answer !== `Joined ${ROOM}`) throw new Error(`client ${i}: join-room answered ${JSON.stringify(answer)}`);
          }),
      );
    }
    await Promise.all(batch);
  }
  return { connectMs: connected - started, joinMs: performance.now() - connected };
}

// ---- delivery bookkeeping ----
class Tracker {
  /**
   * @param tag       one letter starting every text of this phase
   * @param count     messages in the phase
   * @param senderOf  seq -> index of the client that sends it (never a receiver of it)
   */
  constructor(tag, count, senderOf) {
    this.tag = tag;
    this.count = count;
    this.senderOf = senderOf;
    this.perMessage = N - 1;
    this.expected = count * this.perMessage;
    this.seen = new Uint8Array(count * N);
    this.done = new Uint32Array(count);
    this.latencies = new Float64Array(this.expected);
    this.deliveries = 0;
    this.duplicates = 0;
    this.unexpected = 0;
    this.completed = 0;
    this.firstSend = Infinity;
    this.lastDelivery = 0;
    this.lastProgress = performance.now();
    this.onComplete = () => {};
  }

  text(seq) {
    const now = performance.now();
    if (now < this.firstSend) this.firstSend = now;
    return `${this.tag}${seq}|${now.toFixed(3)}|${PAD}`;
  }

  receive(r, text, now) {
    const bar = text.indexOf('|');
    const seq = Number(text.slice(1, bar));
    if (!(seq >= 0 && seq < this.count) || this.senderOf(seq) === r) {
      this.unexpected++;
      return;
    }
    const slot = seq * N + r;
    if (this.seen[slot]) {
      this.duplicates++;
      return;
    }
    this.seen[slot] = 1;
    const sent = Number(text.slice(bar + 1, text.indexOf('|', bar + 1)));
    this.latencies[this.deliveries++] = now - sent;
    this.lastDelivery = now;
    this.lastProgress = now;
    if (++this.done[seq] === this.perMessage) {
      this.completed++;
      this.onComplete(seq);
    }
  }

  /** Resolves when every message reached every receiver, or after `stallMs` without progress. */
  finished(stallMs, also = () => true) {
    return new Promise((resolve) => {
      const check = () => {
        if (this.completed === this.count && also()) return resolve(false);
        if (performance.now() - this.lastProgress > stallMs) return resolve(true);
        setTimeout(check, 20);
      };
      check();
    });
  }
}

let strayTexts = 0;
function onReceive(r, text) {
  const now = performance.now();
  if (typeof text !== 'string') {
    strayTexts++;
    return;
  }
  if (current && text[0] === current.tag) current.receive(r, text, now);
  else strayTexts++; // a late delivery from a finished phase: counted, not measured
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}
const r2 = (x) => (x == null ? null : Math.round(x * 100) / 100);

function summary(tracker, startedAt, cpuBefore, ticksBefore, rssMaxKb, extra = {}) {
  const end = Math.max(tracker.lastDelivery, startedAt);
  const wallMs = end - Math.min(tracker.firstSend, end);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsedMs = performance.now() - startedAt;
  const ticksAfter = serverCpuTicks();
  const lat = tracker.latencies.subarray(0, tracker.deliveries).sort();
  let sum = 0;
  for (const v of lat) sum += v;
  return {
    messages: tracker.count,
    expected: tracker.expected,
    deliveries: tracker.deliveries,
    lost: tracker.expected - tracker.deliveries,
    duplicates: tracker.duplicates,
    unexpected: tracker.unexpected,
    seconds: r2(wallMs / 1000),
    deliveriesPerSec: Math.round(tracker.deliveries / (wallMs / 1000)),
    p50: r2(percentile(lat, 50)),
    p95: r2(percentile(lat, 95)),
    p99: r2(percentile(lat, 99)),
    max: r2(lat.length ? lat[lat.length - 1] : null),
    mean: r2(lat.length ? sum / lat.length : null),
    loadgenCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / elapsedMs) * 100),
    serverCpuPct:
      ticksBefore == null || ticksAfter == null
        ? null
        : Math.round((((ticksAfter - ticksBefore) / CLK_TCK) * 1000 * 100) / elapsedMs),
    serverRssMaxMB: mb(rssMaxKb),
    ...extra,
  };
}

/** Runs `body(tracker)` as a measured phase: loadgen and server CPU, server RSS samples. */
async function measured(tracker, body) {
  current = tracker;
  let rssMaxKb = serverStatusKb('VmRSS');
  const sampler = setInterval(() => {
    const kb = serverStatusKb('VmRSS');
    if (kb != null && (rssMaxKb == null || kb > rssMaxKb)) rssMaxKb = kb;
  }, 200);
  const cpuBefore = process.cpuUsage();
  const ticksBefore = serverCpuTicks();
  const machineBefore = machineBusyTicks();
  const startedAt = performance.now();
  const extra = await body(tracker);
  clearInterval(sampler);
  const kb = serverStatusKb('VmRSS');
  if (kb != null && (rssMaxKb == null || kb > rssMaxKb)) rssMaxKb = kb;
  current = null;
  const machineAfter = machineBusyTicks();
  const elapsedMs = performance.now() - startedAt;
  const result = summary(tracker, startedAt, cpuBefore, ticksBefore, rssMaxKb, extra);
  if (machineBefore != null && machineAfter != null) {
    // all CPUs together, in % of one core; what neither the server nor the loadgen used is
    // someone else's (or the kernel's, e.g. loopback softirqs not charged to either process)
    result.machineCpuPct = Math.round((((machineAfter - machineBefore) / CLK_TCK) * 1000 * 100) / elapsedMs);
    if (result.serverCpuPct != null) result.otherCpuPct = result.machineCpuPct - result.serverCpuPct - result.loadgenCpuPct;
  }
  return result;
}

// ---- scenarios ----
async function fanoutPhase(tag, count) {
  const sender = sockets[0];
  const tracker = new Tracker(tag, count, () => 0);
  return measured(tracker, async () => {
    let next = 0;
    let inFlight = 0;
    const pump = () => {
      while (inFlight < opts.window && next < count) {
        sender.emit('send-message', tracker.text(next++), ROOM);
        inFlight++;
      }
    };
    tracker.onComplete = () => {
      inFlight--;
      pump();
    };
    tracker.lastProgress = performance.now();
    pump();
    const stalled = await tracker.finished(opts['stall-ms']);
    return { stalled, window: opts.window };
  });
}

async function chatPhase(tag, seconds) {
  const perSecond = opts.rate;
  const count = Math.round(seconds * perSecond) * N;
  // seq = k * N + i: client i's k-th message, due at k/rate s + i/(N*rate) s
  const tracker = new Tracker(tag, count, (seq) => seq % N);
  return measured(tracker, async () => {
    const t0 = performance.now() + 50;
    const lags = new Float64Array(count);
    let next = 0;
    await new Promise((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (next < count) {
          const due = t0 + (next / N / perSecond) * 1000;
          if (due > now) break;
          const i = next % N;
          lags[next] = now - due;
          sockets[i].emit('send-message', tracker.text(next), ROOM);
          next++;
        }
        if (next >= count) return resolve();
        setTimeout(tick, 1);
      };
      tick();
    });
    tracker.lastProgress = performance.now();
    const stalled = await tracker.finished(Math.min(opts['stall-ms'], 5000));
    lags.sort();
    return {
      stalled,
      offeredPerSec: perSecond * N,
      sendLagP99: r2(percentile(lags, 99)),
      sendLagMax: r2(lags[lags.length - 1]),
    };
  });
}

// ---- main ----
const started = performance.now();
log(`connecting ${N} clients to ${opts.url}`);
const cpuConnect = process.cpuUsage();
const ticksConnect = serverCpuTicks();
let setup;
try {
  setup = await connectAll();
} catch (err) {
  fail(err.message, { connected: sockets.filter((s) => s && s.connected).length });
}
const connectCpu = process.cpuUsage(cpuConnect);
const ticksConnected = serverCpuTicks();
const setupInfo = {
  connectMs: Math.round(setup.connectMs),
  joinMs: Math.round(setup.joinMs),
  connectLoadgenCpuS: r2((connectCpu.user + connectCpu.system) / 1e6),
  connectServerCpuS: ticksConnect == null || ticksConnected == null ? null : r2((ticksConnected - ticksConnect) / CLK_TCK),
  serverRssConnectedMB: mb(serverStatusKb('VmRSS')),
  peersEventsDuringSetup: peersEvents,
};
log(`connected and joined in ${setupInfo.connectMs + setupInfo.joinMs} ms; ${peersEvents} peers events`);
// Let anything still in flight from the connect phase (e.g. peer lists) settle.
await new Promise((r) => setTimeout(r, 500));

if (opts.scenario === 'idle') {
  // Hold every connection (all in the room) for `seconds`; what does the server spend on them?
  log(`holding ${N} idle connections for ${opts.seconds} s`);
  let rssMaxKb = serverStatusKb('VmRSS');
  const ticksBefore = serverCpuTicks();
  const holdStarted = performance.now();
  const sampler = setInterval(() => {
    const kb = serverStatusKb('VmRSS');
    if (kb != null && (rssMaxKb == null || kb > rssMaxKb)) rssMaxKb = kb;
  }, 200);
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  clearInterval(sampler);
  const ticksAfter = serverCpuTicks();
  const held = sockets.filter((x) => x && x.connected).length;
  emitLine({
    ok: held === N && disconnects === 0 && serverLogSays('OutOfMemoryError') !== true,
    label: opts.label,
    round: opts.round,
    scenario: 'idle',
    clients: N,
    held,
    holdSeconds: opts.seconds,
    serverRssIdleMB: mb(serverStatusKb('VmRSS')),
    serverRssHoldMaxMB: mb(rssMaxKb),
    serverRssPeakMB: mb(serverStatusKb('VmHWM')),
    serverIdleCpuPct: ticksBefore == null || ticksAfter == null ? null
      : Math.round((((ticksAfter - ticksBefore) / CLK_TCK) * 1000 * 100) / (performance.now() - holdStarted)),
    ...setupInfo,
    disconnects,
    connectErrors,
    totalSeconds: r2((performance.now() - started) / 1000),
  });
  process.exit(0);
}

let warm;
let result;
if (opts.scenario === 'fanout') {
  warm = await fanoutPhase('w', opts.warmup);
  log(`warm-up: ${warm.deliveriesPerSec} deliveries/s, p99 ${warm.p99} ms`);
  log('measured phase starts');
  result = await fanoutPhase('m', opts.messages);
} else {
  warm = await chatPhase('w', opts['warmup-seconds']);
  log(`warm-up: ${warm.deliveriesPerSec} deliveries/s, p99 ${warm.p99} ms`);
  log('measured phase starts');
  result = await chatPhase('m', opts.seconds);
}
log(`measured phase ended: ${result.deliveriesPerSec} deliveries/s, p99 ${result.p99} ms, lost ${result.lost}, dup ${result.duplicates}`);

emitLine({
  ok: result.lost === 0 && result.duplicates === 0 && result.unexpected === 0 && !result.stalled && disconnects === 0
    && serverLogSays('OutOfMemoryError') !== true,
  label: opts.label,
  round: opts.round,
  scenario: opts.scenario,
  clients: N,
  ...result,
  warmup: { messages: warm.messages, lost: warm.lost, duplicates: warm.duplicates, deliveriesPerSec: warm.deliveriesPerSec, p99: warm.p99 },
  ...setupInfo,
  serverRssPeakMB: mb(serverStatusKb('VmHWM')),
  disconnects,
  connectErrors,
  strayTexts,
  peersEvents,
  serverOutOfMemoryDuringRun: serverLogSays('OutOfMemoryError'),
  totalSeconds: r2((performance.now() - started) / 1000),
});
// The sockets die with the process; the server is stopped by the caller.
process.exit(0);
