// Parley's web client in headless Chromium, with the others it must chat with: two browser
// guests (one phone-sized), a Node socket.io-client and (driven by WebClientTest) a desktop
// joiner, all in room "lobby" of one Parley host.
//
//   node interop/web-client.mjs [screenshot dir]
//
// JSON lines with its driver:
//   in  {"op":"host","url":"http://127.0.0.1:H","serve":"host"|"proxy"}
//   out {"event":"ready","a","b","node"}                     three socket ids, all in "lobby"
//   in  {"op":"desktop-sent","text":"…"}                      the desktop joiner said something in "lobby"
//   out {"check":"mixed-room"|"direct"|"replay"|"reload-outbox","ok","detail"}
//   out {"event":"sent","texts":[…]}                          what the desktop must have got once each
//   in  {"op":"password-host","url":…,"password":…}
//   out {"check":"password","ok","detail"}
//   out {"event":"done","ok","millis"}
import { connectPeer, emitLine, globalTimeout, readCommands, runCleanups, sleep, withTimeout } from './lib.mjs';
import {
  DESKTOP, LAN_NAME, PAGE_WAIT_MS, PHONE, dropConnection, exactlyOnce, joinRoom, launch, lines, openGuest, pageOrigin,
  leaveRoom, ready, restoreConnection, say, showSidebar, waitForTexts,
} from './web-lib.mjs';

const ROOM = 'lobby';
const started = Date.now();
globalTimeout(170_000, 'web-client.mjs');

const cleanups = [];
const cleanup = () => runCleanups(cleanups);

const commands = [];
const waiters = new Set();
readCommands((c) => {
  commands.push(c);
  for (const wake of [...waiters]) wake();
}, () => cleanup().finally(() => process.exit(1)));
function nextCommand(op, ms) {
  return withTimeout(new Promise((resolve) => {
    const wake = () => {
      const i = commands.findIndex((c) => c.op === op);
      if (i >= 0) {
        waiters.delete(wake);
        resolve(commands.splice(i, 1)[0]);
      }
    };
    waiters.add(wake);
    wake();
  }), ms, `{"op":"${op}"}`);
}

let allOk = true;
function check(name, problems, detail, extra = {}) {
  const ok = problems.length === 0;
  allOk &&= ok;
  emitLine({ event: name, check: name, ok, detail: ok ? detail : problems.join('; '), millis: Date.now() - started, ...extra });
}

/** Runs one check; a thrown error fails it (and the run) without stopping the later ones. */
async function step(name, body) {
  try {
    await body();
  } catch (e) {
    check(name, [e.message]);
  }
}

const userOf = (guest) => guest.page.evaluate(() => window.parleyPage.chat.myUser());

async function main() {
  // Chromium starts while the driver starts the host.
  const launching = launch(cleanups);
  const { url: hostUrl, serve } = await nextCommand('host', 60_000);
  const origin = await pageOrigin(hostUrl, serve, cleanups);
  const browser = await launching;
  const a = await openGuest(browser, `${origin}/`, DESKTOP, 'guest A');
  const b = await openGuest(browser, `${origin}/`, PHONE, 'guest B (phone)');
  await Promise.all([ready(a), ready(b)]);
  // Everyone is readable at once, under a suggested name.
  const nameA = await a.page.locator('#my-name').textContent();
  const nameB = await b.page.locator('#my-name').textContent();
  await joinRoom(a, ROOM);
  await joinRoom(b, ROOM);
  const node = await connectPeer(hostUrl, 'default', 'node', 5000, { auth: { name: 'Node', user: 'node-interop-user-key-0001' } });
  cleanups.push(() => node.close());
  await node.ack('join-room', ROOM);
  const id = (g) => g.page.evaluate(() => window.parleyPage.chat.id);
  emitLine({ event: 'ready', a: await id(a), b: await id(b), node: node.id, nameA, nameB, millis: Date.now() - started });

  const { text: fromDesktop } = await nextCommand('desktop-sent', 30_000);
  const fromA = 'hello from guest A';
  const fromB = 'hello from guest B on a phone';
  const fromNode = 'hello from node';
  await step('mixed-room', async () => {
    await say(a, fromA);
    await say(b, fromB);
    const ack = await node.ack('send-message', fromNode, ROOM);
    await waitForTexts(a, `#${ROOM}`, [fromDesktop, fromB, fromNode, fromA]);
    await waitForTexts(b, `#${ROOM}`, [fromDesktop, fromA, fromNode, fromB]);
    await Promise.all([fromA, fromB, fromDesktop].map((t) => node.waitForMessage(t, PAGE_WAIT_MS)));
    for (const g of [a, b]) {
      await g.page.waitForFunction(() => ![...document.querySelectorAll('li.own[data-state]')].some((li) => li.dataset.state !== 'delivered'),
        null, { timeout: PAGE_WAIT_MS }).catch(() => {});
    }
    const all = [fromDesktop, fromA, fromB, fromNode];
    const problems = [...await exactlyOnce(a, `#${ROOM}`, all), ...await exactlyOnce(b, `#${ROOM}`, all)];
    for (const t of [fromA, fromB, fromDesktop]) if (node.countMessage(t) !== 1) problems.push(`node got "${t}" ${node.countMessage(t)} times`);
    if (node.countMessage(fromNode) !== 0) problems.push('node got its own message back');
    if (ack?.ok !== true) problems.push(`node's ack ${JSON.stringify(ack)}`);
    const own = (await lines(a, `#${ROOM}`)).find((l) => l.text === fromA);
    const idA = await a.page.evaluate(() => window.parleyPage.chat.id);
    const shownId = await a.page.locator('#my-id').textContent();
    if (shownId !== `You connected with id: ${idA}`) problems.push(`guest A shows "${shownId}"`);
    // The phone gets one column: the conversation, with the list behind the Chats button, and nothing wider than the screen.
    const phone = await b.page.evaluate(() => ({
      toggle: getComputedStyle(document.getElementById('nav-toggle')).display !== 'none',
      sidebar: getComputedStyle(document.getElementById('sidebar')).display,
      width: document.documentElement.scrollWidth,
    }));
    if (!phone.toggle || phone.sidebar !== 'none' || phone.width > 390) problems.push(`guest B at 390x844: ${JSON.stringify(phone)}`);
    const members = await a.page.locator('#members-button').textContent();
    if (members !== 'Members (4)') problems.push(`guest A's room shows "${members}" (guests, node, desktop)`);
    for (const g of [a, b]) {
      const bad = g.log.filter((l) => /Content Security Policy|pageerror|Failed to load resource/.test(l));
      if (bad.length) problems.push(`${g.label}: ${bad.join(' | ')}`);
    }
    if (!own?.own || own.state !== 'delivered') problems.push(`guest A's own line ${JSON.stringify(own)} is not marked delivered`);
    check('mixed-room', problems, 'both guests, node and the desktop each saw the other three once');
  });

  await step('direct', async () => {
    const text = 'psst, only for guest B';
    const userB = await userOf(b);
    await a.page.locator('#people .person-button', { hasText: nameB }).click();
    await a.page.waitForFunction((u) => window.parleyPage.convs.current === `@${u}`, userB, { timeout: PAGE_WAIT_MS });
    await say(a, text);
    const userA = await userOf(a);
    await waitForTexts(b, `@${userA}`, [text]);
    const badge = await b.page.evaluate((u) => window.parleyPage.convs.get(`@${u}`).badge.textContent, userA);
    await sleep(500); // what must NOT arrive: give it the time it would have taken
    const problems = await exactlyOnce(b, `@${userA}`, [text]);
    if (node.countMessage(text) !== 0) problems.push('node got the direct message');
    if (badge !== '1') problems.push(`guest B's unread badge for the direct conversation says "${badge}"`);
    for (const key of ['*', `#${ROOM}`]) if ((await lines(b, key)).some((l) => l.text === text)) problems.push(`shown in ${key}`);
    check('direct', problems, 'a direct message reached guest B only, with an unread count', { text });
    emitLine({ event: 'direct', text });
    // B answers from the phone: open the conversation from the sidebar and write back.
    await showSidebar(b);
    await b.page.locator('#conversations .conv-button', { hasText: nameA }).click();
    // Shift+Enter starts a new line, Enter sends.
    const box = b.page.getByRole('textbox', { name: 'Message' });
    await box.fill('got it');
    await box.press('Shift+Enter');
    await box.pressSequentially('see you');
    await box.press('Enter');
    await waitForTexts(a, `@${userB}`, ['got it\nsee you']);
  });

  await step('typing-and-history', async () => {
    const problems = [];
    await showSidebar(b);
    await b.page.locator('#conversations .conv-button', { hasText: ROOM }).click();
    node.socket.emit('typing', ROOM, true);
    await b.page.getByText('Node is typing…').waitFor({ timeout: PAGE_WAIT_MS }).catch(() => problems.push('guest B never showed "Node is typing…"'));
    node.socket.emit('typing', ROOM, false);
    await b.page.getByText('Node is typing…').waitFor({ state: 'detached', timeout: PAGE_WAIT_MS })
      .catch(() => problems.push('"Node is typing…" stayed after it stopped'));
    // And the other way: a draft in the page tells the room, clearing it says it stopped.
    const idB = await b.page.evaluate(() => window.parleyPage.chat.id);
    const typingFromB = (active) => (t) => t?.from === idB && t.kind === 'room' && t.room === ROOM && t.active === active;
    const since = node.events.length;
    await b.page.getByRole('textbox', { name: 'Message' }).pressSequentially('a draft');
    await node.waitFor('typing', typingFromB(true), PAGE_WAIT_MS, 'typing from guest B', since).catch((e) => problems.push(e.message));
    await b.page.getByRole('textbox', { name: 'Message' }).fill('');
    await b.page.getByRole('textbox', { name: 'Message' }).dispatchEvent('input');
    await node.waitFor('typing', typingFromB(false), PAGE_WAIT_MS, 'typing stopped from guest B', since).catch((e) => problems.push(e.message));
    // 70 messages in a room before guest A opens it: the latest 50 come first, the rest on scrolling up.
    const older = Array.from({ length: 70 }, (_, i) => `old message ${i + 1}`);
    await node.ack('join-room', 'archive');
    for (const text of older) {
      let ack;
      for (let tries = 0; tries < 50 && ack?.ok !== true; tries += 1) {
        ack = await node.ack('send-message', text, 'archive');
        if (ack?.ok !== true) await sleep(100); // over the chat rate: wait for the bucket
      }
    }
    await joinRoom(a, 'archive');
    await waitForTexts(a, '#archive', older.slice(20));
    const first = (await lines(a, '#archive')).length;
    for (let i = 0; i < 5 && (await lines(a, '#archive')).length < older.length; i += 1) {
      await a.page.evaluate(() => { document.getElementById('messages').scrollTop = 0; });
      await sleep(300);
    }
    await waitForTexts(a, '#archive', older).catch((e) => problems.push(e.message));
    if (first !== 50) problems.push(`opening the room showed ${first} messages, not the latest 50`);
    const order = (await lines(a, '#archive')).map((l) => l.text);
    if (order.join('|') !== older.join('|')) problems.push('the room\'s history is not in order');
    check('typing-and-history', problems, 'typing shown and cleared, both ways; 50 messages of history on opening a room, 20 more on scrolling up, in order');
    await leaveRoom(a);
  });

  await step('failed-and-retry', async () => {
    // Past the host's chat rate (bursts of 60) some messages are refused: they show failed with
    // the host's reason and a Retry button, which sends them again; each arrives once.
    const problems = [];
    await node.ack('join-room', 'burst');
    await joinRoom(a, 'burst');
    const burst = Array.from({ length: 120 }, (_, i) => `burst ${i + 1}`);
    // All in one turn of the page, so the burst outruns the host's refill whatever the machine's speed.
    await a.page.evaluate((texts) => {
      for (const text of texts) {
        document.getElementById('message-input').value = text;
        document.getElementById('composer').requestSubmit();
      }
    }, burst);
    await a.page.waitForFunction(() => ![...document.querySelectorAll('li.own[data-state="sending"]')].length, null, { timeout: PAGE_WAIT_MS });
    const failed = await a.page.locator('li.own[data-state="failed"]').count();
    const reason = await a.page.locator('li.own[data-state="failed"] .state span').first().textContent().catch(() => '');
    if (failed === 0) problems.push('no message was refused: the burst did not pass the chat rate');
    if (failed > 0 && !reason.startsWith('Not sent: too many events')) problems.push(`a failed line says "${reason}"`);
    await a.page.locator('li.own[data-state="failed"] .retry').first().click(); // one as a person would
    for (let i = 0; i < 20 && await a.page.locator('li.own[data-state="failed"]').count() > 0; i += 1) {
      // The rest 15 at a time, each second: within what the host's bucket refills.
      await a.page.evaluate(() => [...document.querySelectorAll('li.own[data-state="failed"] .retry')].slice(0, 15).forEach((b) => b.click()));
      await sleep(1000);
    }
    await a.page.waitForFunction(() => [...document.querySelectorAll('li.own')].filter((li) => li.dataset.state === 'delivered'
      && li.querySelector('.text').textContent.startsWith('burst ')).length >= 120, null, { timeout: 20_000 })
      .catch(() => problems.push('not every burst message was delivered after Retry'));
    await Promise.all(burst.map((t) => node.waitForMessage(t, 10_000))).catch((e) => problems.push(e.message));
    for (const t of burst) if (node.countMessage(t) !== 1) problems.push(`node got "${t}" ${node.countMessage(t)} times`);
    problems.push(...await exactlyOnce(a, '#burst', burst));
    await leaveRoom(a);
    // The page forgets the room on the dialog's close event, a task after the click: wait, bounded.
    await a.page.locator('#conversations .conv-button', { hasText: 'burst' }).waitFor({ state: 'detached', timeout: PAGE_WAIT_MS })
      .catch(() => problems.push('the room left is still listed'));
    await a.page.waitForFunction(() => !(localStorage.getItem('parley.rooms') ?? '').includes('burst'), null, { timeout: PAGE_WAIT_MS })
      .catch(() => problems.push('the room left is still remembered'));
    check('failed-and-retry', problems, `${failed} of ${burst.length} messages refused by the chat rate showed failed with the reason; Retry delivered each once; leaving the room forgets it`);
  });

  await step('replay', async () => {
    await dropConnection(a);
    const missed = ['missed in lobby 1', 'missed in lobby 2'];
    const missedEveryone = 'missed in everyone';
    for (const t of missed) await node.ack('send-message', t, ROOM);
    await node.ack('send-message', missedEveryone, '');
    await restoreConnection(a);
    await ready(a);
    await waitForTexts(a, `#${ROOM}`, missed, 20_000);
    await waitForTexts(a, '*', [missedEveryone], 20_000);
    const problems = [...await exactlyOnce(a, `#${ROOM}`, [...missed, fromNode, fromA]), ...await exactlyOnce(a, '*', [missedEveryone])];
    check('replay', problems, 'guest A got what it missed while its connection was down, once');
  });

  await step('reload-outbox', async () => {
    const text = 'written while offline';
    await showSidebar(b);
    await b.page.locator('#conversations .conv-button', { hasText: ROOM }).click();
    await dropConnection(b);
    await say(b, text);
    const before = (await lines(b, `#${ROOM}`)).find((l) => l.text === text);
    await b.page.reload({ timeout: PAGE_WAIT_MS });
    const problems = [];
    if (before?.state !== 'sending') problems.push(`before the reload the line was ${JSON.stringify(before)}`);
    const name = await b.page.locator('#my-name').textContent();
    if (name !== nameB) problems.push(`after the reload the name is "${name}", not "${nameB}"`);
    const waiting = (await lines(b, `#${ROOM}`)).find((l) => l.text === text);
    if (waiting?.state !== 'sending') problems.push(`after the reload, still offline, the line is ${JSON.stringify(waiting)}`);
    await restoreConnection(b);
    await ready(b);
    await node.waitForMessage(text, 20_000);
    await waitForTexts(a, `#${ROOM}`, [text]);
    await b.page.waitForFunction((t) => [...document.querySelectorAll('li.own')].some((li) => li.querySelector('.text').textContent === t
      && li.dataset.state === 'delivered'), text, { timeout: PAGE_WAIT_MS }).catch(() => problems.push('never marked delivered'));
    // Open the room after the reload: its history comes in, and the line must not be doubled.
    await showSidebar(b);
    await b.page.locator('#conversations .conv-button', { hasText: ROOM }).click();
    await waitForTexts(b, `#${ROOM}`, [fromA, fromNode]);
    await sleep(300);
    problems.push(...await exactlyOnce(b, `#${ROOM}`, [text, fromA, fromNode]), ...await exactlyOnce(a, `#${ROOM}`, [text]));
    if (node.countMessage(text) !== 1) problems.push(`node got it ${node.countMessage(text)} times`);
    const stored = await b.page.evaluate(() => localStorage.getItem('parley.outbox'));
    if (stored !== '[]') problems.push(`the outbox still holds ${stored}`);
    check('reload-outbox', problems, 'a message written offline survived a reload and went out once; the name was kept');
    emitLine({ event: 'sent', texts: [fromA, fromB, fromNode, text] });
  });

  await step('rename', async () => {
    const problems = [];
    const rename = async (name) => {
      await a.page.locator('#name-button').click();
      const dialog = a.page.getByRole('dialog', { name: 'Your name' });
      await dialog.getByLabel('Others see you as').fill(name);
      await dialog.getByRole('button', { name: 'Save' }).click();
      return dialog;
    };
    const taken = await rename(nameB.toUpperCase());
    await taken.getByText(`"${nameB.toUpperCase()}" is taken`).waitFor({ timeout: PAGE_WAIT_MS })
      .catch(() => problems.push(`renaming to another guest's name (in capitals) did not say it is taken`));
    await taken.getByRole('button', { name: 'Cancel' }).click();
    await rename('Ada Lovelace');
    await b.page.locator('#people', { hasText: 'Ada Lovelace' }).waitFor({ state: 'attached', timeout: PAGE_WAIT_MS })
      .catch(() => problems.push('guest B never saw the new name'));
    if ((await a.page.locator('#my-name').textContent()) !== 'Ada Lovelace') problems.push('guest A does not show its new name');
    if ((await a.page.evaluate(() => localStorage.getItem('parley.name'))) !== '"Ada Lovelace"') problems.push('the new name is not remembered');
    check('rename', problems, 'a taken name is refused with the reason; a free one reaches the others and is remembered');
  });

  await step('lan-address', async () => {
    // Opened as http://<a name that is not localhost>:port, as guests on a LAN do, the page is not
    // a secure context: crypto.randomUUID is missing and the page must make its ids without it.
    const lan = new URL(origin);
    lan.hostname = LAN_NAME;
    const d = await openGuest(browser, `${lan.origin}/`, PHONE, 'guest D (LAN address)');
    await ready(d);
    const problems = [];
    const context = await d.page.evaluate(() => ({ secure: window.isSecureContext, uuid: typeof crypto.randomUUID,
      key: JSON.parse(localStorage.getItem('parley.user')) }));
    if (context.secure !== false || context.uuid !== 'undefined') problems.push(`not the insecure context wanted: ${JSON.stringify(context)}`);
    if (!/^[0-9a-f]{64}$/.test(context.key)) problems.push(`user key ${JSON.stringify(context.key)}`);
    const text = 'hello from a LAN address';
    await say(d, text);
    await node.waitForMessage(text, PAGE_WAIT_MS).catch((e) => problems.push(e.message));
    await d.page.waitForFunction(() => document.querySelector('li.own')?.dataset.state === 'delivered', null, { timeout: PAGE_WAIT_MS })
      .catch(() => problems.push('never marked delivered'));
    if (node.countMessage(text) !== 1) problems.push(`node got it ${node.countMessage(text)} times`);
    check('lan-address', problems, `the page at ${lan.origin} (not a secure context) joined and sent once`);
    await d.context.close();
  });

  await step('leave-and-limits', async () => {
    const problems = [];
    await showSidebar(a);
    await a.page.locator('#conversations .conv-button', { hasText: ROOM }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Leave this room?' });
    const rooms = () => a.page.evaluate(() => JSON.parse(localStorage.getItem('parley.rooms')));
    await a.page.locator('#leave-button').click();
    await dialog.getByRole('button', { name: 'Stay' }).click();
    if (!(await rooms()).includes(ROOM)) problems.push('choosing Stay left the room');
    if (await a.page.locator('#leave-button').isHidden()) problems.push('choosing Stay closed the room');
    // A full outbox refuses the next message and keeps its text; the queued ones are the page's own, kept aside.
    const refused = 'one more than the outbox holds';
    await a.page.evaluate(() => {
      const chat = window.parleyPage.chat;
      chat.keptAside = chat.outbox;
      chat.outbox = Array.from({ length: 500 }, (_, i) => ({ cid: `full-${i}`, room: '', text: 'x', created: Date.now(), conv: '*', failed: true }));
    });
    await a.page.locator('#message-input').fill(refused);
    await a.page.locator('#message-input').press('Enter');
    await a.page.locator('#notice', { hasText: '500 messages still wait for the host' }).waitFor({ timeout: PAGE_WAIT_MS })
      .catch(() => problems.push('a full outbox did not say so'));
    if ((await a.page.locator('#message-input').inputValue()) !== refused) problems.push('the refused text was not kept');
    await a.page.evaluate(() => { const chat = window.parleyPage.chat; chat.outbox = chat.keptAside; });
    await a.page.locator('#message-input').fill('');
    if (node.countMessage(refused) !== 0) problems.push('the refused message went out');
    await a.page.locator('#leave-button').click();
    await dialog.getByRole('button', { name: 'Leave' }).click();
    await a.page.waitForFunction((room) => !JSON.parse(localStorage.getItem('parley.rooms')).includes(room), ROOM, { timeout: PAGE_WAIT_MS })
      .catch(() => problems.push('Leave did not forget the room'));
    if (await a.page.locator('#conversations .conv-button', { hasText: ROOM }).count()) problems.push('the room is still listed');
    check('leave-and-limits', problems, 'leaving asks first (Stay keeps the room); a full outbox refuses with the reason and keeps the text');
  });

  const { url: lockedUrl, password, serve: lockedServe } = await nextCommand('password-host', 60_000);
  await step('password', async () => {
    const lockedOrigin = await pageOrigin(lockedUrl, lockedServe, cleanups);
    const c = await openGuest(browser, `${lockedOrigin}/`, PHONE, 'guest C');
    const dialog = c.page.getByRole('dialog', { name: 'This host needs a password' });
    await dialog.waitFor({ timeout: PAGE_WAIT_MS });
    const problems = [];
    await dialog.getByLabel('Password').fill('not the password');
    await dialog.getByRole('button', { name: 'Join' }).click();
    await c.page.getByText('Wrong password. Try again.').waitFor({ timeout: PAGE_WAIT_MS })
      .catch(() => problems.push('a wrong password did not say so'));
    await dialog.getByLabel('Password').fill(password);
    await dialog.getByRole('button', { name: 'Join' }).click();
    await ready(c);
    if (await dialog.isVisible()) problems.push('the dialog stayed open');
    check('password', problems, 'the page asked for the password, said a wrong one was wrong, and joined with the right one');
  });
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
