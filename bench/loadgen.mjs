// Parley benchmark load generator: real socket.io-client 4.8 sockets (websocket transport only),
// all in room "bench", spread over worker processes so that receiving is not held to one core.
// Prints ONE JSON line on stdout with the result; progress goes to stderr. Every phase is bounded
// in count and time, and a global timeout ends the process (and its workers) whatever it is doing.
//
//   node bench/loadgen.mjs --url http://127.0.0.1:PORT --scenario fanout --clients 100 \
//        --messages 20000 --warmup 2000 --window 50 [--workers 2] [--server-pid PID] [--label parley]
//   node bench/loadgen.mjs --url http://127.0.0.1:P1,http://127.0.0.1:P2 --server-pid PID1,PID2 \
//        [--broker-pid REDIS] [--store-pid POSTMASTER] ...   (a cluster: client i on server i % 2)
//   node bench/loadgen.mjs --url ... --scenario chat --clients 200 --seconds 15 --warmup-seconds 3
//
// fanout: client 0 sends `messages` texts to the room, never more than `window` of them not yet
//         delivered to every other client; each of the other N-1 clients records every delivery.
// chat:   every client sends 1 message a second (staggered evenly across the second) for
//         `seconds` seconds; each message goes to the N-1 others.
// idle:   every client connects and joins, then all hold still for `seconds` seconds; reports the
//         server's RSS and CPU while it holds them.
//
// Processes: this one (the coordinator) forks --workers children (default 2). Client i lives in
// worker i % workers, except the fan-out sender (client 0), which lives here. A single JavaScript
// thread parsing every delivery was the limit before the server was (it ran at 99 % of a core
// while Parley's host used a third of one); the workers share the receiving out. The coordinator
// paces the fan-out window from the workers' "message complete" reports and adds up their counts.
//
// Each text is "<phase><seq>|<send time>|<padding>"; send time is milliseconds since the epoch at
// microsecond resolution (performance.timeOrigin + performance.now()), the same clock in every
// process on the machine, so latency = receive time - send time. Deliveries are checked per
// (receiver, seq) in the receiver's worker: lost = expected - distinct, duplicates = repeats.
//
// With --server-pid, the server's CPU time (/proc/PID/stat utime+stime, all threads) is taken at
// the start and end of the measured phase, and its RSS (/proc/PID/status VmRSS) is sampled every
// 200 ms during it; VmHWM gives the peak over the server's whole life. Loadgen CPU is the sum over
// the coordinator and its workers (so it can pass 100 % of one core).
//
// A cluster: --url and --server-pid take comma-separated lists; client i connects to URL i % k (the
// fan-out sender, client 0, to the first), server CPU and RSS are the sums over the servers.
// --broker-pid and --store-pid (Redis, PostgreSQL's postmaster) are measured with their child
// processes (PostgreSQL's backends), as brokerCpuPct and storeCpuPct.
//
// Clients connect from 127.0.0.2, 127.0.0.3, ... (--per-address sockets each, default 200) so
// that a host's per-address connection limit (Parley: 256) does not refuse a 1000-client room;
// all of 127.0.0.0/8 is loopback on Linux. Both servers get exactly the same treatment.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const require = createRequire(new URL('../interop/package.json', import.meta.url));

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
  workers: 2,
  'server-pid': '',
  'broker-pid': 0,
  'store-pid': 0,
  'server-log': '',
  label: '',
  round: 0,
  'stall-ms': 10000,
  'timeout-s': 180,
  'connect-timeout-ms': 60000,
  worker: -1, // internal: this process is worker K of a coordinator
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
  if (!opts.url || !['fanout', 'chat', 'idle'].includes(opts.scenario) || !(opts.clients >= 2)
      || !(opts.workers >= 1 && opts.workers <= 16)) {
    process.stderr.write('loadgen: need --url, --scenario fanout|chat|idle, --clients >= 2 and 1 <= --workers <= 16\n');
    process.exit(2);
  }
}
const URLS = opts.url.split(',').map((u) => u.trim()).filter(Boolean);
const SERVER_PIDS = String(opts['server-pid']).split(',').map(Number).filter((p) => p > 0);
const N = opts.clients;
const W = Math.min(opts.workers, N - 1);
const ROOM = 'bench';
const PAD = 'x'.repeat(Math.max(0, opts.pad));
const IS_WORKER = opts.worker >= 0;
const log = (text) => process.stderr.write(
  `${new Date().toISOString()} loadgen[${opts.label || opts.scenario}${IS_WORKER ? ` w${opts.worker}` : ''}]: ${text}\n`);
/** Milliseconds since the epoch, microsecond resolution: one clock for every process here. */
const clock = () => performance.timeOrigin + performance.now();
const r2 = (x) => (x == null ? null : Math.round(x * 100) / 100);

/** Which process holds client i: -1 = the coordinator (the fan-out sender), else a worker. */
function ownerOf(i) {
  if (opts.scenario === 'fanout' && i === 0) return -1;
  return opts.scenario === 'fanout' ? (i - 1) % W : i % W;
}
/** The client that sends message `seq` of a phase. */
function senderOf(seq) {
  return opts.scenario === 'chat' ? seq % N : 0;
}
function addressFor(i) {
  const k = Math.floor(i / opts['per-address']);
  return `127.0.${Math.floor((k + 2) / 256)}.${(k + 2) % 256}`;
}
/** The text of message `seq` in phase `tag`, stamped now. */
function textOf(tag, seq) {
  return `${tag}${seq}|${clock().toFixed(3)}|${PAD}`;
}

/** Connects client i; resolves with its socket once connected. */
function connectOne(i, onReceive, counters) {
  const { io } = require('socket.io-client');
  return new Promise((resolve, reject) => {
    const socket = io(URLS[i % URLS.length], {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: opts['connect-timeout-ms'],
      localAddress: addressFor(i),
    });
    socket.on('receive-message', (text) => onReceive(i, text));
    socket.on('peers', () => counters.peersEvents++);
    socket.once('connect', () => {
      socket.on('disconnect', (reason) => {
        counters.disconnects++;
        if (counters.disconnects <= 5) log(`client ${i} disconnected: ${reason}`);
      });
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      counters.connectErrors++;
      reject(new Error(`client ${i} (${addressFor(i)}): connect_error ${err.message}`));
    });
  });
}

/** Connects `indices`, `batchSize` at a time; puts each socket in `sockets`. */
async function connectAll(indices, sockets, onReceive, counters, batchSize) {
  for (let start = 0; start < indices.length; start += batchSize) {
    await Promise.all(indices.slice(start, start + batchSize).map((i) =>
      connectOne(i, onReceive, counters).then((s) => { sockets.set(i, s); })));
  }
}

/** Joins every socket of `indices` to the room, `batchSize` at a time. */
async function joinAll(indices, sockets, batchSize) {
  for (let start = 0; start < indices.length; start += batchSize) {
    await Promise.all(indices.slice(start, start + batchSize).map((i) =>
      sockets.get(i)
        .timeout(opts['connect-timeout-ms'])
        .emitWithAck('join-room', ROOM)
        .then((answer) => {
          if (answer !== `Joined ${ROOM}`) throw new Error(`client ${i}: join-room answered ${JSON.stringify(answer)}`);
        })));
  }
}

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

// ---- server /proc sampling ----
const CLK_TCK = 100; // getconf CLK_TCK on Linux x86-64
/** [ppid, utime + stime] of a process, or null once it is gone. */
function procStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[1]), Number(fields[11]) + Number(fields[12])]; // ppid, utime, stime (fields 4, 14, 15)
  } catch {
    return null;
  }
}
/** The servers' CPU ticks together, or null when one of them cannot be read. */
function serverCpuTicks() {
  if (SERVER_PIDS.length === 0) return null;
  let sum = 0;
  for (const pid of SERVER_PIDS) {
    const s = procStat(pid);
    if (!s) return null;
    sum += s[1];
  }
  return sum;
}
/** CPU ticks of `root` and every process below it (PostgreSQL's backends), or null without one. */
function treeCpuTicks(root) {
  if (!root) return null;
  const children = new Map();
  const ticks = new Map();
  let pids = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return null;
  }
  for (const pid of pids) {
    const s = procStat(pid);
    if (!s) continue;
    ticks.set(pid, s[1]);
    if (!children.has(s[0])) children.set(s[0], []);
    children.get(s[0]).push(pid);
  }
  if (!ticks.has(root)) return null;
  let sum = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop();
    sum += ticks.get(pid) ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return sum;
}
/** A VmRSS-like field summed over the servers, in kB, or null when one cannot be read. */
function serverStatusKb(field) {
  if (SERVER_PIDS.length === 0) return null;
  let sum = 0;
  for (const pid of SERVER_PIDS) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
      if (!m) return null;
      sum += Number(m[1]);
    } catch {
      return null;
    }
  }
  return sum;
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

// ---- worker: holds its share of the clients and checks what they receive ----
async function runWorker() {
  const me = opts.worker;
  const send = (m) => process.send(m);
  process.on('disconnect', () => process.exit(0)); // the coordinator is gone
  const mine = [];
  for (let i = 0; i < N; i++) if (ownerOf(i) === me) mine.push(i);
  const L = mine.length;
  const local = new Int32Array(N).fill(-1);
  mine.forEach((i, k) => { local[i] = k; });
  const sockets = new Map();
  const counters = { peersEvents: 0, disconnects: 0, connectErrors: 0, strayTexts: 0 };
  let phase = null;
  let pendingDone = [];
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (pendingDone.length) send({ type: 'done', seqs: pendingDone });
    pendingDone = [];
  };
  const completed = (seq) => {
    pendingDone.push(seq);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  const onReceive = (r, text) => {
    const now = clock();
    const p = phase;
    if (typeof text !== 'string' || !p || text[0] !== p.tag) {
      counters.strayTexts++; // a late delivery from a finished phase: counted, not measured
      return;
    }
    const bar = text.indexOf('|');
    const seq = Number(text.slice(1, bar));
    if (!(seq >= 0 && seq < p.count) || senderOf(seq) === r) {
      p.unexpected++;
      return;
    }
    const slot = seq * L + local[r];
    if (p.seen[slot]) {
      p.duplicates++;
      return;
    }
    p.seen[slot] = 1;
    const sent = Number(text.slice(bar + 1, text.indexOf('|', bar + 1)));
    // whether the receiver is on another server than the sender (client i is on server i mod n)
    p.cross[p.deliveries] = (r % URLS.length) === (senderOf(seq) % URLS.length) ? 0 : 1;
    p.latencies[p.deliveries++] = now - sent;
    p.lastDelivery = now;
    if (p.first[seq] === 0) { // the clock only goes forward: the first seen here is the earliest
      p.first[seq] = now;
      p.sentAt[seq] = sent;
    }
    p.last[seq] = now;
    if (++p.done[seq] === p.perMessage(seq)) completed(seq);
  };

  const startPhase = (m) => {
    const ownSender = (seq) => ownerOf(senderOf(seq)) === me;
    phase = {
      tag: m.tag,
      count: m.count,
      perMessage: (seq) => L - (ownSender(seq) ? 1 : 0),
      seen: new Uint8Array(m.count * L),
      done: new Uint16Array(m.count),
      latencies: new Float64Array(m.count * L),
      cross: new Uint8Array(m.count * L),
      // per message, over this worker's receivers: send time, first and last receive time
      sentAt: new Float64Array(m.count),
      first: new Float64Array(m.count),
      last: new Float64Array(m.count),
      deliveries: 0,
      duplicates: 0,
      unexpected: 0,
      lastDelivery: 0,
      firstSend: Infinity,
      lags: [],
      cpuAtStart: cpuNow(),
    };
    for (let seq = 0; seq < m.count; seq++) if (phase.perMessage(seq) === 0) completed(seq);
    if (opts.scenario === 'chat') chatSends(phase, m.t0);
  };

  // Client i's k-th message is seq k * N + i, due at t0 + k/rate s + i/(N*rate) s.
  const chatSends = (p, t0) => {
    let next = 0;
    const tick = () => {
      if (phase !== p) return;
      const now = clock();
      while (next < p.count) {
        const due = t0 + (next / N / opts.rate) * 1000;
        if (due > now) break;
        const i = next % N;
        if (local[i] >= 0) {
          if (now < p.firstSend) p.firstSend = now;
          p.lags.push(now - due);
          sockets.get(i).emit('send-message', textOf(p.tag, next), ROOM);
        }
        next++;
      }
      if (next < p.count) setTimeout(tick, 1);
    };
    setTimeout(tick, Math.max(0, t0 - clock()));
  };

  const report = () => {
    const p = phase;
    return {
      type: 'report',
      deliveries: p.deliveries,
      duplicates: p.duplicates,
      unexpected: p.unexpected,
      latencies: p.latencies.slice(0, p.deliveries),
      cross: p.cross.slice(0, p.deliveries),
      sentAt: p.sentAt,
      first: p.first,
      last: p.last,
      lastDelivery: p.lastDelivery,
      firstSend: p.firstSend,
      lags: Float64Array.from(p.lags),
      cpuMs: cpuNow() - p.cpuAtStart,
    };
  };

  process.on('message', async (m) => {
    try {
      if (m.cmd === 'connect') {
        await connectAll(mine, sockets, onReceive, counters, Math.max(1, Math.ceil(opts.batch / W)));
        send({ type: 'connected' });
      } else if (m.cmd === 'join') {
        await joinAll(mine, sockets, Math.max(1, Math.ceil(opts.batch / W)));
        send({ type: 'joined' });
      } else if (m.cmd === 'phase') {
        startPhase(m);
        send({ type: 'started' });
      } else if (m.cmd === 'report') {
        const r = report();
        phase = null;
        send(r);
      } else if (m.cmd === 'status') {
        let connected = 0;
        for (const s of sockets.values()) if (s.connected) connected++;
        send({ type: 'status', connected, ...counters });
      }
    } catch (err) {
      send({ type: 'error', error: err.message });
    }
  });
  send({ type: 'ready' });
}

// ---- coordinator ----
const workers = [];
const fail = (what, extra = {}) => {
  emitLine({ ok: false, label: opts.label, round: opts.round, scenario: opts.scenario, clients: N, workers: W, error: what, ...extra });
  for (const w of workers) w.proc.kill();
  process.exit(1);
};
function emitLine(o) {
  process.stdout.write(JSON.stringify(o) + '\n');
}

let current = null; // the coordinator's tracker of the phase under way
/** The coordinator's own sockets (the fan-out sender): ownReceived = deliveries it should never get. */
const coordinatorCounters = { peersEvents: 0, disconnects: 0, connectErrors: 0, ownReceived: 0 };

function startWorkers() {
  const file = fileURLToPath(import.meta.url);
  const ready = [];
  for (let k = 0; k < W; k++) {
    const proc = fork(file, [...process.argv.slice(2), '--worker', String(k)], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const w = { proc, waiting: new Map() };
    workers.push(w);
    proc.on('message', (m) => {
      if (m.type === 'done') {
        if (current) current.workerDone(m.seqs);
      } else if (m.type === 'error') {
        fail(`worker ${k}: ${m.error}`);
      } else {
        const resolve = w.waiting.get(m.type);
        w.waiting.delete(m.type);
        if (resolve) resolve(m);
      }
    });
    proc.on('exit', (code) => {
      if (!exiting) fail(`worker ${k} exited (${code}) before the run ended`);
    });
    ready.push(expect(w, 'ready'));
  }
  return Promise.all(ready);
}
let exiting = false;

/** The next message of `type` from worker w. */
function expect(w, type) {
  return new Promise((resolve) => w.waiting.set(type, resolve));
}
/** Sends `cmd` to every worker and resolves with each one's `answer`. */
function all(cmd, answer, extra = {}) {
  return Promise.all(workers.map((w) => {
    const reply = expect(w, answer);
    w.proc.send({ cmd, ...extra });
    return reply;
  }));
}

/** Per phase: which messages every worker has seen delivered to all of its receivers. */
class Tracker {
  constructor(tag, count) {
    this.tag = tag;
    this.count = count;
    this.expected = count * (N - 1);
    this.reports = new Uint8Array(count);
    this.completed = 0;
    this.firstSend = Infinity;
    this.lastProgress = performance.now();
    this.onComplete = () => {};
  }

  workerDone(seqs) {
    this.lastProgress = performance.now();
    for (const seq of seqs) {
      if (++this.reports[seq] === W) {
        this.completed++;
        this.onComplete(seq);
      }
    }
  }

  /** Resolves when every message reached every receiver (false), or after `stallMs` without progress (true). */
  finished(stallMs) {
    return new Promise((resolve) => {
      const check = () => {
        if (this.completed === this.count) return resolve(false);
        if (performance.now() - this.lastProgress > stallMs) return resolve(true);
        setTimeout(check, 20);
      };
      check();
    });
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/** With several servers: latency percentiles of deliveries on the sender's server and on another. */
function byServer(reports) {
  const split = (cross) => {
    const out = [];
    for (const r of reports) {
      for (let i = 0; i < r.latencies.length; i++) if (r.cross[i] === cross) out.push(r.latencies[i]);
    }
    return Float64Array.from(out).sort();
  };
  const same = split(0);
  const other = split(1);
  return {
    sameServerP50: r2(percentile(same, 50)),
    sameServerP99: r2(percentile(same, 99)),
    otherServerP50: r2(percentile(other, 50)),
    otherServerP99: r2(percentile(other, 99)),
  };
}

function concat(arrays) {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/**
 * Per message, over all receivers: how long until the first one had it (the server's fixed path
 * before any delivery) and from the first to the last (how long the broadcast took to reach all).
 */
function perMessage(reports, count) {
  const firsts = [];
  const spreads = [];
  for (let seq = 0; seq < count; seq++) {
    let sent = 0;
    let first = Infinity;
    let last = 0;
    for (const r of reports) {
      if (r.first[seq] > 0) {
        sent = r.sentAt[seq];
        first = Math.min(first, r.first[seq]);
        last = Math.max(last, r.last[seq]);
      }
    }
    if (first === Infinity) continue;
    firsts.push(first - sent);
    spreads.push(last - first);
  }
  const a = Float64Array.from(firsts).sort();
  const b = Float64Array.from(spreads).sort();
  return {
    firstDeliveryP50: r2(percentile(a, 50)),
    firstDeliveryP99: r2(percentile(a, 99)),
    spreadP50: r2(percentile(b, 50)),
    spreadP99: r2(percentile(b, 99)),
  };
}

/** Runs `body(tracker)` as a measured phase: loadgen and server CPU, server RSS samples, the workers' counts. */
async function measured(tracker, t0, body) {
  current = tracker;
  let rssMaxKb = serverStatusKb('VmRSS');
  const sampler = setInterval(() => {
    const kb = serverStatusKb('VmRSS');
    if (kb != null && (rssMaxKb == null || kb > rssMaxKb)) rssMaxKb = kb;
  }, 200);
  const ownReceivedBefore = coordinatorCounters.ownReceived;
  const cpuBefore = cpuNow();
  const ticksBefore = serverCpuTicks();
  const brokerBefore = treeCpuTicks(opts['broker-pid']);
  const storeBefore = treeCpuTicks(opts['store-pid']);
  const machineBefore = machineBusyTicks();
  const startedAt = performance.now();
  await all('phase', 'started', { tag: tracker.tag, count: tracker.count, t0 });
  const extra = await body(tracker);
  const reports = await all('report', 'report');
  const coordinatorCpuMs = cpuNow() - cpuBefore;
  const ticksAfter = serverCpuTicks();
  const brokerAfter = treeCpuTicks(opts['broker-pid']);
  const storeAfter = treeCpuTicks(opts['store-pid']);
  const machineAfter = machineBusyTicks();
  const elapsedMs = performance.now() - startedAt;
  clearInterval(sampler);
  const kb = serverStatusKb('VmRSS');
  if (kb != null && (rssMaxKb == null || kb > rssMaxKb)) rssMaxKb = kb;
  current = null;

  const deliveries = reports.reduce((n, r) => n + r.deliveries, 0);
  const firstSend = Math.min(tracker.firstSend, ...reports.map((r) => r.firstSend));
  const lastDelivery = Math.max(firstSend, ...reports.map((r) => r.lastDelivery));
  const wallMs = lastDelivery - firstSend;
  const lat = concat(reports.map((r) => r.latencies)).sort();
  let sum = 0;
  for (const v of lat) sum += v;
  const workersCpuMs = reports.reduce((n, r) => n + r.cpuMs, 0);
  const pct = (ms) => Math.round((ms / elapsedMs) * 100);
  const result = {
    messages: tracker.count,
    expected: tracker.expected,
    deliveries,
    lost: tracker.expected - deliveries,
    duplicates: reports.reduce((n, r) => n + r.duplicates, 0),
    unexpected: reports.reduce((n, r) => n + r.unexpected, 0) + (coordinatorCounters.ownReceived - ownReceivedBefore),
    seconds: r2(wallMs / 1000),
    deliveriesPerSec: Math.round(deliveries / (wallMs / 1000)),
    p50: r2(percentile(lat, 50)),
    p95: r2(percentile(lat, 95)),
    p99: r2(percentile(lat, 99)),
    max: r2(lat.length ? lat[lat.length - 1] : null),
    mean: r2(lat.length ? sum / lat.length : null),
    workers: W,
    loadgenCpuPct: pct(coordinatorCpuMs + workersCpuMs),
    loadgenCoordinatorCpuPct: pct(coordinatorCpuMs),
    loadgenBusiestWorkerCpuPct: Math.max(...reports.map((r) => pct(r.cpuMs))),
    serverCpuPct:
      ticksBefore == null || ticksAfter == null ? null : pct(((ticksAfter - ticksBefore) / CLK_TCK) * 1000),
    serverRssMaxMB: mb(rssMaxKb),
    servers: URLS.length,
    // what the servers spent per delivery, together (a cluster's hosts are summed)
    serverCpuUsPerDelivery:
      ticksBefore == null || ticksAfter == null || deliveries === 0 ? null
        : r2((((ticksAfter - ticksBefore) / CLK_TCK) * 1e6) / deliveries),
    brokerCpuPct: brokerBefore == null || brokerAfter == null ? null : pct(((brokerAfter - brokerBefore) / CLK_TCK) * 1000),
    storeCpuPct: storeBefore == null || storeAfter == null ? null : pct(((storeAfter - storeBefore) / CLK_TCK) * 1000),
    ...extra,
  };
  Object.assign(result, perMessage(reports, tracker.count));
  if (URLS.length > 1) Object.assign(result, byServer(reports));
  if (opts.scenario === 'chat') {
    const lags = concat(reports.map((r) => r.lags)).sort();
    result.sendLagP99 = r2(percentile(lags, 99));
    result.sendLagMax = r2(lags.length ? lags[lags.length - 1] : null);
  }
  if (machineBefore != null && machineAfter != null) {
    // all CPUs together, in % of one core; what neither the server nor the loadgen used is
    // someone else's (or the kernel's, e.g. loopback softirqs not charged to either process)
    result.machineCpuPct = pct(((machineAfter - machineBefore) / CLK_TCK) * 1000);
    if (result.serverCpuPct != null) {
      result.otherCpuPct = result.machineCpuPct - result.serverCpuPct - result.loadgenCpuPct
        - (result.brokerCpuPct ?? 0) - (result.storeCpuPct ?? 0);
    }
  }
  return result;
}

// ---- scenarios ----
async function fanoutPhase(sender, tag, count) {
  const tracker = new Tracker(tag, count);
  return measured(tracker, 0, async () => {
    let next = 0;
    let inFlight = 0;
    const pump = () => {
      while (inFlight < opts.window && next < count) {
        if (tracker.firstSend === Infinity) tracker.firstSend = clock();
        sender.emit('send-message', textOf(tag, next++), ROOM);
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
  const count = Math.round(seconds * opts.rate) * N;
  const tracker = new Tracker(tag, count);
  // the workers start sending 100 ms from now, every one on the same schedule
  return measured(tracker, clock() + 100, async () => {
    tracker.lastProgress = performance.now() + seconds * 1000;
    const stalled = await tracker.finished(Math.min(opts['stall-ms'], 5000));
    return { stalled, offeredPerSec: opts.rate * N };
  });
}

async function runCoordinator() {
  setTimeout(() => fail(`global timeout after ${opts['timeout-s']} s`), opts['timeout-s'] * 1000).unref();
  const started = performance.now();
  log(`connecting ${N} clients to ${URLS.join(' and ')} from ${W} worker processes`);
  await startWorkers();
  const counters = coordinatorCounters;
  const own = new Map();
  const cpuConnect = cpuNow();
  const ticksConnect = serverCpuTicks();
  let connectMs;
  let joinMs;
  try {
    const t = performance.now();
    const ownIndices = ownerOf(0) === -1 ? [0] : [];
    // the fan-out sender is never a receiver of its own messages: anything it gets is counted
    await Promise.all([connectAll(ownIndices, own, () => { counters.ownReceived++; }, counters, 1), all('connect', 'connected')]);
    const t2 = performance.now();
    await Promise.all([joinAll(ownIndices, own, 1), all('join', 'joined')]);
    connectMs = t2 - t;
    joinMs = performance.now() - t2;
  } catch (err) {
    fail(err.message);
  }
  const status = async () => {
    const s = await all('status', 'status');
    let connected = 0;
    for (const x of own.values()) if (x.connected) connected++;
    const sum = (k) => s.reduce((n, x) => n + x[k], counters[k] ?? 0);
    return { connected: connected + sum('connected'), peersEvents: sum('peersEvents'), disconnects: sum('disconnects'),
      connectErrors: sum('connectErrors'), strayTexts: sum('strayTexts') };
  };
  const ticksConnected = serverCpuTicks();
  const afterSetup = await status();
  const setupInfo = {
    connectMs: Math.round(connectMs),
    joinMs: Math.round(joinMs),
    connectLoadgenCpuS: r2((cpuNow() - cpuConnect) / 1000), // the coordinator's share only
    connectServerCpuS: ticksConnect == null || ticksConnected == null ? null : r2((ticksConnected - ticksConnect) / CLK_TCK),
    serverRssConnectedMB: mb(serverStatusKb('VmRSS')),
    peersEventsDuringSetup: afterSetup.peersEvents,
  };
  log(`connected and joined in ${setupInfo.connectMs + setupInfo.joinMs} ms; ${afterSetup.peersEvents} peers events`);
  // Let anything still in flight from the connect phase (e.g. peer lists) settle.
  await new Promise((r) => setTimeout(r, 500));
  const finish = (line) => {
    exiting = true;
    emitLine(line);
    // The sockets die with the processes; the server is stopped by the caller.
    for (const w of workers) w.proc.kill();
    process.exit(0);
  };

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
    const end = await status();
    finish({
      ok: end.connected === N && end.disconnects === 0 && serverLogSays('OutOfMemoryError') !== true,
      label: opts.label,
      round: opts.round,
      scenario: 'idle',
      clients: N,
      workers: W,
      held: end.connected,
      holdSeconds: opts.seconds,
      serverRssIdleMB: mb(serverStatusKb('VmRSS')),
      serverRssHoldMaxMB: mb(rssMaxKb),
      serverRssPeakMB: mb(serverStatusKb('VmHWM')),
      serverIdleCpuPct: ticksBefore == null || ticksAfter == null ? null
        : Math.round((((ticksAfter - ticksBefore) / CLK_TCK) * 1000 * 100) / (performance.now() - holdStarted)),
      ...setupInfo,
      disconnects: end.disconnects,
      connectErrors: end.connectErrors,
      totalSeconds: r2((performance.now() - started) / 1000),
    });
  }

  let warm;
  let result;
  if (opts.scenario === 'fanout') {
    warm = await fanoutPhase(own.get(0), 'w', opts.warmup);
    log(`warm-up: ${warm.deliveriesPerSec} deliveries/s, p99 ${warm.p99} ms`);
    log('measured phase starts');
    result = await fanoutPhase(own.get(0), 'm', opts.messages);
  } else {
    warm = await chatPhase('w', opts['warmup-seconds']);
    log(`warm-up: ${warm.deliveriesPerSec} deliveries/s, p99 ${warm.p99} ms`);
    log('measured phase starts');
    result = await chatPhase('m', opts.seconds);
  }
  log(`measured phase ended: ${result.deliveriesPerSec} deliveries/s, p99 ${result.p99} ms, lost ${result.lost}, dup ${result.duplicates}`);
  const end = await status();
  finish({
    ok: result.lost === 0 && result.duplicates === 0 && result.unexpected === 0 && !result.stalled && end.disconnects === 0
      && serverLogSays('OutOfMemoryError') !== true,
    label: opts.label,
    round: opts.round,
    scenario: opts.scenario,
    clients: N,
    ...result,
    warmup: { messages: warm.messages, lost: warm.lost, duplicates: warm.duplicates, deliveriesPerSec: warm.deliveriesPerSec, p99: warm.p99 },
    ...setupInfo,
    serverRssPeakMB: mb(serverStatusKb('VmHWM')),
    disconnects: end.disconnects,
    connectErrors: end.connectErrors,
    strayTexts: end.strayTexts,
    peersEvents: end.peersEvents,
    serverOutOfMemoryDuringRun: serverLogSays('OutOfMemoryError'),
    totalSeconds: r2((performance.now() - started) / 1000),
  });
}

if (IS_WORKER) await runWorker();
else await runCoordinator();
