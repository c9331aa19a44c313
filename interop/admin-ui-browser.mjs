// The real Socket.IO Admin UI (the built UI of @socket.io/admin-ui 0.5.1) in Debian's headless
// Chromium against a Parley host: served from 127.0.0.1:<uiPort>, logged in through its own
// connection form, its Sockets and Rooms pages must list a chat client's socket id and room. Given
// another host of the same cluster, a chat client there too, and the Servers page lists both hosts.
// Usage: node admin-ui-browser.mjs <hostUrl> <uiPort> <user> <password> <screenshotDir> [otherHostUrl]
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectPeer, emitLine, globalTimeout, runCleanups } from './lib.mjs';
import { launch, PAGE_WAIT_MS } from './web-lib.mjs';

const [hostUrl, uiPort, user, password, screenshots, otherHostUrl] = process.argv.slice(2);
const shot = (name) => join(screenshots, `admin-ui${otherHostUrl ? '-cluster' : ''}-${name}.png`);
globalTimeout(120_000, 'admin-ui-browser.mjs');
const UI = fileURLToPath(new URL('node_modules/@socket.io/admin-ui/ui/dist/', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json' };
const cleanups = [];
let failed = false;
const check = (name, ok, detail) => {
  emitLine({ check: name, ok: !!ok, detail });
  if (!ok) failed = true;
};

try {
  // The UI's files, on the origin the host was told to allow.
  const server = createServer(async (req, res) => {
    const path = normalize(new URL(req.url, 'http://localhost').pathname).replace(/^(\.\.[/\\])+/, '');
    try {
      const file = path === '/' ? 'index.html' : path;
      const body = await readFile(join(UI, file));
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(Number(uiPort), '127.0.0.1', resolve));
  cleanups.push(() => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }));

  // A chat client in a room, for the UI to find.
  const chat = await connectPeer(hostUrl, 'default', 'chat', 5_000, { auth: { name: 'Ann' } });
  cleanups.push(() => chat.close());
  await chat.ack('join-room', 'lobby');
  let other;
  if (otherHostUrl) {
    other = await connectPeer(otherHostUrl, 'websocket', 'other', 5_000, { auth: { name: 'Bo' } });
    cleanups.push(() => other.close());
    await other.ack('join-room', 'garden');
  }

  const browser = await launch(cleanups);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Only the UI and the host: the UI's web fonts stay out of a test that may not leave the machine.
  await context.route((url) => !['localhost', '127.0.0.1'].includes(url.hostname), (route) => route.abort());
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  await page.goto(`http://localhost:${uiPort}/`, { waitUntil: 'domcontentloaded', timeout: PAGE_WAIT_MS });

  // Its own login form: server URL, user name, password (polling then upgrade: "WebSocket only" stays off).
  await page.getByLabel('Server URL').fill(hostUrl, { timeout: PAGE_WAIT_MS });
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByLabel('Server URL').waitFor({ state: 'hidden', timeout: PAGE_WAIT_MS }).then(
    () => check('ui-logged-in', true),
    async (e) => check('ui-logged-in', false, `${e.message}; page: ${(await page.locator('body').innerText()).slice(0, 500)}; console: ${log.join(' | ')}`));

  // Through its menu, which lists these pages only for a server with every feature they need.
  await page.getByRole('link', { name: 'Sockets' }).click({ timeout: PAGE_WAIT_MS });
  const socketsShown = await page.getByText(chat.id).first().waitFor({ timeout: PAGE_WAIT_MS }).then(() => true, () => false);
  const otherShown = !other || await page.getByText(other.id).first().waitFor({ timeout: PAGE_WAIT_MS }).then(() => true, () => false);
  await page.screenshot({ path: shot('sockets') }).catch(() => {});
  check('ui-sockets-page-lists-chat-socket', socketsShown && otherShown,
    `looked for ${chat.id} ${other?.id ?? ''}; page: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 800)}`);

  await page.getByRole('link', { name: 'Rooms' }).click({ timeout: PAGE_WAIT_MS });
  const roomShown = await page.getByText('lobby', { exact: true }).first().waitFor({ timeout: PAGE_WAIT_MS }).then(() => true, () => false);
  const otherRoomShown = !other
    || await page.getByText('garden', { exact: true }).first().waitFor({ timeout: PAGE_WAIT_MS }).then(() => true, () => false);
  await page.screenshot({ path: shot('rooms') }).catch(() => {});
  check('ui-rooms-page-lists-chat-room', roomShown && otherRoomShown,
    `page: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 800)}`);

  if (other) {
    // Each host reports itself as hostname:port: the Servers page has a row for each.
    await page.getByRole('link', { name: 'Servers' }).click({ timeout: PAGE_WAIT_MS });
    const ports = [hostUrl, otherHostUrl].map((u) => new URL(u).port);
    const shown = [];
    for (const port of ports) {
      shown.push(await page.getByText(new RegExp(`:${port}\\b`)).first().waitFor({ timeout: 2 * PAGE_WAIT_MS })
        .then(() => true, () => false));
    }
    await page.screenshot({ path: shot('servers') }).catch(() => {});
    check('ui-servers-page-lists-both-hosts', shown.every(Boolean),
      `looked for ${ports}; page: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 800)}`);
  }
} catch (e) {
  check('admin-ui-browser', false, e.stack);
} finally {
  await runCleanups(cleanups);
}
process.exit(failed ? 1 : 0);
