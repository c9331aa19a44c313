// Files in Parley's web client (docs/PROTOCOL.md §15) in headless Chromium: guest A, on a LAN
// address (not a secure context: no crypto.subtle), and guest B, on 127.0.0.1 (a secure context),
// in room "share" with a Node socket.io-client. The page hashes what it sends with its own
// SHA-256 as it reads each chunk, and names the hash in file-complete. A sends through the
// file input, a drop and a paste; B downloads the same bytes and sees the picture; an upload cut
// mid-way resumes from what the host holds; Cancel ends one; a direct file reaches B only; after
// the host's quota evicts the oldest file, a reloaded page's history says it expired; guest C, on a
// slow link, chats while it uploads and its lines are not held behind the file.
//
//   node interop/web-files.mjs <host url>      (the host's file quota: 14 MB, as WebClientFilesTest sets)
//
// Prints {"check","ok","detail"} lines; exits 0 when all passed.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import { connectPeer, emitLine, globalTimeout, runCleanups, sleep } from './lib.mjs';
import { DESKTOP, LAN_NAME, PAGE_WAIT_MS, joinRoom, launch, lines, openGuest, ready, say } from './web-lib.mjs';
import { Sha256, sha256File } from '../src/main/resources/app/parley/web/sha256.js';

const [hostUrl] = process.argv.slice(2);
const ROOM = 'share';
const MB = 1_000_000;
globalTimeout(170_000, 'web-files.mjs');
const cleanups = [];
let allOk = true;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function check(name, problems, detail) {
  const ok = problems.length === 0;
  allOk &&= ok;
  emitLine({ check: name, ok, detail: ok ? detail : problems.join('; ') });
}

async function step(name, body) {
  try {
    await body();
  } catch (e) {
    check(name, [e.stack ?? e.message]);
  }
}

/** A real RGB PNG of width x height pixels, a gradient, that a browser decodes. */
function png(width, height) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc(height * (1 + 3 * width));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, 128], y * (1 + 3 * width) + 1 + 3 * x);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** What the conversation `key` shows of its files: one entry per file line. */
function cards(guest, key) {
  return guest.page.evaluate((k) => [...document.querySelectorAll(`#messages ol[data-key="${CSS.escape(k)}"] li.message`)]
    .filter((li) => li.querySelector('.file-card'))
    .map((li) => {
      const img = li.querySelector('img.thumb');
      return {
        name: li.querySelector('.file-name').textContent,
        meta: li.querySelector('.file-meta').textContent,
        own: li.classList.contains('own'),
        download: !!li.querySelector('button.download'),
        expired: li.querySelector('.file-expired')?.textContent ?? null,
        img: img && { width: img.width, height: img.height, natural: img.naturalWidth, src: img.src },
      };
    }), key);
}

function waitForCard(guest, key, name, ms = PAGE_WAIT_MS) {
  return guest.page.waitForFunction(([k, n]) => [...document.querySelectorAll('#messages ol')]
    .filter((ol) => ol.dataset.key === k)
    .some((ol) => [...ol.querySelectorAll('li.message .file-card .file-name')].some((e) => e.textContent === n)), [key, name], { timeout: ms })
    .catch(async () => {
      throw new Error(`${guest.label}: no card for ${name} in ${key}; shows ${JSON.stringify(await lines(guest, key))}; console: ${guest.log.join(' | ')}`);
    });
}

/** Clicks Download on the card of `name` and returns the downloaded bytes and the suggested name. */
async function download(guest, key, name) {
  const card = guest.page.locator(`#messages ol[data-key="${key}"] li.message`, { has: guest.page.locator('.file-name', { hasText: name }) });
  const [file] = await Promise.all([
    guest.page.waitForEvent('download', { timeout: PAGE_WAIT_MS }),
    card.getByRole('button', { name: 'Download', exact: true }).click(),
  ]);
  return { bytes: await readFile(await file.path()), name: file.suggestedFilename() };
}

const fileHeard = (node, name, ms = PAGE_WAIT_MS) =>
  node.waitFor('receive-message', (text, meta) => meta?.file?.name === name, ms, `the file message ${name}`);

/**
 * Puts a recorder around guest A's socket.emit (the page's own socket): what it offers, how many
 * chunk bytes it sends; `cutAt` drops the connection (and keeps it down) once the host holds that
 * many bytes; `holdAfter` stops sending chunks after that many, so an upload hangs until Cancel.
 */
function recordUploads(guest, { cutAt = 0, holdAfter = 0 } = {}) {
  return guest.page.evaluate(([cut, hold]) => {
    const s = window.parleyPage.chat.socket;
    const log = { offers: [], chunkBytes: 0, chunks: 0, held: 0, cut: false, cancels: [] };
    window.uploadLog = log;
    s.emit = function emit(event, ...args) {
      const last = args.length - 1;
      const answer = args[last];
      const wrap = (after) => {
        args[last] = (err, ack) => {
          answer(err, ack);
          after(err, ack);
        };
      };
      if (event === 'file-offer') wrap((err, ack) => log.offers.push(err ? String(err) : ack));
      if (event === 'file-cancel') wrap((err, ack) => log.cancels.push({ upload: args[0], ack }));
      if (event === 'file-chunk') {
        if (hold && log.chunks >= hold) {
          log.held += 1;
          return this; // never sent, never answered (until the page's 30 s wait)
        }
        log.chunks += 1;
        log.chunkBytes += args[2].byteLength;
        wrap((err, ack) => {
          if (cut && !log.cut && ack?.have >= cut) {
            log.cut = true;
            s.io.reconnection(false);
            s.io.engine.close();
          }
        });
      }
      return Object.getPrototypeOf(s).emit.call(this, event, ...args);
    };
  }, [cutAt, holdAfter]);
}

const stopRecording = (guest) => guest.page.evaluate(() => {
  const s = window.parleyPage.chat.socket;
  delete s.emit;
  s.io.reconnection(true);
  if (!s.connected) s.connect();
});

/** A TCP proxy to `target` carrying at most `rate` bytes a second each way, as a slow link does. */
function slowLink(target, rate) {
  const server = createServer((client) => {
    const host = connect(Number(target.port), target.hostname);
    const pace = (from, to) => {
      let due = Date.now();
      from.on('data', (chunk) => {
        to.write(chunk);
        from.pause();
        due = Math.max(due, Date.now()) + (chunk.length * 1000) / rate;
        setTimeout(() => from.resume(), Math.max(0, due - Date.now()));
      });
    };
    pace(client, host);
    pace(host, client);
    const end = () => {
      client.destroy();
      host.destroy();
    };
    for (const socket of [client, host]) socket.on('error', end).on('close', end);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  await step('sha256-fallback', async () => {
    // The page's own SHA-256, against Node's, on the awkward lengths around a block and on megabytes.
    const problems = [];
    for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 4103, 3 * MB, 9 * MB + 1]) {
      const bytes = randomBytes(n);
      const whole = new Sha256().update(bytes).hex();
      const pieces = new Sha256();
      for (let at = 0, size = 1; at < n; at += size, size = (size * 7 + 3) % 70_001) pieces.update(bytes.subarray(at, at + size));
      const sliced = await sha256File(new Blob([bytes]), { subtle: null });
      const want = sha256(bytes);
      if (whole !== want || pieces.hex() !== want || sliced !== want) problems.push(`${n} bytes: ${whole} / ${sliced}, not ${want}`);
    }
    const native = await sha256File(new Blob(['abc']));
    if (native !== sha256('abc')) problems.push(`crypto.subtle path: ${native}`);
    check('sha256-fallback', problems, '16 lengths from 0 bytes to 9 MB, whole, in odd pieces and sliced from a Blob, equal Node\'s');
  });

  const browser = await launch(cleanups);
  const lan = new URL(hostUrl);
  lan.hostname = LAN_NAME;
  const a = await openGuest(browser, `${lan.origin}/`, DESKTOP, 'guest A (LAN address)');
  const b = await openGuest(browser, `${hostUrl}/`, DESKTOP, 'guest B');
  await Promise.all([ready(a), ready(b)]);
  await joinRoom(a, ROOM);
  await joinRoom(b, ROOM);
  const node = await connectPeer(hostUrl, 'default', 'node', 5000, { auth: { name: 'Node', user: 'web-files-node-user-key-0001' } });
  cleanups.push(() => node.close());
  await node.ack('join-room', ROOM);
  const key = `#${ROOM}`;

  await step('upload-and-download', async () => {
    const problems = [];
    const contexts = await Promise.all([a, b].map((g) => g.page.evaluate(() => ({ secure: window.isSecureContext, subtle: typeof crypto.subtle }))));
    if (contexts[0].secure || contexts[0].subtle !== 'undefined') problems.push(`guest A is in a secure context: ${JSON.stringify(contexts[0])}`);
    if (!contexts[1].secure || contexts[1].subtle !== 'object') problems.push(`guest B has no crypto.subtle: ${JSON.stringify(contexts[1])}`);
    const bytes = randomBytes(3 * MB);
    await a.page.setInputFiles('#file-input', { name: 'report.bin', mimeType: 'application/octet-stream', buffer: bytes });
    const heard = await fileHeard(node, 'report.bin');
    const meta = heard.args[1];
    if (meta.file.sha256 !== sha256(bytes) || meta.file.size !== bytes.length || meta.room !== ROOM) problems.push(`node heard ${JSON.stringify(meta)}`);
    await waitForCard(b, key, 'report.bin');
    await waitForCard(a, key, 'report.bin');
    const got = await download(b, key, 'report.bin');
    if (!got.bytes.equals(bytes)) problems.push(`guest B downloaded ${got.bytes.length} bytes, not the ${bytes.length} sent`);
    if (got.name !== 'report.bin') problems.push(`the download is named ${got.name}`);
    const [card] = await cards(b, key);
    if (card?.meta !== '3.0 MB · application/octet-stream' || card.own || !card.download) problems.push(`guest B's card ${JSON.stringify(card)}`);
    const own = (await lines(a, key)).find((l) => l.file === 'report.bin');
    if (!own?.own || own.state !== 'delivered') problems.push(`guest A's own line ${JSON.stringify(own)}`);
    if (await a.page.locator('li.upload').count() !== 0) problems.push('guest A still shows the progress line');
    check('upload-and-download', problems, 'A (no crypto.subtle) sent 3 MB through the file input; B downloaded the same bytes by a link; node heard the file message');
  });

  await step('picture', async () => {
    const problems = [];
    await a.page.setInputFiles('#file-input', { name: 'gradient.png', mimeType: 'image/png', buffer: png(400, 100) });
    await fileHeard(node, 'gradient.png');
    await waitForCard(b, key, 'gradient.png');
    await b.page.waitForFunction(() => [...document.querySelectorAll('img.thumb')].some((img) => img.complete && img.naturalWidth > 0),
      null, { timeout: PAGE_WAIT_MS }).catch(() => problems.push('guest B never showed the picture'));
    const card = (await cards(b, key)).find((c) => c.name === 'gradient.png');
    if (card?.img?.natural !== 400 || card.img.width !== 320 || card.img.height !== 80 || !new URL(card.img.src).pathname.startsWith('/files/')) {
      problems.push(`guest B's picture ${JSON.stringify(card)}`);
    }
    if (!card?.meta.endsWith('image/png')) problems.push(`type ${card?.meta}`);
    check('picture', problems, 'a 400 x 100 PNG from A showed in B as a 320 x 80 thumbnail loaded from the host');
  });

  await step('resume', async () => {
    const problems = [];
    const bytes = randomBytes(8 * MB);
    await recordUploads(a, { cutAt: MB });
    await a.page.setInputFiles('#file-input', { name: 'resume.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await a.page.waitForFunction(() => window.uploadLog.cut && !window.parleyPage.chat.socket.connected, null, { timeout: PAGE_WAIT_MS });
    await sleep(1000); // the upload notices within a moment
    const row = await a.page.evaluate(() => {
      const li = document.querySelector('li.upload');
      return li && { state: li.dataset.state, status: li.querySelector('.upload-status').textContent, value: li.querySelector('progress').value,
        cancel: !!li.querySelector('.upload-cancel') };
    });
    if (row?.state !== 'sending' || !/^Waiting for the host… [\d.]+ MB of 8\.0 MB$/.test(row.status) || row.value < MB || !row.cancel) {
      problems.push(`while cut off, guest A shows ${JSON.stringify(row)}`);
    }
    if (node.seen('receive-message', (t, m) => m?.file?.name === 'resume.bin').length) problems.push('the file arrived before the connection came back');
    // Back online: the upload goes on by itself.
    await a.page.evaluate(() => {
      window.parleyPage.chat.socket.io.reconnection(true);
      window.parleyPage.chat.socket.connect();
    });
    await waitForCard(b, key, 'resume.bin', 30_000);
    const log = await a.page.evaluate(() => window.uploadLog);
    await stopRecording(a);
    const [first, again] = log.offers;
    if (log.offers.length !== 2 || first.have !== 0 || !(again.have >= MB) || again.upload !== first.upload) {
      problems.push(`offers ${JSON.stringify(log.offers)}: not one resumed from what the host held`);
    }
    if (log.chunkBytes > bytes.length + first.window * first.chunk) problems.push(`${log.chunkBytes} chunk bytes sent for ${bytes.length}: it started over`);
    const got = await download(b, key, 'resume.bin');
    if (!got.bytes.equals(bytes)) problems.push(`guest B downloaded ${got.bytes.length} bytes, not the same 8 MB`);
    await fileHeard(node, 'resume.bin');
    check('resume', problems, `cut off once the host had 1 MB (${row?.status}); offered again, the host had ${again?.have}; `
      + `${log.chunkBytes} chunk bytes in all for ${bytes.length}; B got the same bytes`);
  });

  await step('direct', async () => {
    const problems = [];
    const nameB = await b.page.locator('#my-name').textContent();
    const userA = await a.page.evaluate(() => window.parleyPage.chat.myUser());
    const userB = await b.page.evaluate(() => window.parleyPage.chat.myUser());
    await a.page.locator('#people .person-button', { hasText: nameB }).click();
    await a.page.waitForFunction((u) => window.parleyPage.convs.current === `@${u}`, userB, { timeout: PAGE_WAIT_MS });
    const secret = randomBytes(20_000);
    await a.page.setInputFiles('#file-input', { name: 'secret.txt', mimeType: 'text/plain', buffer: secret });
    await waitForCard(b, `@${userA}`, 'secret.txt');
    await waitForCard(a, `@${userB}`, 'secret.txt');
    await b.page.locator('#conversations .conv-button', { hasText: await a.page.locator('#my-name').textContent() }).click();
    const got = await download(b, `@${userA}`, 'secret.txt');
    if (!got.bytes.equals(secret)) problems.push('guest B downloaded other bytes');
    await sleep(500); // what must NOT arrive: give it the time it would have taken
    if (node.seen('receive-message', (t, m) => m?.file?.name === 'secret.txt').length) problems.push('node got the direct file');
    if ((await cards(b, key)).some((c) => c.name === 'secret.txt')) problems.push('shown in the room');
    check('direct', problems, 'a file sent in a direct conversation reached B there, not the room nor node');
  });
  for (const g of [a, b]) await g.page.locator('#conversations .conv-button', { hasText: ROOM }).click();

  await step('drop-and-paste', async () => {
    const problems = [];
    const dropped = await a.page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped on the conversation'], 'dropped.txt', { type: 'text/plain' }));
      return dt;
    });
    await a.page.dispatchEvent('#main', 'dragenter', { dataTransfer: dropped });
    if (!(await a.page.evaluate(() => document.getElementById('main').classList.contains('dropping')))) problems.push('dragging files over the conversation did not highlight it');
    await a.page.dispatchEvent('#main', 'drop', { dataTransfer: dropped });
    if (await a.page.evaluate(() => document.getElementById('main').classList.contains('dropping'))) problems.push('the highlight stayed after the drop');
    await a.page.evaluate((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      const box = document.getElementById('message-input');
      box.focus();
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, png(30, 20).toString('base64'));
    const [drop, paste] = await Promise.all([fileHeard(node, 'dropped.txt'), fileHeard(node, 'pasted.png')]);
    if (drop.args[1].room !== ROOM || paste.args[1].file.width !== 30) problems.push(`node heard ${JSON.stringify([drop.args[1], paste.args[1]])}`);
    await waitForCard(b, key, 'pasted.png');
    check('drop-and-paste', problems, 'a file dropped on the conversation and a picture pasted into the message box went to the room');
  });

  await step('from-a-secure-context', async () => {
    // Guest B on 127.0.0.1, a secure context.
    const bytes = randomBytes(200_000);
    await b.page.setInputFiles('#file-input', { name: 'answer.bin', mimeType: 'application/octet-stream', buffer: bytes });
    const heard = await fileHeard(node, 'answer.bin');
    await waitForCard(a, key, 'answer.bin');
    const got = await download(a, key, 'answer.bin');
    const problems = [];
    if (heard.args[1].file.sha256 !== sha256(bytes) || !got.bytes.equals(bytes)) problems.push('other bytes arrived');
    check('from-a-secure-context', problems, 'B (crypto.subtle) sent a file A downloaded byte-exact');
  });

  await step('hostile-name', async () => {
    // A name is peer data: markup in it stays text, and the bidi override is not shown.
    const problems = [];
    const name = '<img src=x onerror="window.pwned=1">\u202egpj.exe';
    const bytes = randomBytes(1000);
    const offer = await node.ack('file-offer', { cid: randomUUID(), name, size: bytes.length, sha256: sha256(bytes), room: ROOM });
    await node.ack('file-chunk', offer.upload, 0, bytes);
    const done = await node.ack('file-complete', offer.upload);
    const shown = '<img src=x onerror="window.pwned=1">gpj.exe';
    await waitForCard(b, key, shown);
    const page = await b.page.evaluate(() => ({ pwned: window.pwned, imgs: document.querySelectorAll('#messages img:not(.thumb)').length }));
    if (done?.ok !== true || page.pwned !== undefined || page.imgs !== 0 || b.dialogs.length) {
      problems.push(`${JSON.stringify(done)} ${JSON.stringify(page)} ${JSON.stringify(b.dialogs)}`);
    }
    check('hostile-name', problems, 'a file named with markup and a bidi override from node showed as plain text in B');
  });

  await step('cancel', async () => {
    const problems = [];
    await recordUploads(a, { holdAfter: 2 });
    await a.page.setInputFiles('#file-input', { name: 'cancel-me.bin', mimeType: 'application/octet-stream', buffer: randomBytes(2 * MB) });
    await a.page.waitForFunction(() => window.uploadLog.held > 0, null, { timeout: PAGE_WAIT_MS });
    await a.page.getByRole('button', { name: 'Cancel sending cancel-me.bin' }).click();
    await a.page.locator('li.upload').waitFor({ state: 'detached', timeout: PAGE_WAIT_MS }).catch(() => problems.push('the progress line stayed'));
    await a.page.waitForFunction(() => window.uploadLog.cancels.length > 0, null, { timeout: PAGE_WAIT_MS }).catch(() => {});
    const log = await a.page.evaluate(() => window.uploadLog);
    await stopRecording(a);
    const upload = log.offers[0]?.upload;
    if (log.cancels[0]?.upload !== upload || log.cancels[0]?.ack?.ok !== true) problems.push(`file-cancel: ${JSON.stringify(log.cancels)} for ${upload}`);
    const after = await a.page.evaluate((id) => new Promise((resolve) => {
      window.parleyPage.chat.socket.timeout(5000).emit('file-chunk', id, 2 * 262144, new ArrayBuffer(10), (err, ack) => resolve(err ? String(err) : ack));
    }), upload);
    if (!/no such upload/.test(after?.error)) problems.push(`a chunk after Cancel got ${JSON.stringify(after)}`);
    await sleep(500);
    if (node.seen('receive-message', (t, m) => m?.file?.name === 'cancel-me.bin').length) problems.push('node got the cancelled file');
    if ((await cards(a, key)).some((c) => c.name === 'cancel-me.bin')) problems.push('guest A shows the cancelled file');
    check('cancel', problems, 'Cancel sent file-cancel for the upload under way, the host took no more of it, nothing arrived');
  });

  await step('history-and-expired', async () => {
    // 11.3 MB are on the host; 4 MB more pass the 14 MB quota and the oldest (report.bin) goes.
    const problems = [];
    await a.page.setInputFiles('#file-input', { name: 'newest.bin', mimeType: 'application/octet-stream', buffer: randomBytes(4 * MB) });
    await fileHeard(node, 'newest.bin');
    await b.page.reload({ timeout: PAGE_WAIT_MS });
    await ready(b);
    await b.page.locator('#conversations .conv-button', { hasText: ROOM }).click();
    await waitForCard(b, key, 'newest.bin');
    await b.page.waitForFunction(() => [...document.querySelectorAll('img.thumb')].filter((img) => img.complete && img.naturalWidth > 0).length >= 2,
      null, { timeout: PAGE_WAIT_MS }).catch(() => problems.push('the pictures in the history did not load'));
    const shown = await cards(b, key);
    const byName = Object.fromEntries(shown.map((c) => [c.name, c]));
    const names = shown.map((c) => c.name).sort();
    const want = ['report.bin', 'gradient.png', 'resume.bin', 'dropped.txt', 'pasted.png', 'answer.bin', 'newest.bin',
      '<img src=x onerror="window.pwned=1">gpj.exe'];
    if (names.join() !== [...want].sort().join()) problems.push(`the history shows ${JSON.stringify(names)}, not ${JSON.stringify(want)}`);
    if (byName['report.bin']?.expired !== 'expired on the host' || byName['report.bin'].download) problems.push(`report.bin: ${JSON.stringify(byName['report.bin'])}`);
    for (const name of want.slice(1)) if (!byName[name]?.download || byName[name].expired) problems.push(`${name}: ${JSON.stringify(byName[name])}`);
    if (!byName['answer.bin']?.own) problems.push('B\'s own file is not shown as its own');
    const got = await download(b, key, 'resume.bin');
    if (got.bytes.length !== 8 * MB) problems.push(`a file from the history downloaded as ${got.bytes.length} bytes`);
    check('history-and-expired', problems, 'after a reload the room\'s history shows every file once as a card (pictures drawn), the evicted one as expired with no download');
  });

  await step('chat-beside-a-slow-upload', async () => {
    // Guest C reaches the host through a 400 KB/s link and sends 3 MB while it talks: each line
    // should reach node about as soon as the link carries it, not behind a queue of chunks (a
    // window of 8 × 512 KiB held every line until the whole file had gone, up to 7 s).
    const problems = [];
    const link = await slowLink(new URL(hostUrl), 400_000);
    cleanups.push(() => link.close());
    const c = await openGuest(browser, `http://127.0.0.1:${link.address().port}/`, DESKTOP, 'guest C (slow link)');
    await ready(c);
    await joinRoom(c, ROOM);
    const bytes = randomBytes(3 * MB);
    await c.page.setInputFiles('#file-input', { name: 'slow.bin', mimeType: 'application/octet-stream', buffer: bytes });
    await c.page.waitForFunction(() => document.querySelector('li.upload')?.dataset.state === 'sending', null, { timeout: PAGE_WAIT_MS });
    const lags = [];
    for (let n = 0; n < 40 && !node.seen('receive-message', (t, m) => m?.file?.name === 'slow.bin').length; n++) {
      const text = `said beside the upload ${n}`;
      const sent = Date.now();
      await say(c, text);
      await node.waitForMessage(text, 30_000);
      lags.push(Date.now() - sent);
      await sleep(100);
    }
    const heard = await fileHeard(node, 'slow.bin', 60_000);
    if (heard.args[1].file.sha256 !== sha256(bytes)) problems.push('node heard another file');
    const median = [...lags].sort((x, y) => x - y)[Math.floor(lags.length / 2)];
    if (lags.length < 4) problems.push(`only ${lags.length} lines went during the upload: ${JSON.stringify(lags)}`);
    else if (!(median < 2000)) problems.push(`lines reached node ${JSON.stringify(lags)} ms after they were sent (median ${median})`);
    const bad = c.log.filter((l) => /Content Security Policy|pageerror/.test(l));
    if (bad.length) problems.push(...bad);
    check('chat-beside-a-slow-upload', problems, `3 MB up through 400 KB/s; lines said meanwhile reached node in ${JSON.stringify(lags)} ms`);
  });

  for (const g of [a, b]) {
    const bad = g.log.filter((l) => /Content Security Policy|pageerror/.test(l));
    check(`console-${g === a ? 'a' : 'b'}`, bad, 'no CSP violation or page error');
  }
}

try {
  await main();
} catch (e) {
  check('script-error', [e.stack ?? String(e)]);
} finally {
  await runCleanups(cleanups);
}
process.exit(allOk ? 0 : 1);
