// Page load from a cold cache on loopback: Parley's web client, served by a Parley host, and the
// seed's page (interop/web/, served by interop/static-server.mjs) against the tutorial's Node server.
//
//   node bench/page-load.mjs --parley http://127.0.0.1:PORT [--runs 5]
//
// The Parley host is started by the caller (bench/run.sh); the seed's static server and the Node
// tutorial server are started here, on 127.0.0.1, ports the kernel picks. Each load is a fresh
// headless Chromium with an empty profile (nothing cached, no open sockets), pages alternating
// Parley, seed, Parley, …, after one load of each that is not counted (the servers' first
// requests). Per load it prints one JSON line:
//   {"id":"page-load","label":"parley"|"seed","run","ok","fcpMs","loadMs","connectedMs",
//    "bytes":{"total","bundle","page","other"},"bodyBytes":{…},"requests":[…]}
// fcpMs: the page's first-contentful-paint entry; connectedMs: when the page first shows
// "You connected with id"; both from the navigation's start. Bytes are from the DevTools protocol
// (Network.loadingFinished: what came over the socket, headers included), for every HTTP request
// the page made until it was connected and loaded; WebSocket frames are not counted.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(new URL('../interop/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const { serveTutorialPage } = await import(new URL('../interop/static-server.mjs', import.meta.url));

const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
// The interop scripts' flags: nothing in the browser talks to anything but the pages' servers.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];
const LOAD_TIMEOUT_MS = 20_000;
const CONNECTED_TEXT = 'You connected with id';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.parley) {
  process.stderr.write('page-load: need --parley http://127.0.0.1:PORT\n');
  process.exit(2);
}
const RUNS = Math.max(1, Math.min(20, Number(args.runs ?? 5)));
// Everything has to finish: a fresh browser per load takes about a second to start.
const deadline = setTimeout(() => {
  process.stderr.write(`page-load: did not finish within ${RUNS * 2 * 30 + 60} s\n`);
  process.exit(3);
}, (RUNS * 2 * 30 + 60) * 1000);
deadline.unref();

const cleanups = [];
async function cleanup() {
  for (const step of cleanups.reverse()) {
    await Promise.race([Promise.resolve().then(step), new Promise((r) => setTimeout(r, 10_000))]).catch(() => {});
  }
  cleanups.length = 0;
}

/** The tutorial's Node server allowing `origin`; resolves with its URL once it listens. */
function startTutorialServer(origin) {
  const here = fileURLToPath(new URL('../interop/tutorial-server.mjs', import.meta.url));
  const child = spawn(process.execPath, [here, '0', origin, '--exit-on-stdin-close'], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanups.push(() => new Promise((r) => {
    if (child.exitCode != null) return r();
    child.once('exit', r);
    child.kill('SIGTERM');
  }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tutorial server did not listen within 15 s')), 15_000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^listening (\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`tutorial server exited (${code})`)));
  });
}

/** Which part of the page a request is: the socket.io bundle, the page's own code, or other. */
function kind(url, resourceType) {
  const path = new URL(url).pathname;
  if (path.endsWith('/socket.io.min.js')) return 'bundle';
  if (resourceType === 'Document' || /\.(m?js|css|html)$/.test(path)) return 'page';
  return 'other';
}

// Runs in the page before any of its scripts: notes when the connected line first appears.
function watchConnected(text) {
  const seen = () => {
    if (window.__connectedMs == null && document.body?.textContent.includes(text)) window.__connectedMs = performance.now();
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, characterData: true });
}

async function loadOnce(label, url, run) {
  const profile = await mkdtemp(join(tmpdir(), 'parley-page-load-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60_000, viewport: { width: 1280, height: 800 },
    });
    const page = context.pages()[0] ?? await context.newPage();
    await page.addInitScript(watchConnected, CONNECTED_TEXT);
    const cdp = await context.newCDPSession(page);
    const requests = new Map();
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!requests.has(e.requestId)) requests.set(e.requestId, { url: e.request.url, type: e.type, done: false });
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(e.requestId);
      if (r) {
        r.status = e.response.status;
        r.encoding = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? null;
      }
    });
    cdp.on('Network.dataReceived', (e) => {
      const r = requests.get(e.requestId);
      if (r) r.body = (r.body ?? 0) + e.encodedDataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { done: true, wire: e.encodedDataLength });
    });
    cdp.on('Network.loadingFailed', (e) => {
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { done: true, failed: e.errorText });
    });
    await cdp.send('Network.enable');
    await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    await page.waitForFunction(() => window.__connectedMs != null, null, { timeout: LOAD_TIMEOUT_MS, polling: 50 });
    // Requests still running (an Engine.IO long poll before the upgrade) get a bounded while to end.
    for (let i = 0; i < 40 && [...requests.values()].some((r) => !r.done && !r.url.startsWith('ws')); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const resources = performance.getEntriesByType('resource');
      return {
        fcpMs: fcp ? fcp.startTime : null,
        loadMs: nav.loadEventEnd,
        firstByteMs: nav.responseStart,
        domContentLoadedMs: nav.domContentLoadedEventEnd,
        connectedMs: window.__connectedMs,
        // Resource Timing's view, to set beside the DevTools protocol's.
        perfTransfer: nav.transferSize + resources.reduce((a, r) => a + r.transferSize, 0),
        // The protocol reports no body bytes for the document itself; Resource Timing has them all.
        bodies: Object.fromEntries([nav, ...resources].map((r) => [r.name, r.encodedBodySize])),
        ends: Object.fromEntries([nav, ...resources].map((r) => [r.name, Math.round(r.responseEnd)])),
      };
    });
    const bytes = { total: 0, bundle: 0, page: 0, other: 0 };
    const bodyBytes = { total: 0, bundle: 0, page: 0, other: 0 };
    const list = [];
    for (const r of requests.values()) {
      if (r.url.startsWith('ws')) continue;
      const k = kind(r.url, r.type);
      const wire = r.wire ?? 0;
      const body = timing.bodies[r.url] ?? r.body ?? 0;
      bytes[k] += wire;
      bytes.total += wire;
      bodyBytes[k] += body;
      bodyBytes.total += body;
      list.push({ path: new URL(r.url).pathname + new URL(r.url).search.slice(0, 40), kind: k, status: r.status ?? null,
        encoding: r.encoding, wire, body, endMs: timing.ends[r.url] ?? null, ...(r.done ? {} : { unfinished: true }), ...(r.failed ? { failed: r.failed } : {}) });
    }
    const round = (x) => (x == null ? null : Math.round(x * 10) / 10);
    return { id: 'page-load', label, run, ok: timing.fcpMs != null, url, fcpMs: round(timing.fcpMs), loadMs: round(timing.loadMs),
      connectedMs: round(timing.connectedMs), firstByteMs: round(timing.firstByteMs),
      domContentLoadedMs: round(timing.domContentLoadedMs), bytes, bodyBytes, perfTransfer: timing.perfTransfer, requests: list };
  } catch (e) {
    return { id: 'page-load', label, run, ok: false, url, error: e.message.split('\n')[0] };
  } finally {
    await context?.close().catch(() => {});
    await rm(profile, { recursive: true, force: true }).catch(() => {});
  }
}

try {
  const { server, origin } = await serveTutorialPage(0);
  cleanups.push(() => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }));
  const seedOrigin = origin.replace('//localhost:', '//127.0.0.1:');
  const nodeUrl = await startTutorialServer(seedOrigin);
  const pages = {
    parley: `${args.parley.replace(/\/$/, '')}/`,
    seed: `${seedOrigin}/?server=${encodeURIComponent(nodeUrl)}`,
  };
  for (let run = 0; run <= RUNS; run++) {
    for (const label of ['parley', 'seed']) {
      const line = await loadOnce(label, pages[label], run);
      if (run === 0) line.warmUp = true;
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  }
} finally {
  await cleanup();
}
process.exit(0);
