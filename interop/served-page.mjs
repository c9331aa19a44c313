// The host's own page in a real browser (Debian's headless Chromium, driven by playwright-core):
// under the Content-Security-Policy the host serves, the socket.io-client bundle it serves
// connects back to the same host over polling, over WebSocket and with the upgrade, while an
// inline script and an image from elsewhere are refused (eval: the policy has no 'unsafe-eval').
//
//   node interop/served-page.mjs http://127.0.0.1:PORT/
//
// Prints one JSON line per check ({"event":"check","name","ok","detail"}), then
// {"event":"done","ok"}; exits 0 when every check passed. Bounded by a global timeout.
import { chromium } from 'playwright-core';
import { emitLine, globalTimeout, withTimeout } from './lib.mjs';

const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
const url = process.argv[2];
globalTimeout(60_000, 'served-page.mjs');

const results = [];
function check(name, ok, detail) {
  results.push(ok);
  emitLine({ event: 'check', name, ok, detail });
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  const violations = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) violations.push(m.text().slice(0, 160));
  });
  const response = await withTimeout(page.goto(url), 15_000, 'loading the page');
  const policy = response.headers()['content-security-policy'] || '';
  check('policy', /script-src 'self'/.test(policy) && !/unsafe-/.test(policy), policy);
  await withTimeout(page.waitForFunction(() => typeof window.io === 'function'), 15_000, 'the socket.io bundle');

  for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']]) {
    const outcome = await withTimeout(
      page.evaluate(
        (t) =>
          new Promise((resolve) => {
            const socket = window.io({ transports: t, forceNew: true, reconnection: false });
            // The upgrade can finish before CONNECT is answered, so it is watched from the engine's
            // open, not from connect (where a finished upgrade would never be heard of again).
            let first = null;
            let connected = false;
            let upgraded = t.length === 1;
            const settle = () => {
              if (!connected || !upgraded) return;
              resolve(`${first}→${socket.io.engine.transport.name}`);
              socket.close();
            };
            socket.io.on('open', () => {
              first = socket.io.engine.transport.name;
              if (!upgraded) {
                socket.io.engine.once('upgrade', () => {
                  upgraded = true;
                  settle();
                });
              }
            });
            socket.on('connect_error', (e) => resolve(`connect_error: ${e.message}`));
            socket.on('connect', () => {
              connected = true;
              settle();
            });
          }),
        transports,
      ),
      15_000,
      `connecting over ${transports}`,
    );
    const wanted = { polling: 'polling→polling', websocket: 'websocket→websocket', 'polling,websocket': 'polling→websocket' };
    check(`connect ${transports}`, outcome === wanted[transports.join(',')], outcome);
  }

  const inline = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.appendChild(script);
    return window.__inlineRan === true;
  });
  check('inline script refused', inline === false, `ran: ${inline}`);

  const image = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('refused');
        img.src = 'http://127.0.0.2:9/elsewhere.png';
      }),
  );
  check('image from elsewhere refused', image === 'refused' && violations.some((v) => v.includes('img-src')), `${image}; ${violations.join(' | ')}`);
} finally {
  await browser.close();
}
const ok = results.length > 0 && results.every(Boolean);
emitLine({ event: 'done', ok });
process.exit(ok ? 0 : 1);
