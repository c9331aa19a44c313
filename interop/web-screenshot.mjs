// Stages a small conversation and screenshots Parley's web client on a phone-sized screen, light
// and dark (assets/screenshot-web*.png in the README come from here).
//
//   node interop/web-screenshot.mjs <page url, e.g. http://127.0.0.1:3000/> <out dir>
import { join } from 'node:path';
import { connectPeer, withTimeout } from './lib.mjs';
import { PHONE, joinRoom, launch, openGuest, ready, say, waitForTexts } from './web-lib.mjs';

const [pageUrl, out = '.'] = process.argv.slice(2);
const hostUrl = new URL(pageUrl).origin;
const cleanups = [];
try {
  const browser = await launch(cleanups);
  const ann = await connectPeer(hostUrl, 'default', 'ann', 5000, { auth: { name: 'Ann', user: 'screenshot-ann-key-000001' } });
  const bob = await connectPeer(hostUrl, 'default', 'bob', 5000, { auth: { name: 'Bob', user: 'screenshot-bob-key-000001' } });
  cleanups.push(() => ann.close(), () => bob.close());
  await ann.ack('send-message', 'Welcome! The notes are at https://example.org/notes', '');
  for (const scheme of ['light', 'dark']) {
    const guest = await openGuest(browser, pageUrl, PHONE, `guest ${scheme}`, scheme);
    await ready(guest);
    const room = scheme === 'light' ? 'design' : 'planning'; // a fresh room each, so neither shows the other's lines
    for (const p of [ann, bob]) await p.ack('join-room', room);
    await joinRoom(guest, room);
    await ann.ack('send-message', 'Shall we ship the phone layout today?', room);
    await bob.ack('send-message', 'Yes, the last fixes are in. Dark mode follows the system.', room);
    await say(guest, 'Looks good from my phone!');
    await bob.ack('send-message', 'psst, lunch?', await guest.page.evaluate(() => window.parleyPage.chat.id));
    await waitForTexts(guest, `#${room}`, ['Yes, the last fixes are in. Dark mode follows the system.']);
    ann.socket.emit('typing', room, true);
    await guest.page.getByText('is typing').waitFor({ timeout: 5000 });
    await guest.page.waitForFunction(() => document.querySelector('li.own')?.dataset.state === 'delivered', null, { timeout: 5000 });
    await guest.page.mouse.move(0, 843);
    await guest.page.screenshot({ path: join(out, `web-${scheme}.png`) });
    await guest.page.click('#nav-toggle');
    await guest.page.screenshot({ path: join(out, `web-${scheme}-sidebar.png`) });
    ann.socket.emit('typing', room, false);
    await guest.context.close();
  }
} finally {
  for (const step of cleanups.reverse()) await withTimeout(Promise.resolve().then(step), 10_000, 'cleanup').catch(() => {});
}
