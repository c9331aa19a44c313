// Shared helpers for the interop scripts: real socket.io-client 4.8 peers with bounded waits.
// Every wait here has a timeout; nothing loops without a bound.
import { io } from 'socket.io-client';

/** How long any single answer (connect, ack, delivery) may take. */
export const WAIT_MS = 5_000;
/** How long we listen to prove that something does NOT arrive. */
export const QUIET_MS = 500;

/** Engine.IO transports for a mode name: 'websocket', 'polling' or 'default' (polling, then upgrade). */
export function transportsFor(mode) {
  switch (mode) {
    case 'websocket':
      return ['websocket'];
    case 'polling':
      return ['polling'];
    case 'default':
      return undefined;
    default:
      throw new Error(`unknown transport mode "${mode}" (use websocket, polling or default)`);
  }
}

/** Rejects after `ms` with a message saying what we were waiting for. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs cleanup steps newest first, each bounded, so one stuck step cannot keep the rest from running. */
export async function runCleanups(steps) {
  for (const step of steps.reverse()) {
    await withTimeout(Promise.resolve().then(step), 10_000, 'cleanup').catch((e) => console.error(`cleanup: ${e.message}`));
  }
  steps.length = 0;
}

/**
 * One socket.io-client socket that records every incoming event, so checks can wait for an
 * event (bounded) or prove one never came.
 */
export class Peer {
  constructor(name, socket) {
    this.name = name;
    this.socket = socket;
    this.events = [];
    this.waiters = new Set();
    socket.onAny((event, ...args) => {
      this.events.push({ event, args, at: Date.now() });
      for (const wake of [...this.waiters]) wake();
    });
  }

  get id() {
    return this.socket.id;
  }

  /** Events so far named `event` whose args satisfy `match`. */
  seen(event, match = () => true) {
    return this.events.filter((e) => e.event === event && match(...e.args));
  }

  /** The first `event` (from index `since` on) whose args satisfy `match`, waiting at most `ms`. */
  waitFor(event, match = () => true, ms = WAIT_MS, what = event, since = 0) {
    const found = () => this.events.slice(since).find((e) => e.event === event && match(...e.args));
    const hit = found();
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const wake = () => {
        const e = found();
        if (e) {
          done();
          resolve(e);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name} got no ${what} within ${ms} ms`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }

  /** The `receive-message` whose text is `text`. */
  waitForMessage(text, ms = WAIT_MS) {
    return this.waitFor('receive-message', (m) => m === text, ms, `receive-message "${short(text)}"`);
  }

  /** How many `receive-message` events carried `text` so far. */
  countMessage(text) {
    return this.seen('receive-message', (m) => m === text).length;
  }

  /** Emits with an ack request and waits at most WAIT_MS for the answer (its first argument). */
  ack(event, ...args) {
    return this.socket.timeout(WAIT_MS).emitWithAck(event, ...args).catch((err) => {
      throw new Error(`${this.name}: no ack to ${event} within ${WAIT_MS} ms (${err.message})`);
    });
  }

  close() {
    this.socket.disconnect();
  }
}

/**
 * Connects a new socket (no reconnection, no multiplexing) and resolves once `connect` fired,
 * rejecting on `connect_error` or after `ms`.
 */
export function connectPeer(url, mode, name, ms = WAIT_MS, extra = {}) {
  const options = { forceNew: true, reconnection: false, timeout: ms, ...extra };
  const transports = transportsFor(mode);
  if (transports) options.transports = transports;
  const socket = io(url, options);
  const peer = new Peer(name, socket);
  const connected = new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(peer));
    socket.once('connect_error', (err) => reject(new Error(`${name}: connect_error ${err.message}`)));
  });
  return withTimeout(connected, ms, `${name} to connect`).catch((err) => {
    socket.disconnect();
    throw err;
  });
}

/** One JSON line on stdout. */
export function emitLine(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

export function short(text) {
  return text.length > 40 ? `${text.slice(0, 37)}...(${text.length} chars)` : text;
}

/** Kills the process after `ms` whatever it is doing, saying why on stdout and stderr. */
export function globalTimeout(ms, script) {
  setTimeout(() => {
    emitLine({ check: 'global-timeout', event: 'global-timeout', ok: false, detail: `${script} did not finish within ${ms} ms` });
    process.stderr.write(`${script}: global timeout after ${ms} ms\n`);
    process.exit(3);
  }, ms).unref();
}

/**
 * Reads JSON commands from stdin, one per line, calling `handle` for each; calls `onEnd` when
 * stdin closes (the parent finished or died), so nothing is left running.
 */
export function readCommands(handle, onEnd = () => process.exit(0)) {
  let buffer = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (!line) continue;
      let command;
      try {
        command = JSON.parse(line);
      } catch (err) {
        emitLine({ event: 'error', detail: `not JSON: ${line}` });
        continue;
      }
      Promise.resolve()
        .then(() => handle(command))
        .catch((err) => emitLine({ event: 'error', op: command.op, tag: command.tag, detail: err.message }));
    }
  });
  process.stdin.on('end', onEnd);
  process.stdin.on('error', onEnd);
}

/**
 * A TCP proxy on 127.0.0.1 in front of `targetPort` that delays each connection's bytes, both
 * ways, keeping their order: a stand-in for a real network between client and host.
 * `latencyFor(firstLine)` picks one connection's one-way delay in ms from the first line the
 * client sent (e.g. "GET /socket.io/?EIO=4&transport=websocket …"). Resolves with
 * { port, close() }.
 */
export async function startLatencyProxy(targetPort, latencyFor) {
  const net = await import('node:net');
  const sockets = new Set();
  const delayed = (from, to, lat) => {
    let last = 0;
    const at = (fn) => {
      const due = Math.max(Date.now() + lat, last);
      last = due;
      setTimeout(fn, due - Date.now());
    };
    from.on('data', (chunk) => at(() => to.destroyed || to.writableEnded || to.write(chunk)));
    from.on('end', () => at(() => to.destroyed || to.end()));
    from.on('error', () => at(() => to.destroy()));
    from.on('close', () => at(() => to.destroy()));
  };
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    sockets.add(client);
    client.once('data', (first) => {
      client.pause();
      const lat = latencyFor(first.toString('latin1').split('\r\n')[0]);
      const upstream = net.connect({ port: targetPort, host: '127.0.0.1', allowHalfOpen: true });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      setTimeout(() => upstream.write(first), lat);
      delayed(client, upstream, lat);
      delayed(upstream, client, lat);
      client.resume();
    });
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/**
 * A socket that reconnects by itself after exactly `delayMs`, as an app using the defaults would
 * (less randomly), connected and (mode 'default') upgraded. Its disconnect is pushed to `cleanups`.
 */
export async function connectRecoverable(url, mode, name, delayMs, cleanups) {
  const options = {
    forceNew: true,
    timeout: WAIT_MS,
    reconnection: true,
    reconnectionAttempts: 5,
    reconnectionDelay: delayMs,
    reconnectionDelayMax: delayMs,
    randomizationFactor: 0,
  };
  const transports = transportsFor(mode);
  if (transports) options.transports = transports;
  const socket = io(url, options);
  const peer = new Peer(name, socket);
  cleanups.push(() => socket.disconnect());
  await withTimeout(new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (e) => reject(new Error(`${name}: connect_error ${e.message}`)));
  }), WAIT_MS, `${name} to connect`);
  if (mode === 'default') {
    // polling then upgrade: drop it once it is on the WebSocket, as a long-lived client would be.
    const engine = socket.io.engine;
    if (engine.transport.name !== 'websocket') {
      await withTimeout(new Promise((resolve) => engine.once('upgrade', resolve)), WAIT_MS, `${name} to upgrade`);
    }
  }
  return peer;
}

/**
 * Sends `burst-0`, `burst-1`… to `room` five at a time (the last acknowledged, so several are on
 * their way at any moment), from `senderFor(count)`, calling `drop()` after the 20th, until `peer`
 * is back and 300 more went (5,000 at most), so the burst spans the reconnect and the replay
 * whatever the timing. Then waits for the last, and returns what the checks need.
 */
export async function burstThroughDrop(peer, room, senderFor, drop, backWithinMs) {
  const id = peer.id;
  let backAt = -1;
  const back = withTimeout(new Promise((resolve) => peer.socket.once('connect', resolve)), backWithinMs,
    `${peer.name} to reconnect`).then(() => {
    backAt = 0;
  });
  let count = 0;
  while (count < 5_000 && (backAt < 0 || backAt < 300)) {
    const sender = senderFor(count);
    for (let i = 0; i < 4; i++) sender.socket.emit('send-message', `burst-${count++}`, room);
    await sender.ack('send-message', `burst-${count++}`, room);
    if (count === 20) await drop();
    if (backAt >= 0) backAt += 5;
  }
  await back;
  await peer.waitForMessage(`burst-${count - 1}`, backWithinMs).catch(() => {});
  await sleep(QUIET_MS);
  const got = peer.seen('receive-message').map((e) => e.args[0]).filter((m) => m.startsWith('burst-'));
  const firstWrong = got.findIndex((m, i) => m !== `burst-${i}`);
  return {
    recovered: peer.socket.recovered === true && peer.id === id,
    eachOnceInOrder: got.length === count && firstWrong < 0,
    detail: {
      sent: count,
      got: got.length,
      firstWrong,
      around: firstWrong < 0 ? [] : got.slice(Math.max(0, firstWrong - 2), firstWrong + 3),
    },
  };
}
