// Sending files (docs/PROTOCOL.md §15.2), the wire side of chat.js: file-offer, chunks read with
// file.slice(), hashed as they are read and kept within the host's window, file-complete with the
// SHA-256. After a refused chunk or a lost connection the same cid is offered again and the upload
// goes on from the `have` the host answers, so a dropped connection costs at most a window of chunks. No DOM: the view hears
// `upload` events with the Upload itself (state, bytes, speed, time left).
import { Sha256, hashBlob, sha256File } from './sha256.js';
import { randomId } from './store.js';

const ACK_WAIT_MS = 30_000;
const AT_ONCE = 3; // under the host's 4 uploads per connection
const STALLS = 5; // rounds in a row that moved nothing before an upload gives up
const REPORT_EVERY_MS = 200;
const SPEED_OVER_MS = 4_000;
// What is on its way starts at 256 KiB, grows to twice what came back, and is held to what the
// link moves in a second at its speed of the last few seconds: chat shares the connection, and a
// message typed during an upload waits behind every chunk already queued (a window of
// 8 × 512 KiB is 10 s at 400 KB/s).
const FIRST_ON_ITS_WAY = 256 * 1024;
const MOST_QUEUED_MS = 1_000;
// Or two of the link's shortest round trips where those are longer (a chunk's round trip includes
// the queue of other uploads, hence the bound): a link with a long one is not starved.
const LONGEST_QUEUED_MS = 3_000;
const LEAST_PIECE = 16 * 1024;
const PAGE = 4 * 1024;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

export class Uploads {
  constructor(chat) {
    this.chat = chat;
    this.all = new Map(); // cid -> Upload, until it is done or cancelled
    this.running = 0;
    this.queue = [];
    this.readyWaiters = [];
  }

  /** Sends `file` to the conversation `key` (the same target as a message there). */
  add(key, file) {
    const upload = new Upload(this, key, file, this.chat.targetOf(key));
    this.all.set(upload.cid, upload);
    upload.run();
    return upload;
  }

  cancel(cid) {
    this.all.get(cid)?.cancel();
  }

  retry(cid) {
    const upload = this.all.get(cid);
    if (upload?.state === 'failed') upload.run();
  }

  /** The host answered list-peers: uploads waiting for a connection go on. */
  ready() {
    for (const wake of this.readyWaiters.splice(0)) wake();
  }

  whenReady() {
    return this.chat.ready() ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** A replay or history page carries an upload of ours whose complete ack was lost: it is done. */
  heard(meta) {
    const upload = this.all.get(meta.cid);
    if (!upload || upload.state === 'done' || !meta.file) return false;
    upload.finish({ ok: true, id: meta.id, seq: meta.seq, time: meta.time, file: meta.file });
    return true;
  }

  slot() {
    if (this.running < AT_ONCE) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  release() {
    const next = this.queue.shift();
    if (next) next();
    else this.running -= 1;
  }
}

class Upload {
  constructor(owner, key, file, target) {
    this.owner = owner;
    this.key = key;
    this.file = file;
    this.cid = randomId();
    this.name = file.name || 'file';
    this.size = file.size;
    const type = String(file.type ?? '').toLowerCase().split(';')[0].trim();
    this.type = MIME.test(type) ? type : undefined;
    this.room = target.room;
    this.to = target.to;
    this.state = 'queued'; // queued, hashing (for an earlier Parley host only), sending, failed, done, cancelled
    this.sha256 = null; // once every byte went through `hasher`
    this.hasher = new Sha256(); // the file's first `hasher.length` bytes, in order
    this.hashed = 0; // bytes read while hashing the whole file first (the view's "Checking…" progress)
    this.hashInOffer = false; // the host wants the SHA-256 in the offer, as an earlier Parley host does
    this.have = 0;
    this.speed = 0; // bytes a second
    this.waiting = false; // for the connection to come back
    this.error = null;
    this.upload = null; // the host's id for the current offer
    this.message = null; // once done: the message it became
    this.samples = [];
    this.speedSpan = 0; // ms the speed spans; it holds chunks back once it spans 100 ms
    this.shortestRoundTrip = 0; // ms from a chunk sent to its ack, the least seen on this connection
    this.reported = 0;
    this.reportTimer = null;
    // Resolves on Cancel, so acks still due (up to 30 s each) do not hold the upload's place.
    this.cancelled = new Promise((resolve) => {
      this.onCancelled = resolve;
    });
  }

  get chat() {
    return this.owner.chat;
  }

  /** Seconds left at the current speed, or null while unknown. */
  get secondsLeft() {
    return this.speed > 0 ? Math.ceil((this.size - this.have) / this.speed) : null;
  }

  over() {
    return this.state === 'cancelled' || this.state === 'done';
  }

  async run() {
    this.error = null;
    this.set('queued');
    await this.owner.slot();
    // Speed and time left are measured over the last seconds, so a stall shows as one.
    const tick = setInterval(() => this.state === 'sending' && !this.waiting && this.progress(this.have), 1000);
    try {
      if (!this.over()) await this.send();
    } catch (e) {
      this.fail(e?.message ?? String(e));
    } finally {
      clearInterval(tick);
      this.owner.release();
    }
  }

  async send() {
    this.set('sending');
    let stalls = 0;
    while (!this.over()) {
      if (!this.chat.ready()) await this.waitForHost();
      if (this.over()) return;
      const before = this.have;
      const result = await this.round();
      if (this.over()) return;
      if (result.done) return this.finish(result.done);
      if (result.final) return this.fail(result.final);
      stalls = this.have > before ? 0 : stalls + 1;
      if (stalls >= STALLS) return this.fail(result.reason ?? 'the host stopped answering');
      await new Promise((resolve) => setTimeout(resolve, 500 * stalls));
    }
  }

  async waitForHost() {
    this.waiting = true;
    this.speed = 0;
    this.samples = [];
    this.speedSpan = 0;
    this.shortestRoundTrip = 0; // another connection, maybe another route
    this.set(this.state);
    await Promise.race([this.owner.whenReady(), this.cancelled]);
    this.waiting = false;
  }

  /** The whole file hashed before it is offered: for a host that wants the SHA-256 in the offer. */
  async hashFirst() {
    this.hashInOffer = true;
    this.set('hashing');
    this.sha256 = await sha256File(this.file, {
      onProgress: (n) => {
        this.hashed = n;
        this.report();
      },
      stopped: () => this.over(),
    });
    if (!this.over()) this.set('sending');
  }

  /** Brings `hasher` to exactly the first `target` bytes; after a resume from less than was sent it starts over. */
  async hashTo(target) {
    if (this.sha256) return true;
    if (this.hasher.length > target) this.hasher = new Sha256();
    if (!(await hashBlob(this.hasher, this.file, target, { stopped: () => this.over() }))) return false;
    if (this.hasher.length === this.size) this.sha256 = this.hasher.hex();
    return true;
  }

  /** One offer and what follows it: {done: ack}, {final: reason}, or {reason} to offer again. */
  async round() {
    const socket = this.chat.socket;
    let offer = await ask(socket, 'file-offer', this.offer());
    if (!offer.lost && !offer.ok && !this.hashInOffer && /^sha256 must be/.test(offer.error ?? '')) {
      await this.hashFirst();
      if (this.over()) return {};
      offer = await ask(socket, 'file-offer', this.offer());
    }
    if (offer.lost) return {};
    if (!offer.ok) return { final: offer.error ?? 'refused' };
    this.upload = offer.upload;
    const have = Number.isFinite(offer.have) ? offer.have : 0;
    const atOnce = Number.isInteger(offer.window) && offer.window > 0 ? offer.window : 8;
    const most = Number.isInteger(offer.chunk) && offer.chunk > 0 ? offer.chunk : FIRST_ON_ITS_WAY;
    this.have = have; // what the host holds, even if it is less than it acknowledged before
    this.progress(have);
    if (!(await this.hashTo(have))) return {};
    // The speed that paces this round's chunks is measured afresh, from its first chunk on: not
    // the wait for the offer's answer, nor hashing what the host already holds.
    this.samples = [];
    this.speedSpan = 0;
    let offset = have;
    let acked = have; // what came back this round
    let refusal = null;
    let lost = false;
    const inFlight = [];
    while (offset < this.size && !refusal && !lost && !this.over()) {
      const end = Math.min(this.size, offset + this.piece(most, atOnce, acked - have));
      const bytes = await this.file.slice(offset, end).arrayBuffer();
      if (!this.sha256 && this.hasher.length === offset) this.hasher.update(new Uint8Array(bytes));
      if (!socket.connected) break;
      const askedAt = Date.now();
      inFlight.push(ask(socket, 'file-chunk', offer.upload, offset, bytes).then((a) => {
        if (!a.lost) {
          const roundTrip = Math.max(1, Date.now() - askedAt);
          this.shortestRoundTrip = this.shortestRoundTrip ? Math.min(this.shortestRoundTrip, roundTrip) : roundTrip;
        }
        if (a.lost) lost = true;
        else if (!a.ok) refusal ??= a.error ?? 'refused';
        else {
          if (typeof a.have === 'number') acked = Math.max(acked, a.have);
          this.progress(a.have);
        }
      }));
      offset = end;
      while (inFlight.length >= atOnce) await Promise.race([inFlight.shift(), this.cancelled]);
    }
    await Promise.race([Promise.all(inFlight), this.cancelled]);
    if (refusal) return { reason: refusal };
    if (lost || this.have < this.size || this.over()) return {};
    if (!(await this.hashTo(this.size))) return {};
    const done = this.hashInOffer
      ? await ask(socket, 'file-complete', offer.upload)
      : await ask(socket, 'file-complete', offer.upload, this.sha256);
    if (done.lost || this.over()) return {};
    return done.ok ? { done } : { final: done.error ?? 'refused' };
  }

  /** The next chunk's size with `atOnce` on their way, `through` bytes after this round's offer (never over `most`). */
  piece(most, atOnce, through) {
    let onItsWay = Math.max(FIRST_ON_ITS_WAY, 2 * through);
    if (this.speed > 0 && this.speedSpan >= 100) {
      const ms = Math.min(LONGEST_QUEUED_MS, Math.max(MOST_QUEUED_MS, 2 * this.shortestRoundTrip));
      onItsWay = Math.min(onItsWay, (this.speed * ms) / 1000);
    }
    const piece = Math.max(LEAST_PIECE, Math.floor(onItsWay / atOnce / PAGE) * PAGE);
    return Math.min(most, piece);
  }

  offer() {
    const offer = { cid: this.cid, name: this.name, size: this.size, room: this.room };
    if (this.hashInOffer) offer.sha256 = this.sha256;
    if (this.type) offer.type = this.type;
    if (this.to) offer.to = this.to;
    return offer;
  }

  progress(have) {
    if (typeof have !== 'number' || have < this.have) return;
    this.have = have;
    const now = Date.now();
    this.samples.push([now, have]);
    while (this.samples.length > 2 && now - this.samples[0][0] > SPEED_OVER_MS) this.samples.shift();
    const [t0, h0] = this.samples[0];
    if (now > t0) this.speed = ((have - h0) * 1000) / (now - t0);
    this.speedSpan = now - t0;
    this.report();
  }

  /** Tells the view at most every REPORT_EVERY_MS, and once more after the last change. */
  report() {
    if (this.reportTimer) return;
    const wait = this.reported + REPORT_EVERY_MS - Date.now();
    if (wait > 0) {
      this.reportTimer = setTimeout(() => this.set(this.state), wait);
      return;
    }
    this.set(this.state);
  }

  set(state) {
    clearTimeout(this.reportTimer);
    this.reportTimer = null;
    this.state = state;
    this.reported = Date.now();
    this.chat.emit('upload', this);
  }

  finish(ack) {
    this.owner.all.delete(this.cid);
    this.have = this.size;
    this.chat.rememberOwn(ack.id);
    this.message = {
      text: `📎 ${ack.file?.name ?? this.name}`,
      key: this.key,
      id: ack.id,
      cid: this.cid,
      seq: ack.seq,
      time: Number(ack.time) || Date.now(),
      mine: true,
      file: fileOf(ack.file),
    };
    this.set('done');
  }

  fail(reason) {
    if (this.over()) return;
    this.error = `Not sent: ${reason}`;
    this.set('failed');
  }

  cancel() {
    if (this.over()) return;
    this.owner.all.delete(this.cid);
    if (this.upload && this.chat.socket?.connected) this.chat.socket.emit('file-cancel', this.upload, () => {});
    this.set('cancelled');
    this.onCancelled();
  }
}

/** meta.file (§15.1) when it is well-formed, with only the fields the page uses; else undefined. */
export function fileOf(f) {
  if (!f || typeof f !== 'object' || typeof f.name !== 'string' || !Number.isFinite(f.size)) return undefined;
  const file = { name: f.name, size: f.size, type: typeof f.type === 'string' ? f.type : 'application/octet-stream', expired: f.expired === true };
  if (Number.isFinite(f.width) && Number.isFinite(f.height) && f.width > 0 && f.height > 0) {
    file.width = f.width;
    file.height = f.height;
  }
  return file;
}

/** Emits with an ack; resolves with the answer, or {lost: true} when the connection or the wait ran out. */
function ask(socket, event, ...args) {
  return new Promise((resolve) => {
    if (!socket?.connected) return resolve({ lost: true });
    socket.timeout(ACK_WAIT_MS).emit(event, ...args, (err, answer) => {
      resolve(err ? { lost: true } : answer ?? { ok: false, error: 'the host gave no answer' });
    });
  });
}
