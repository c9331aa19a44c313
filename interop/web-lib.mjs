// Shared by the web client's browser tests: one headless Chromium, pages of Parley's web client
// (served by the host, or by web-page-server.mjs passing /socket.io/ to it), and bounded waits on
// what a page shows. Every wait has a timeout.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveWebPage } from './web-page-server.mjs';

const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
/** A name that is not localhost, so a page opened under it is not a secure context, as on a LAN. */
export const LAN_NAME = 'parley-host.test';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', `--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1`];
export const PAGE_WAIT_MS = 15_000;
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** Where pages are opened for a host: the host itself when it serves the page, else a pass-through server. */
export async function pageOrigin(hostUrl, serve, cleanups) {
  if (serve === 'host') return hostUrl;
  const { server, origin } = await serveWebPage(hostUrl, 0);
  cleanups.push(() => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }));
  return origin;
}

export async function launch(cleanups) {
  const profile = await mkdtemp(join(tmpdir(), 'parley-web-'));
  cleanups.push(() => rm(profile, { recursive: true, force: true }));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60_000 });
  cleanups.push(() => browser.close());
  return browser;
}

/** A guest: a fresh browser context (its own localStorage) at `viewport`, on the page at `url`. */
export async function openGuest(browser, url, viewport, label, colorScheme = 'light') {
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  const log = [];
  const dialogs = [];
  page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await page.goto(url, { timeout: PAGE_WAIT_MS });
  return { page, context, log, dialogs, label };
}

/** Waits until the page has heard the host's list-peers answer (a Parley host, ready to send). */
export function ready(guest) {
  return guest.page.waitForFunction(() => window.parleyPage?.chat?.parleyHost === true, null, { timeout: PAGE_WAIT_MS })
    .catch(async (e) => {
      throw new Error(`${guest.label} never connected: ${e.message}; status: ${await guest.page.locator('#status').textContent()}; `
        + `console: ${guest.log.join(' | ')}`);
    });
}

/** The message lines of the conversation `key` (`*`, `#room`, `@user`), shown or not. */
export function lines(guest, key) {
  return guest.page.evaluate((k) => [...document.querySelectorAll('#messages ol')]
    .filter((ol) => ol.dataset.key === k)
    .flatMap((ol) => [...ol.querySelectorAll('li.message')])
    .map((li) => ({ text: li.querySelector('.text')?.textContent ?? null, file: li.querySelector('.file-name')?.textContent ?? null, own: li.classList.contains('own'), state: li.dataset.state ?? null,
      sender: li.querySelector('.sender').textContent })), key);
}

/** Waits until every text in `texts` is shown in conversation `key`. */
export function waitForTexts(guest, key, texts, ms = PAGE_WAIT_MS) {
  return guest.page.waitForFunction(([k, wanted]) => {
    const shown = [...document.querySelectorAll('#messages ol')].filter((ol) => ol.dataset.key === k)
      .flatMap((ol) => [...ol.querySelectorAll('li.message .text')]).map((p) => p.textContent);
    return wanted.every((t) => shown.includes(t));
  }, [key, texts], { timeout: ms }).catch(async () => {
    const shown = (await lines(guest, key)).map((l) => l.text);
    throw new Error(`${guest.label}: ${key} shows ${JSON.stringify(shown)}, not all of ${JSON.stringify(texts)}`);
  });
}

/** How many times each text appears in conversation `key`; problems for any text not shown exactly once. */
export async function exactlyOnce(guest, key, texts) {
  const shown = (await lines(guest, key)).map((l) => l.text);
  const problems = [];
  for (const t of texts) {
    const n = shown.filter((s) => s === t).length;
    if (n !== 1) problems.push(`${guest.label} shows "${t}" ${n} times in ${key}`);
  }
  const seen = new Set();
  for (const s of shown) {
    if (seen.has(s)) problems.push(`${guest.label} shows "${s}" twice in ${key}`);
    seen.add(s);
  }
  return problems;
}

/** Opens the sidebar on a phone (the page is one column there); a no-op on a wide screen. */
export async function showSidebar(guest) {
  const toggle = guest.page.locator('#nav-toggle');
  if (await toggle.isVisible() && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** Joins a room through the sidebar's form, as a person would; resolves once it is open. */
export async function joinRoom(guest, room) {
  await showSidebar(guest);
  await guest.page.getByLabel('Join a room').fill(room);
  await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
  await guest.page.waitForFunction((r) => window.parleyPage.convs.current === `#${r}`, room, { timeout: PAGE_WAIT_MS });
}

/** Leaves the open room as a person does: Leave, then Leave again in the dialog that asks. */
export async function leaveRoom(guest) {
  await guest.page.locator('#leave-button').click();
  await guest.page.getByRole('dialog', { name: 'Leave this room?' }).getByRole('button', { name: 'Leave' }).click();
}

/** Types into the message box and presses Enter. */
export async function say(guest, text) {
  const box = guest.page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** Drops the page's connection and keeps it down (every new Socket.IO request fails) until `restore`. */
export async function dropConnection(guest) {
  await guest.page.route('**/socket.io/**', (route) => route.abort());
  await guest.page.evaluate(() => window.parleyPage.chat.socket.io.engine.close());
  await guest.page.waitForFunction(() => !window.parleyPage.chat.socket.connected, null, { timeout: PAGE_WAIT_MS });
}

export async function restoreConnection(guest) {
  await guest.page.unroute('**/socket.io/**');
}
