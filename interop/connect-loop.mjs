// Opens connections one after another with socket.io-client's default transports (polling, then
// the upgrade to WebSocket). Each must connect and get its join-room ack, then upgrade to
// WebSocket and get a second join-room ack over it, all within 5 s.
//
//   node interop/connect-loop.mjs <host url> [count=100] [per-attempt ms=5000] [budget ms=150000]
//                                 [--latency=random:MAX | --latency=websocket:MS] [--max-failures=K]
//
// --latency puts an in-process TCP proxy on 127.0.0.1 between the clients and the host that
// delays every byte of a connection, both ways: by a random 0..MAX ms drawn per connection (like
// separate network paths), or by MS for WebSocket connections only. --max-failures stops the
// loop after K failed attempts (the rest count as not attempted, i.e. failed).
//
// Prints one JSON line per failed attempt, then a summary line
// {"summary":true,"attempted","ok","failed","notAttempted",...}; exits 1 if any attempt failed.
// The loop is bounded by `count` and by the time budget (attempts not started in time count as
// failed).
import { io } from 'socket.io-client';
import { emitLine, globalTimeout, sleep, startLatencyProxy } from './lib.mjs';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const option = (name) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const latencyArg = option('latency');
const maxFailures = Number(option('max-failures') ?? Infinity);
const [hostUrl, countArg = '100', perAttemptArg = '5000', budgetArg = '150000'] = positional;
if (!hostUrl) {
  console.error('usage: node connect-loop.mjs <host url> [count] [per-attempt ms] [budget ms]');
  process.exit(2);
}
const count = Number(countArg);
const perAttemptMs = Number(perAttemptArg);
const budgetMs = Number(budgetArg);
globalTimeout(budgetMs + 30_000, 'connect-loop.mjs');

let url = hostUrl;
let proxy = null;
if (latencyArg) {
  const [kind, msText] = latencyArg.split(':');
  const ms = Number(msText);
  if (!['random', 'websocket'].includes(kind) || !(ms >= 0)) {
    console.error(`bad --latency=${latencyArg} (use random:MAX or websocket:MS)`);
    process.exit(2);
  }
  proxy = await startLatencyProxy(Number(new URL(hostUrl).port), (firstLine) =>
    kind === 'random' ? Math.random() * ms : firstLine.includes('transport=websocket') ? ms : 0);
  url = `http://127.0.0.1:${proxy.port}`;
}

/** One connection: connect, then join-room with an ack, all within `perAttemptMs`. */
function attempt(index) {
  const started = Date.now();
  const socket = io(url, { forceNew: true, reconnection: false, timeout: perAttemptMs });
  let stage = 'connect';
  const trace = [];
  const mark = (what) => trace.push(`${what}@${Date.now() - started}`);
  socket.io.on('open', () => {
    const engine = socket.io.engine;
    mark(`open(${engine.transport.name})`);
    engine.on('upgrading', () => mark('upgrading'));
    engine.on('upgrade', () => mark('upgrade'));
    engine.on('upgradeError', (e) => mark(`upgradeError:${e.message}`));
  });
  const outcome = new Promise((resolve) => {
    socket.once('connect_error', (err) => resolve({ ok: false, reason: `connect_error: ${err.message}` }));
    socket.once('disconnect', (reason) => resolve({ ok: false, reason: `disconnect (${reason}) during ${stage}` }));
    socket.once('connect', () => {
      mark('connect');
      stage = 'join-room ack';
      socket.emit('join-room', 'loop', (reply) => {
        mark('ack');
        if (reply !== 'Joined loop') {
          resolve({ ok: false, reason: `wrong ack ${JSON.stringify(reply)}` });
          return;
        }
        // Then once more after the upgrade, when packets take the new transport. No upgrade
        // within the attempt's time fails it: staying on polling is not a pass.
        stage = 'upgrade to WebSocket';
        const engine = socket.io.engine;
        const again = () => {
          if (engine.transport.name !== 'websocket') {
            resolve({ ok: false, reason: `upgraded to ${engine.transport.name}, not websocket` });
            return;
          }
          stage = 'second join-room ack (after the upgrade)';
          mark('emit2');
          socket.emit('join-room', 'loop 2', (second) => {
            mark('ack2');
            resolve(second === 'Joined loop 2' ? { ok: true } : { ok: false, reason: `wrong ack ${JSON.stringify(second)}` });
          });
        };
        if (engine.transport.name === 'websocket') {
          again();
        } else {
          engine.once('upgrade', again);
        }
      });
    });
  });
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no ${stage} within ${perAttemptMs} ms` }), perAttemptMs);
  });
  return Promise.race([outcome, timeout]).then((result) => {
    clearTimeout(timer);
    const transport = socket.io.engine?.transport?.name ?? 'none';
    socket.disconnect();
    return { index, ms: Date.now() - started, transport, trace: trace.join(' '), ...result };
  });
}

const started = Date.now();
const results = [];
for (let i = 0; i < count; i++) {
  if (Date.now() - started > budgetMs || results.filter((r) => !r.ok).length >= maxFailures) break;
  const result = await attempt(i);
  results.push(result);
  if (!result.ok) {
    emitLine({ attempt: i, ok: false, ms: result.ms, transport: result.transport, reason: result.reason, trace: result.trace });
  }
  await sleep(10);
}
const failed = results.filter((r) => !r.ok);
const times = results.filter((r) => r.ok).map((r) => r.ms).sort((a, b) => a - b);
const pct = (p) => (times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))] : null);
const summary = {
  summary: true,
  latency: latencyArg ?? 'none',
  requested: count,
  attempted: results.length,
  ok: results.length - failed.length,
  failed: failed.length,
  notAttempted: count - results.length,
  failedAttempts: failed.map((r) => r.index),
  reasons: Object.fromEntries(
    [...new Set(failed.map((r) => r.reason))].map((reason) => [reason, failed.filter((r) => r.reason === reason).length]),
  ),
  okMs: { p50: pct(0.5), p95: pct(0.95), max: times.at(-1) ?? null },
  totalMs: Date.now() - started,
};
emitLine(summary);
proxy?.close();
console.error(`connect-loop.mjs: ${summary.ok} passed, ${summary.failed + summary.notAttempted} failed`);
await sleep(200);
process.exit(summary.failed === 0 && summary.notAttempted === 0 ? 0 : 1);
