// An XSS corpus against Parley's web client: hostile messages, names and room names from Node
// socket.io-clients, shown in headless Chromium. None may run (no dialog, window.__pwned never
// set, no element but the page's own in the conversation), and each must show as its own text.
// The guest's page runs with its Content-Security-Policy bypassed, so what is proven is the
// rendering (text only), not the CSP that would also stand in the way.
//
//   node interop/web-xss.mjs
//   in  {"op":"host","url":"http://127.0.0.1:H","serve":"host"|"proxy"}
//   out {"event":"messages"|"names"|"rooms"|"nothing-ran","ok","detail"}, then {"event":"done","ok","millis"}
import { connectPeer, emitLine, globalTimeout, readCommands, withTimeout } from './lib.mjs';
import { DESKTOP, PAGE_WAIT_MS, joinRoom, launch, lines, pageOrigin, ready, waitForTexts } from './web-lib.mjs';

const started = Date.now();
globalTimeout(120_000, 'web-xss.mjs');
const PWN = (tag) => `window.__pwned='${tag}'`;

export const MESSAGES = [
  `<img src=x onerror="${PWN('img')}">`,
  `<script>${PWN('script')}</script>`,
  `<svg onload="${PWN('svg')}"></svg>`,
  `<svg><script>${PWN('svg-script')}</script></svg>`,
  `<iframe src="javascript:parent.__pwned='iframe'"></iframe>`,
  `<iframe srcdoc="<script>parent.__pwned='srcdoc'</script>"></iframe>`,
  `javascript:${PWN('js-url')}`,
  `<a href="javascript:${PWN('a')}">click me</a>`,
  `[click me](javascript:${PWN('markdown')})`,
  `<body onload="${PWN('body')}">`,
  '<style>body{display:none}</style>',
  '<div style="position:fixed;inset:0;background:red">covered</div>',
  `</textarea><script>${PWN('textarea')}</script>`,
  '"><img src=x onerror=alert(1)>',
  "'-alert(1)-'",
  `{{constructor.constructor("${PWN('template')}")()}}`,
  `\${${PWN('template-literal')}}`,
  '&lt;img src=x onerror=alert(1)&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62; &amp; &nbsp;',
  'RTL override: \u202Egnp.exe',
  'zero\u200Bwidth\u200Cjoin\u200Dbom\uFEFFend',
  '<math><mi xlink:href="javascript:alert(1)">math</mi></math>',
  `<details open ontoggle="${PWN('details')}">`,
  `<input autofocus onfocus="${PWN('focus')}">`,
  `see https://example.org/"onmouseover="${PWN('link-attr')}"`,
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<object data="javascript:alert(1)"></object>',
  '<img src=x onerror=alert(1)>'.repeat(142), // 3,976 characters, just under the 4,000 limit
];
const NAMES_SHOWN = ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '<svg onload=alert(1)>', '{{7*7}} ${7*7}', '&lt;b&gt; &amp;', '"><b>bold</b>'];
const NAMES_REFUSED = ['\u202Eevil', 'zero\u200Bwidth', `<img src=x onerror=alert(1)>${'A'.repeat(10_000)}`];
const ROOMS = ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>', `javascript:${PWN('room')}`, '{{7*7}}', '"><svg onload=alert(1)>', '&amp; &#60;'];
const ALLOWED_TAGS = ['OL', 'UL', 'LI', 'DIV', 'BDI', 'TIME', 'P', 'SPAN', 'A', 'BUTTON'];

const cleanups = [];
async function cleanup() {
  for (const s of cleanups.reverse()) await withTimeout(Promise.resolve().then(s), 10_000, 'cleanup').catch(() => {});
}
let hostCommand;
const gotHost = new Promise((resolve) => { hostCommand = resolve; });
readCommands((c) => c.op === 'host' && hostCommand(c), () => cleanup().finally(() => process.exit(1)));

let allOk = true;
function report(event, problems, detail) {
  const ok = problems.length === 0;
  allOk &&= ok;
  emitLine({ event, ok, detail: ok ? detail : problems.slice(0, 20).join('; '), millis: Date.now() - started });
}

async function main() {
  const launching = launch(cleanups); // while the driver starts the host
  const { url: hostUrl, serve } = await withTimeout(gotHost, 60_000, '{"op":"host"}');
  const origin = await pageOrigin(hostUrl, serve, cleanups);
  const browser = await launching;
  const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
  const page = await context.newPage();
  const dialogs = [];
  const log = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('console', (m) => log.push(m.text()));
  await page.addInitScript(() => {
    for (const f of ['alert', 'confirm', 'prompt']) window[f] = () => { window.__pwned = f; };
  });
  await page.goto(`${origin}/`, { timeout: PAGE_WAIT_MS });
  const guest = { page, log, label: 'guest' };
  await ready(guest);

  // Messages, from one Node client, to everyone.
  const sender = await connectPeer(hostUrl, 'default', 'sender', 5000, { auth: { name: 'Mallory', user: 'xss-sender-user-key-00001' } });
  cleanups.push(() => sender.close());
  const problems = [];
  for (const text of MESSAGES) {
    const ack = await sender.ack('send-message', text, '');
    if (ack?.ok !== true) problems.push(`the host refused message ${JSON.stringify(text.slice(0, 40))}: ${JSON.stringify(ack)}`);
  }
  await waitForTexts(guest, '*', MESSAGES).catch((e) => problems.push(e.message));
  const shown = await lines(guest, '*');
  for (const text of MESSAGES) {
    const n = shown.filter((l) => l.text === text).length;
    if (n !== 1) problems.push(`${JSON.stringify(text.slice(0, 60))} shown ${n} times as its text`);
  }
  report('messages', problems, `${MESSAGES.length} hostile messages each shown once as their own text`);

  // Names: the valid ones show as the sender and in the people list; the host refuses the others.
  const nameProblems = [];
  for (const [i, name] of [...NAMES_SHOWN, ...NAMES_REFUSED].entries()) {
    const peer = await connectPeer(hostUrl, 'default', `named ${i}`, 5000, { auth: { name, user: `xss-name-user-key-${i}-0000` } });
    cleanups.push(() => peer.close());
    await peer.ack('list-peers');
    const text = `message ${i} from a hostile name`;
    await peer.ack('send-message', text, '');
    await waitForTexts(guest, '*', [text]).catch((e) => nameProblems.push(e.message));
    const line = (await lines(guest, '*')).find((l) => l.text === text);
    const refused = peer.seen('parley-error').length > 0;
    if (NAMES_SHOWN.includes(name)) {
      if (line?.sender !== name) nameProblems.push(`the sender of "${text}" shows as ${JSON.stringify(line?.sender)}, not ${JSON.stringify(name)}`);
      const people = await page.locator('#people').textContent();
      if (!people.includes(name)) nameProblems.push(`${JSON.stringify(name)} is not in the people list`);
    } else if (!refused) {
      nameProblems.push(`the host accepted the name ${JSON.stringify(name.slice(0, 40))}`);
    } else if (line?.sender.includes('\u202E') || line?.sender.includes('\u200B') || (line?.sender.length ?? 0) > 40) {
      nameProblems.push(`a refused name still shows: ${JSON.stringify(line?.sender.slice(0, 40))}`);
    }
  }
  report('names', nameProblems, `${NAMES_SHOWN.length} hostile names shown as text, ${NAMES_REFUSED.length} refused by the host (bidi, zero-width, 10 kB)`);

  // Room names: the guest joins each by the form; a Node member says something there.
  const roomProblems = [];
  for (const room of ROOMS) {
    await joinRoom(guest, room).catch((e) => roomProblems.push(`joining ${JSON.stringify(room)}: ${e.message}`));
    const joined = await sender.ack('join-room', room);
    if (joined !== `Joined ${room}`) roomProblems.push(`node join ${JSON.stringify(room)}: ${JSON.stringify(joined)}`);
    const text = `hello in ${room}`;
    await sender.ack('send-message', text, room);
    await waitForTexts(guest, `#${room}`, [text]).catch((e) => roomProblems.push(e.message));
    const title = await page.locator('#conversation-name').textContent();
    if (title !== room) roomProblems.push(`the conversation title is ${JSON.stringify(title)}, not ${JSON.stringify(room)}`);
    const label = await page.evaluate((k) => window.parleyPage.convs.get(k).label.textContent, `#${room}`);
    if (label !== room) roomProblems.push(`the sidebar says ${JSON.stringify(label)} for ${JSON.stringify(room)}`);
  }
  report('rooms', roomProblems, `${ROOMS.length} hostile room names shown as text in the sidebar, the title and their messages`);

  // Nothing ran, and the page holds only its own kinds of elements.
  await page.waitForTimeout(300); // a late onerror or onload would have fired by now
  const verdict = await page.evaluate((allowed) => {
    const foreign = [...document.querySelectorAll('#messages *, #conversations *, #people *, #members *, #conversation-title *, #typing *')]
      .filter((e) => !allowed.includes(e.tagName))
      .map((e) => e.outerHTML.slice(0, 80));
    const badLinks = [...document.querySelectorAll('a')].filter((a) => !/^https?:$/.test(new URL(a.href, location.href).protocol)
      || a.rel !== 'noopener noreferrer').map((a) => a.outerHTML.slice(0, 80));
    const handlers = [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`));
    return { pwned: window.__pwned ?? null, foreign, badLinks, handlers, bodyShown: getComputedStyle(document.body).display };
  }, ALLOWED_TAGS);
  const ran = [];
  if (verdict.pwned) ran.push(`window.__pwned = ${verdict.pwned}`);
  if (dialogs.length) ran.push(`dialogs opened: ${dialogs.join(', ')}`);
  if (verdict.foreign.length) ran.push(`foreign elements: ${verdict.foreign.join(' | ')}`);
  if (verdict.badLinks.length) ran.push(`links: ${verdict.badLinks.join(' | ')}`);
  if (verdict.handlers.length) ran.push(`event handler attributes: ${verdict.handlers.join(', ')}`);
  if (verdict.bodyShown === 'none') ran.push('the page was hidden by injected CSS');
  report('nothing-ran', ran, `no script ran, no dialog opened, no foreign element, only http(s) links (CSP bypassed); ${MESSAGES.length} messages, ${NAMES_SHOWN.length + NAMES_REFUSED.length} names, ${ROOMS.length} rooms`);
}

try {
  await main();
} catch (err) {
  allOk = false;
  emitLine({ event: 'error', ok: false, detail: err.stack ?? String(err) });
}
await cleanup();
emitLine({ event: 'done', ok: allOk, millis: Date.now() - started });
process.exit(allOk ? 0 : 1);
