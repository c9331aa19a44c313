// Files with the real Node client against a Parley host (docs/PROTOCOL.md §15), bytes as Buffers:
// a room upload read back byte-exact by a member and refused to a non-member, a resume after the
// connection dropped, a direct file only its two people can read, and the refusals (a
// decompression bomb, an oversize offer, a wrong checksum, a cancelled upload) while a
// bystander keeps chatting. Usage: node files.mjs <url> <websocket|polling|default>
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { connectPeer, emitLine, globalTimeout, runCleanups, WAIT_MS } from './lib.mjs';

const [url, mode = 'default', scenario = 'all'] = process.argv.slice(2);
globalTimeout(90_000, 'files.mjs');
let failed = false;
const check = (name, ok, detail) => {
  emitLine({ check: name, ok, detail });
  if (!ok) failed = true;
};
const cleanups = [];
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const userKey = () => `files-interop-${randomUUID()}`;

async function connect(name, auth = {}) {
  const peer = await connectPeer(url, mode, name, WAIT_MS, { auth });
  cleanups.push(() => peer.close());
  return peer;
}

/** Offers `bytes` and sends chunks from what the host has, keeping up to `window` unacked; stops after `stopAfter` chunks. */
/** With `atComplete`, the SHA-256 is left out of the offer and named in file-complete (§15.2); `sha: null` names none. */
async function upload(peer, bytes, { room = '', cid = randomUUID(), name = 'data.bin', type, to, stopAfter = Infinity, sha = sha256(bytes), atComplete = false } = {}) {
  const offer = await peer.ack('file-offer', { cid, name, size: bytes.length, sha256: atComplete ? undefined : sha, type, room, to });
  if (!offer.ok) return { offer, sent: 0 };
  let offset = offer.have;
  let sent = 0;
  let chunks = 0;
  const inFlight = [];
  let refusal;
  while (offset < bytes.length && chunks < stopAfter && !refusal) {
    const piece = bytes.subarray(offset, Math.min(bytes.length, offset + offer.chunk));
    inFlight.push(peer.ack('file-chunk', offer.upload, offset, piece).then((a) => { if (!a.ok) refusal = a; }));
    offset += piece.length;
    sent += piece.length;
    chunks++;
    if (inFlight.length >= offer.window) await inFlight.shift();
  }
  await Promise.all(inFlight);
  if (refusal || offset < bytes.length) return { offer, sent, refusal };
  const complete = atComplete && sha !== null
    ? await peer.ack('file-complete', offer.upload, sha)
    : await peer.ack('file-complete', offer.upload);
  return { offer, sent, complete };
}

/** Reads a file message's bytes in acknowledged pieces. */
async function download(peer, id) {
  const parts = [];
  let offset = 0;
  for (let round = 0; round < 10_000; round++) {
    const [answer, bytes] = await new Promise((resolve, reject) => {
      peer.socket.timeout(WAIT_MS).emit('file-read', { id, offset }, (err, ...args) => (err ? reject(err) : resolve(args)));
    });
    if (!answer.ok) return { refusal: answer };
    if (bytes.length === 0) break;
    parts.push(Buffer.from(bytes));
    offset += bytes.length;
    if (offset >= answer.size) break;
  }
  return { bytes: Buffer.concat(parts) };
}

/** A PNG of about `padTo` bytes whose header claims width x height pixels. */
function pngHeader(width, height, padTo) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(randomBytes(padTo))),
  ]);
  return png;
}

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** Against a host with a 3 MB quota: the older file makes room, its line stays and says it expired. */
async function quota() {
  const alice = await connect('alice', { user: userKey(), name: 'Alice' });
  const older = randomBytes(2_000_000);
  const newer = randomBytes(2_000_000);
  const first = await upload(alice, older, { name: 'older.bin' });
  const link = await alice.ack('file-link', { id: first.complete.id });
  const second = await upload(alice, newer, { name: 'newer.bin' });
  const read = await download(alice, first.complete.id);
  const page = await alice.ack('history', {});
  const lines = page.messages?.map((m) => m.meta.file) ?? [];
  const gone = await fetch(new URL(link.url, url));
  const kept = await download(alice, second.complete.id);
  check('quota-expires-the-oldest', second.complete?.ok === true && /expired/.test(read.refusal?.error)
    && lines.length === 2 && lines[0].expired === true && lines[0].name === 'older.bin' && !lines[1].expired
    && gone.status === 410 && kept.bytes?.equals(newer) === true,
    `${JSON.stringify(read.refusal)} ${JSON.stringify(lines)} ${gone.status}`);
}

/** With a Parley client: read the file it sent (argv sha), then send one whose bytes it can rebuild. */
async function exchange(expectedSha) {
  const node = await connect('node', { user: userKey(), name: 'Node' });
  const page = await node.ack('history', {});
  const fromParley = page.messages?.find((m) => m.meta.file?.name === 'from-parley.bin');
  const fetched = fromParley ? await download(node, fromParley.meta.id) : {};
  check('node-reads-the-parley-clients-file', fetched.bytes && sha256(fetched.bytes) === expectedSha,
    JSON.stringify(fromParley?.meta.file ?? page));
  const bytes = Buffer.alloc(1_234_567);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
  const sent = await upload(node, bytes, { name: 'from-node.bin', type: 'application/x-test' });
  check('node-sends-a-file-to-the-parley-client', sent.complete?.ok === true, JSON.stringify(sent.complete ?? sent.refusal));
}

async function everything() {
  const aliceKey = userKey();
  const alice = await connect('alice', { user: aliceKey, name: 'Alice' });
  const bob = await connect('bob', { user: userKey(), name: 'Bob' });
  const carol = await connect('carol', { user: userKey(), name: 'Carol' });
  await alice.ack('join-room', 'files');
  await bob.ack('join-room', 'files');

  // A room upload, read back by a member, refused to someone outside the room.
  const bytes = randomBytes(1_500_000);
  const sent = await upload(alice, bytes, { room: 'files', name: 'report.bin', type: 'application/x-test' });
  check('upload-acked-as-a-message', sent.complete?.ok === true && sent.complete.file?.sha256 === sha256(bytes)
    && typeof sent.complete.id === 'string' && sent.complete.seq > 0, JSON.stringify(sent.complete));
  const arrived = await bob.waitFor('receive-message', (text, meta) => meta?.file?.sha256 === sha256(bytes));
  const meta = arrived.args[1];
  check('member-hears-the-file', meta.file.name === 'report.bin' && meta.file.size === bytes.length
    && meta.kind === 'room' && meta.room === 'files' && /report\.bin/.test(arrived.args[0]), JSON.stringify(arrived.args));
  const fetched = await download(bob, meta.id);
  check('member-reads-it-byte-exact', fetched.bytes?.equals(bytes) === true,
    fetched.refusal ? JSON.stringify(fetched.refusal) : `${fetched.bytes?.length} bytes`);
  const outsider = await download(carol, meta.id);
  check('non-member-is-refused', outsider.refusal?.ok === false && /cannot see/.test(outsider.refusal.error),
    JSON.stringify(outsider.refusal ?? 'got bytes'));
  check('non-member-heard-nothing', carol.seen('receive-message', (t, m) => m?.file).length === 0, '');
  // Who may read is asked at every read, not only at the first: a member who left reads no more.
  await bob.ack('leave-room', 'files');
  const afterLeaving = await download(bob, meta.id);
  await bob.ack('join-room', 'files');
  const backAgain = await download(bob, meta.id);
  check('a-member-who-left-is-refused', afterLeaving.refusal?.ok === false && /cannot see/.test(afterLeaving.refusal.error)
    && backAgain.bytes?.equals(bytes) === true, JSON.stringify(afterLeaving.refusal ?? 'got bytes after leaving'));

  // Browsers download with a link: the member gets one, the bytes come over plain HTTP with the
  // download headers; the outsider gets no link, and a forged token opens nothing.
  const link = await bob.ack('file-link', { id: meta.id });
  const response = link.ok ? await fetch(new URL(link.url, url)) : null;
  const body = response ? Buffer.from(await response.arrayBuffer()) : null;
  check('member-downloads-with-a-link', response?.status === 200 && body.equals(bytes)
    && /^attachment; filename="report\.bin"/.test(response.headers.get('content-disposition'))
    && response.headers.get('x-content-type-options') === 'nosniff'
    && response.headers.get('content-type') === 'application/octet-stream',
    `${JSON.stringify(link)} ${response?.status} ${response?.headers.get('content-disposition')}`);
  const ranged = link.ok ? await fetch(new URL(link.url, url), { headers: { Range: 'bytes=1000-1999' } }) : null;
  const part = ranged ? Buffer.from(await ranged.arrayBuffer()) : null;
  check('link-honours-a-range', ranged?.status === 206 && part.equals(bytes.subarray(1000, 2000))
    && ranged.headers.get('content-range') === `bytes 1000-1999/${bytes.length}`, `${ranged?.status}`);
  const outsiderLink = await carol.ack('file-link', { id: meta.id });
  const [payload, signature] = link.url.split('/')[2].split('.');
  // One character of the signature changed (its first, which carries six whole bits): a changed
  // ending could by chance be the one it had.
  const forgedSignature = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
  const forged = await fetch(new URL(`/files/${payload}.${forgedSignature}/x.bin`, url));
  const unsigned = await fetch(new URL(`/files/${payload}/x.bin`, url));
  check('no-link-for-outsiders-and-no-forgery', outsiderLink.ok === false && /cannot see/.test(outsiderLink.error)
    && forged.status === 403 && unsigned.status === 403, `${JSON.stringify(outsiderLink)} ${forged.status} ${unsigned.status}`);

  // Someone who was not there when it was sent finds it in the room's history and reads it.
  const dave = await connect('dave', { user: userKey(), name: 'Dave' });
  await dave.ack('join-room', 'files');
  const davePage = await dave.ack('history', { room: 'files' });
  const later = davePage.messages?.find((m) => m.meta.file?.sha256 === sha256(bytes));
  const daveReads = later ? await download(dave, later.meta.id) : {};
  check('a-later-reader-gets-it-from-the-host', daveReads.bytes?.equals(bytes) === true, JSON.stringify(later?.meta));

  // The same bytes again are stored once and still a message of their own.
  const again = await upload(bob, bytes, { room: 'files', name: 'copy.bin' });
  check('same-bytes-again-is-a-new-message', again.complete?.ok === true && again.complete.id !== sent.complete.id,
    JSON.stringify(again.complete));

  // Resume: half sent, the connection drops, the same user offers the same cid and goes on.
  const resumeBytes = randomBytes(1_000_000);
  const cid = randomUUID();
  const first = await upload(alice, resumeBytes, { room: 'files', cid, stopAfter: 2 });
  alice.close();
  const alice2 = await connect('alice-again', { user: aliceKey, name: 'Alice' });
  await alice2.ack('join-room', 'files');
  const rest = await upload(alice2, resumeBytes, { room: 'files', cid });
  check('resume-goes-on-where-it-stopped', rest.offer.have === first.sent && rest.complete?.ok === true
    && first.sent + rest.sent === resumeBytes.length, `first ${first.sent}, have ${rest.offer.have}, then ${rest.sent}`);
  const resumed = await bob.waitFor('receive-message', (t, m) => m?.file?.sha256 === sha256(resumeBytes));
  const resumedBytes = await download(bob, resumed.args[1].id);
  check('resumed-file-byte-exact', resumedBytes.bytes?.equals(resumeBytes) === true, '');
  const twice = await alice2.ack('file-complete', rest.offer.upload);
  await new Promise((r) => setTimeout(r, 300));
  check('complete-again-acks-and-delivers-once', twice.ok === true && twice.id === rest.complete.id
    && bob.seen('receive-message', (t, m) => m?.file?.sha256 === sha256(resumeBytes)).length === 1, JSON.stringify(twice));

  // A direct file: only its two people may read it.
  const secret = randomBytes(40_000);
  const direct = await upload(alice2, secret, { room: bob.id, name: 'secret.txt', type: 'text/plain' });
  const heard = await bob.waitFor('receive-message', (t, m) => m?.file?.sha256 === sha256(secret));
  const bobReads = await download(bob, heard.args[1].id);
  const carolReads = await download(carol, heard.args[1].id);
  check('direct-file-for-its-two-people-only', direct.complete?.ok === true && bobReads.bytes?.equals(secret) === true
    && carolReads.refusal?.ok === false, JSON.stringify(carolReads.refusal ?? 'carol got bytes'));

  // Refusals, each with its reason, while a bystander keeps chatting.
  const bomb = pngHeader(50_000, 50_000, 20_000);
  const bombed = await upload(carol, bomb, { name: 'bomb.png', type: 'image/png' });
  check('decompression-bomb-refused', bombed.refusal?.ok === false && /pixels/.test(bombed.refusal.error),
    `${bomb.length} bytes: ${JSON.stringify(bombed.refusal ?? bombed.complete)}`);
  const huge = await carol.ack('file-offer', { cid: randomUUID(), name: 'huge.iso', size: 500_000_000, sha256: sha256(Buffer.alloc(1)), room: '' });
  check('oversize-refused', huge.ok === false && /takes files up to/.test(huge.error), JSON.stringify(huge));
  const lying = await upload(carol, randomBytes(10_000), { sha: sha256(Buffer.from('something else')) });
  check('checksum-mismatch-refused', lying.complete?.ok === false && /SHA-256/.test(lying.complete.error),
    JSON.stringify(lying.complete));
  // The SHA-256 named at the end instead of in the offer: a sender that hashes while it sends.
  const late = randomBytes(300_000);
  const named = await upload(carol, late, { atComplete: true });
  check('hash-named-in-complete', named.complete?.ok === true && named.complete.file?.sha256 === sha256(late),
    JSON.stringify(named.complete));
  const lateLie = await upload(carol, randomBytes(10_000), { atComplete: true, sha: sha256(Buffer.from('other')) });
  check('hash-named-in-complete-checked', lateLie.complete?.ok === false && /SHA-256/.test(lateLie.complete.error),
    JSON.stringify(lateLie.complete));
  const unnamedBytes = randomBytes(10_000);
  const unnamed = await upload(carol, unnamedBytes, { atComplete: true, sha: null });
  const namedAfter = await carol.ack('file-complete', unnamed.offer.upload, sha256(unnamedBytes));
  check('hash-named-nowhere-refused-then-named', unnamed.complete?.ok === false && /sha256 is missing/.test(unnamed.complete.error)
    && namedAfter.ok === true, `${JSON.stringify(unnamed.complete)} then ${JSON.stringify(namedAfter)}`);
  const chat = await carol.ack('send-message', 'still here', '');
  const heardChat = await bob.waitForMessage('still here').then(() => true, () => false);
  check('bystanders-keep-chatting', chat.ok === true && heardChat && carol.socket.connected, JSON.stringify(chat));

  // At most 4 uploads under way per connection; the fifth is refused until one ends.
  const open = [];
  for (let i = 0; i < 4; i++) {
    open.push(await carol.ack('file-offer', { cid: randomUUID(), name: `${i}.bin`, size: 10, sha256: sha256(Buffer.alloc(10)), room: '' }));
  }
  const fifth = await carol.ack('file-offer', { cid: randomUUID(), name: '5.bin', size: 10, sha256: sha256(Buffer.alloc(10)), room: '' });
  for (const o of open) await carol.ack('file-cancel', o.upload);
  const sixth = await carol.ack('file-offer', { cid: randomUUID(), name: '6.bin', size: 10, sha256: sha256(Buffer.alloc(10)), room: '' });
  check('four-uploads-per-connection', open.every((o) => o.ok) && fifth.ok === false && /4 files/.test(fifth.error)
    && sixth.ok === true, JSON.stringify(fifth));
  await carol.ack('file-cancel', sixth.upload);

  // Cancel: the upload is gone, its next chunk refused.
  const cancelled = await carol.ack('file-offer', { cid: randomUUID(), name: 'x.bin', size: 10, sha256: sha256(Buffer.alloc(10)), room: '' });
  const cancelAck = await carol.ack('file-cancel', cancelled.upload);
  const after = await carol.ack('file-chunk', cancelled.upload, 0, Buffer.alloc(10));
  check('cancelled-upload-takes-no-more', cancelAck.ok === true && after.ok === false && /no such upload/.test(after.error),
    JSON.stringify(after));
}

try {
  if (scenario === 'quota') await quota();
  else if (scenario === 'exchange') await exchange(process.argv[5]);
  else await everything();
} catch (e) {
  check('script-error', false, e.stack);
} finally {
  await runCleanups(cleanups);
}
process.exit(failed ? 1 : 0);
