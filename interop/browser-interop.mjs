// A real browser (Debian's headless Chromium, driven by playwright-core) and a Node.js
// socket.io-client in one room of a Parley host, next to Parley's own sessions; then the same
// page from an origin the host does not allow, which must be refused.
//
//   node interop/browser-interop.mjs [screenshot dir]
//
// Talks to its driver (BrowserInteropTest) in JSON lines:
//   out {"event":"origins","allowed":"http://localhost:P1","refused":"http://localhost:P2"}
//   in  {"op":"host","url":"http://127.0.0.1:H"}            the host allows only `allowed`
//   out {"event":"ready","browserId","nodeId"}               both joined room "mixed"
//   in  {"op":"send","expect":["text", …],"from":{"text":"socket id", …}}   the driver's sessions sent
//   out {"event":"mixed-room","ok","detail",…}               browser and Node each saw the other three
//   out {"event":"refused-origin","ok","detail",…}           the other origin's page got connect_error
//   out {"event":"done","ok"}; exit 0 when both checks passed
// Every wait is bounded, the whole script by a global timeout; it exits when stdin closes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { connectPeer, emitLine, globalTimeout, readCommands, runCleanups, withTimeout } from './lib.mjs';
import { serveTutorialPage } from './static-server.mjs';

const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const ROOM = 'mixed';
const PAGE_WAIT_MS = 15_000;
const screenshots = process.argv[2];

globalTimeout(150_000, 'browser-interop.mjs');

const cleanups = [];
const cleanup = () => runCleanups(cleanups);

// Commands from the driver, delivered to whoever waits for them.
const commands = [];
const commandWaiters = new Set();
readCommands(
  (command) => {
    commands.push(command);
    for (const wake of [...commandWaiters]) wake();
  },
  () => cleanup().finally(() => process.exit(1)),
);
function nextCommand(op, ms) {
  const take = () => {
    const i = commands.findIndex((c) => c.op === op);
    return i >= 0 ? commands.splice(i, 1)[0] : null;
  };
  return withTimeout(
    new Promise((resolve) => {
      const wake = () => {
        const c = take();
        if (c) {
          commandWaiters.delete(wake);
          resolve(c);
        }
      };
      commandWaiters.add(wake);
      wake();
    }),
    ms,
    `{"op":"${op}"} from the driver`,
  );
}

/** The page's own record (window.tutorialPage). */
const pageState = (page) => page.evaluate(() => window.tutorialPage);
const containerText = (page) => page.locator('#message-container').innerText();

async function openPage(context, origin, hostUrl, label) {
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => log.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await page.goto(`${origin}/?server=${encodeURIComponent(hostUrl)}`, { timeout: PAGE_WAIT_MS });
  return { page, log, label };
}

async function screenshot(page, name) {
  if (screenshots) {
    await page.screenshot({ path: join(screenshots, name) }).catch((e) => console.error(`screenshot: ${e.message}`));
  }
}

async function main() {
  const allowed = await serveTutorialPage(0);
  cleanups.push(() => new Promise((r) => allowed.server.close(r)));
  const refused = await serveTutorialPage(0);
  cleanups.push(() => new Promise((r) => refused.server.close(r)));
  emitLine({ event: 'origins', allowed: allowed.origin, refused: refused.origin });

  const { url: hostUrl } = await nextCommand('host', 60_000);

  const profile = await mkdtemp(join(tmpdir(), 'parley-chromium-'));
  cleanups.push(() => rm(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    timeout: 60_000,
  });
  cleanups.push(() => context.close());

  // The tutorial page from the allowed origin joins the room by its form, as a person would.
  const allowedPage = await openPage(context, allowed.origin, hostUrl, 'allowed page');
  const { page } = allowedPage;
  await page.waitForFunction(() => window.tutorialPage?.connected, null, { timeout: PAGE_WAIT_MS })
    .catch(async (e) => {
      throw new Error(`the page from ${allowed.origin} did not connect: ${e.message}; page: ${await containerText(page)}; `
        + `console: ${allowedPage.log.join(' | ')}`);
    });
  await page.fill('#room-input', ROOM);
  await page.click('#room-button');
  await page.locator('#message-container', { hasText: `Joined ${ROOM}` }).waitFor({ timeout: PAGE_WAIT_MS });
  const browserId = (await pageState(page)).id;

  const node = await connectPeer(hostUrl, 'default', 'node');
  cleanups.push(() => node.close());
  const joined = await node.ack('join-room', ROOM);
  if (joined !== `Joined ${ROOM}`) throw new Error(`node join-room ack ${JSON.stringify(joined)}`);
  emitLine({ event: 'ready', browserId, nodeId: node.id });

  const send = await nextCommand('send', 60_000);
  const browserText = 'hello from the browser';
  const nodeText = 'hello from node';
  await page.fill('#message-input', browserText);
  await page.click('#send-button');
  const ack = await node.ack('send-message', nodeText, ROOM);

  // Each side must see the other three, with the right sender.
  const problems = [];
  const senders = { ...send.from, [browserText]: browserId, [nodeText]: node.id };
  const browserWants = [...send.expect, nodeText];
  const nodeWants = [...send.expect, browserText];
  await page.waitForFunction(
    (wants) => wants.every((t) => window.tutorialPage.received.some((r) => r.message === t)),
    browserWants,
    { timeout: PAGE_WAIT_MS },
  ).catch(() => problems.push('the browser did not get all of them'));
  await Promise.all(nodeWants.map((t) => node.waitForMessage(t, PAGE_WAIT_MS)))
    .catch((e) => problems.push(e.message));
  if (ack?.ok !== true) problems.push(`node's send-message ack ${JSON.stringify(ack)}`);
  const state = await pageState(page);
  const text = await containerText(page);
  for (const want of browserWants) {
    const got = state.received.filter((r) => r.message === want);
    if (got.length !== 1) problems.push(`browser got "${want}" ${got.length} times`);
    else if (got[0].meta?.from !== senders[want] || got[0].meta?.room !== ROOM) {
      problems.push(`browser: "${want}" has meta ${JSON.stringify(got[0].meta)}, expected from ${senders[want]} in ${ROOM}`);
    }
    if (!text.includes(want)) problems.push(`"${want}" is not shown on the page`);
  }
  for (const want of nodeWants) {
    const got = node.seen('receive-message', (m) => m === want);
    if (got.length !== 1) problems.push(`node got "${want}" ${got.length} times`);
    else if (got[0].args[1]?.from !== senders[want]) {
      problems.push(`node: "${want}" has meta ${JSON.stringify(got[0].args[1])}, expected from ${senders[want]}`);
    }
  }
  if (state.received.some((r) => r.message === browserText)) problems.push('the browser got its own message back');
  await page.waitForFunction(() => window.tutorialPage.transport === 'websocket', null, { timeout: PAGE_WAIT_MS })
    .catch(() => problems.push('the browser never upgraded to websocket'));
  const browserTransport = (await pageState(page)).transport;
  if (node.countMessage(nodeText) > 0) problems.push('node got its own message back');
  await screenshot(page, 'browser-allowed-origin.png');
  const mixedOk = problems.length === 0;
  emitLine({
    event: 'mixed-room',
    ok: mixedOk,
    detail: mixedOk ? `browser ${browserId} and node ${node.id} each saw the other three in "${ROOM}"` : problems.join('; '),
    browserTransport,
    nodeTransport: node.socket.io.engine.transport.name,
    browserSaw: state.received.map((r) => r.message),
    nodeSaw: node.seen('receive-message').map((e) => e.args[0]),
    pageText: text,
    console: allowedPage.log,
  });

  // The same page from an origin that is not on the host's list.
  const refusedPage = await openPage(context, refused.origin, hostUrl, 'refused page');
  let refusedOk = true;
  let refusedDetail;
  try {
    await refusedPage.page.locator('#message-container', { hasText: 'connect_error' }).waitFor({ timeout: PAGE_WAIT_MS });
    const refusedState = await pageState(refusedPage.page);
    if (refusedState.connected || refusedState.id) {
      refusedOk = false;
      refusedDetail = `the page from ${refused.origin} connected anyway as ${refusedState.id}`;
    } else {
      refusedDetail = `connect_error on the page: ${refusedState.errors[0]}`;
    }
  } catch (e) {
    refusedOk = false;
    const s = await pageState(refusedPage.page).catch(() => null);
    refusedDetail = `no connect_error shown within ${PAGE_WAIT_MS} ms (connected: ${s?.connected}, id: ${s?.id})`;
  }
  await screenshot(refusedPage.page, 'browser-refused-origin.png');
  emitLine({
    event: 'refused-origin',
    ok: refusedOk,
    detail: refusedDetail,
    origin: refused.origin,
    pageText: await containerText(refusedPage.page),
    console: refusedPage.log.slice(0, 10),
  });
  return mixedOk && refusedOk;
}

let ok = false;
try {
  ok = await main();
} catch (err) {
  emitLine({ event: 'error', ok: false, detail: err.stack ?? String(err) });
}
await cleanup();
emitLine({ event: 'done', ok });
console.error(`browser-interop.mjs: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
