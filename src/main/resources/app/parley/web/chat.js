// The page's side of the wire contract (docs/PROTOCOL.md), as Parley's desktop client does it
// (join/ClientConnection, Delivery, Outbox, Incoming): an outbox that survives reloads, resends
// with the same client id (the host stores each (user, cid) once), a resume after reconnects,
// and arrivals deduplicated by conversation sequence. No DOM here: the view listens to `on`.
import { MAX_OUTBOX, MAX_ROOMS, loadOutbox, loadRooms, randomId, saveOutbox, saveRooms } from './store.js';
import { fileOf, Uploads } from './uploads.js';

const ACK_RETRY_MS = 10_000;
const DEADLINE_MS = 30_000;
const TYPING_EVERY_MS = 3_000;
const REMEMBERED = 10_000;

/** The page's key for where a message belongs: `*`, `#room` or `@<user>` (the peer's user). */
export function roomOfKey(key) {
  return key.startsWith('#') ? key.slice(1) : '';
}

export class Chat {
  /** `on` holds the view's callbacks; missing ones are skipped. */
  constructor({ name, userKey, password, on }) {
    this.name = name;
    this.userKey = userKey;
    this.password = password;
    this.on = on;
    this.socket = null;
    this.id = null;
    this.parleyHost = false;
    this.generation = 0;
    this.peers = new Map(); // socket id -> { name, user }
    this.lastIdOfUser = new Map(); // user -> the socket id seen last, present or gone
    this.members = new Map(); // room -> [socket id]
    this.rooms = loadRooms();
    this.outbox = loadOutbox();
    this.lastSeq = new Map(); // host conversation key (meta.conv) -> highest seq seen
    this.lastTime = 0;
    this.ownIds = new Set();
    this.othersCids = new Set();
    this.typingSent = new Map();
    this.deadlines = new Map();
    this.uploads = new Uploads(this);
    for (const entry of this.outbox) if (!entry.failed) this.startDeadline(entry);
  }

  emit(what, ...args) {
    this.on[what]?.(...args);
  }

  /** Connects to the page's own origin: the host that served it. */
  connect() {
    // eslint-disable-next-line no-undef
    this.socket = io({ auth: (cb) => cb(this.auth()) });
    const s = this.socket;
    s.on('connect', () => this.connected());
    s.on('connect_error', (err) => this.refused(err));
    s.on('disconnect', (reason) => {
      this.parleyHost = false;
      this.emit('state', s.active ? 'reconnecting' : 'disconnected', describeDisconnect(reason));
    });
    s.on('receive-message', (text, meta) => this.received(text, meta));
    s.on('caught-up', (c) => this.caughtUp(c));
    s.on('peers', (p) => this.setPeers(p));
    s.on('peers-changed', (p) => this.peersChanged(p));
    s.on('room-members', (p) => this.roomMembers(p));
    s.on('typing', (t) => this.typing(t));
    s.on('parley-error', (e) => this.emit('notice', `The host refused a request: ${e?.error ?? 'no reason given'}`));
    s.on('host-closing', (reason) => this.emit('notice', `The host is closing the session: ${reason}`));
    this.emit('state', 'connecting', 'Connecting…');
  }

  auth() {
    const auth = { name: this.name, user: this.userKey, caughtUp: true };
    if (this.password) auth.password = this.password;
    if (this.lastSeq.size > 0) auth.resume = { at: this.lastTime, seqs: Object.fromEntries(this.lastSeq) };
    return auth;
  }

  connected() {
    const generation = ++this.generation;
    this.id = this.socket.id;
    this.emit('connected', this.id);
    this.emit('state', 'connected', 'Connected');
    this.askPeers(generation, 0);
    for (const room of this.rooms) this.socket.emit('join-room', room, () => {});
  }

  /**
   * Who is here; the outbox goes once the host answers. The page always talks to the Parley host
   * that served it, so a refusal (the host's rate limit) means ask again later, never "send
   * unacknowledged as to a tutorial server".
   */
  askPeers(generation, attempt) {
    this.socket.emit('list-peers', (list) => {
      if (generation !== this.generation) return;
      if (!list || !Array.isArray(list.peers)) {
        const delay = Math.min(30000, 1000 * 2 ** attempt) * (0.5 + Math.random());
        setTimeout(() => {
          if (generation === this.generation && this.socket.connected) this.askPeers(generation, attempt + 1);
        }, delay);
        return;
      }
      this.parleyHost = true;
      this.setPeers(list);
      this.pump();
      this.uploads.ready();
    });
  }

  refused(err) {
    const reason = err?.message ?? String(err);
    if (reason === 'wrong password' || reason.startsWith('too many wrong passwords')) {
      this.emit('password', reason);
      return;
    }
    if (!this.socket.active) {
      // The host said no for another reason (it is stopping): it may be back in a moment.
      this.emit('state', 'reconnecting', `The host refused the connection: ${reason}`);
      setTimeout(() => this.socket.connect(), 3000);
      return;
    }
    this.emit('state', 'reconnecting', `Cannot reach the host (${reason}); trying again…`);
  }

  /** Tries again with a password after the host asked for one. */
  retryWithPassword(password) {
    this.password = password;
    this.socket.connect();
  }

  // Sending //

  /**
   * Queues a message to the conversation `key` and sends it when the host can take it; null when
   * the outbox is full, which only a long time offline or a host refusing everything brings.
   */
  send(key, text) {
    if (this.outbox.length >= MAX_OUTBOX) return null;
    const target = this.targetOf(key);
    const entry = { cid: randomId(), room: target.room, text, created: Date.now(), conv: key };
    if (target.to) entry.to = target.to;
    this.outbox.push(entry);
    saveOutbox(this.outbox);
    this.startDeadline(entry);
    this.emit('own', entry);
    if (this.ready()) this.attempt(entry);
    return entry;
  }

  retry(cid) {
    const entry = this.outbox.find((e) => e.cid === cid);
    if (!entry) return;
    entry.failed = false;
    saveOutbox(this.outbox);
    this.startDeadline(entry);
    this.emit('ownState', cid, 'sending');
    if (this.ready()) this.attempt(entry);
  }

  ready() {
    return this.socket?.connected && this.parleyHost;
  }

  /** Sends files to the conversation `key`, each as its own upload (uploads.js). */
  sendFiles(key, files) {
    return [...files].map((file) => this.uploads.add(key, file));
  }

  /** A same-origin download address for a file message (§15.3): {ok, url} or {error}. */
  fileLink(id) {
    return this.request('file-link', { id });
  }

  rememberOwn(id) {
    if (typeof id === 'string') remember(this.ownIds, id);
  }

  /** Everything waiting goes, oldest first, once the host has answered list-peers. */
  pump() {
    for (const entry of this.outbox) if (!entry.failed) this.attempt(entry);
  }

  attempt(entry) {
    const generation = this.generation;
    const options = entry.to ? { cid: entry.cid, to: entry.to } : { cid: entry.cid };
    this.socket.emit('send-message', entry.text, entry.room, options, (ack) => this.answered(entry.cid, ack));
    setTimeout(() => {
      const still = this.outbox.find((e) => e.cid === entry.cid && !e.failed);
      if (still && generation === this.generation && this.ready()) this.attempt(still);
    }, ACK_RETRY_MS);
  }

  /** The host's answer for a message, or word that it has it stored (seen in history or a replay). */
  answered(cid, ack) {
    const i = this.outbox.findIndex((e) => e.cid === cid);
    if (i < 0) return; // a retry's second answer
    const entry = this.outbox[i];
    clearTimeout(this.deadlines.get(cid));
    if (ack?.ok === false) {
      if (entry.failed) return;
      entry.failed = true;
      saveOutbox(this.outbox);
      this.emit('ownState', cid, 'failed', `Not sent: ${ack.error ?? 'refused'}`);
      return;
    }
    // Stored: even one reported failed (its ack came after the deadline) is delivered after all.
    this.outbox.splice(i, 1);
    saveOutbox(this.outbox);
    if (typeof ack?.id === 'string') remember(this.ownIds, ack.id);
    this.emit('ownState', cid, 'delivered', ack);
  }

  startDeadline(entry) {
    clearTimeout(this.deadlines.get(entry.cid));
    this.deadlines.set(entry.cid, setTimeout(() => {
      const still = this.outbox.find((e) => e.cid === entry.cid && !e.failed);
      if (!still) return;
      still.failed = true;
      saveOutbox(this.outbox);
      this.emit('ownState', entry.cid, 'failed', `Not delivered: the host did not confirm it within ${DEADLINE_MS / 1000} s.`);
    }, DEADLINE_MS));
  }

  /** Where `send-message` goes for a conversation key, and the recipient's user for a direct one. */
  targetOf(key) {
    if (key === '*') return { room: '' };
    if (key.startsWith('#')) return { room: key.slice(1) };
    const user = key.slice(1);
    const id = this.idOfUser(user);
    return id === user ? { room: id } : { room: id, to: user };
  }

  idOfUser(user) {
    for (const [id, p] of this.peers) if (p.user === user) return id;
    return this.lastIdOfUser.get(user) ?? user;
  }

  // Arriving //

  received(text, meta) {
    if (typeof text !== 'string') return;
    const m = meta && typeof meta === 'object' ? meta : { kind: 'everyone', time: Date.now() };
    if (typeof m.conv === 'string' && m.seq > 0) {
      if (m.seq <= (this.lastSeq.get(m.conv) ?? 0)) return; // a replay overlapping live traffic
      this.lastSeq.set(m.conv, m.seq);
      this.lastTime = Math.max(this.lastTime, Number(m.time) || 0);
    }
    if (!m.mine && m.user && m.cid) {
      const key = `${m.user}\n${m.cid}`;
      if (this.othersCids.has(key)) return;
      remember(this.othersCids, key);
    }
    if (m.mine) {
      if (m.id && this.ownIds.has(m.id)) return;
      if (m.cid && m.file && this.uploads.heard(m)) return;
      if (m.cid && this.outbox.some((e) => e.cid === m.cid)) {
        this.answered(m.cid, { ok: true, id: m.id, seq: m.seq, time: m.time });
        return;
      }
    }
    const message = this.message(text, m);
    if (message.from) this.emit('typing', message.key, message.from, null, false);
    this.emit('message', message, false);
  }

  message(text, m) {
    return {
      text,
      key: this.keyOf(m),
      id: m.id,
      cid: m.cid,
      seq: m.seq,
      time: Number(m.time) || Date.now(),
      from: m.from,
      user: m.user,
      name: m.name,
      kind: m.kind,
      mine: m.mine === true || (m.from !== undefined && m.from === this.id),
      file: fileOf(m.file),
    };
  }

  keyOf(m) {
    if (m.kind === 'room' && typeof m.room === 'string') return `#${m.room}`;
    if (m.kind !== 'direct') return '*';
    if (m.mine && typeof m.conv === 'string') {
      // Mine: the sender's user is me, known before the peers list of a new connection is.
      const me = typeof m.user === 'string' ? m.user : this.myUser();
      const [a, b] = m.conv.replace(/^@/, '').split(' ');
      return `@${a === me ? b : a}`;
    }
    return `@${m.user ?? m.from}`;
  }

  myUser() {
    return this.peers.get(this.id)?.user;
  }

  caughtUp(c) {
    if (!c || typeof c.seqs !== 'object') return;
    for (const [conv, seq] of Object.entries(c.seqs)) {
      if (Number.isFinite(seq)) this.lastSeq.set(conv, Math.max(seq, this.lastSeq.get(conv) ?? 0));
    }
    this.lastTime = Math.max(this.lastTime, Number(c.at) || 0);
  }

  /** One page of history before `before` (a seq; 0 for the latest); resolves with `more`. */
  history(key, before) {
    const query = key === '*' ? {} : key.startsWith('#') ? { room: key.slice(1) } : { with: this.idOfUser(key.slice(1)) };
    if (query.with && !this.peers.has(query.with)) return Promise.resolve(null);
    if (before > 0) query.before = before;
    query.limit = 50;
    // true / false: whether older messages remain; null: no page this time (not connected, the
    // person is offline, refused or timed out), so the conversation asks again later.
    return new Promise((resolve) => {
      if (!this.ready()) return resolve(null);
      this.socket.timeout(10_000).emit('history', query, (err, page) => {
        if (err || !page?.ok || !Array.isArray(page.messages)) {
          if (typeof page?.error === 'string') this.emit('notice', `History not loaded: ${page.error}`);
          return resolve(null);
        }
        for (const item of page.messages) {
          if (item && typeof item.text === 'string' && item.meta) {
            this.emit('message', this.message(item.text, item.meta), true);
          }
        }
        resolve(page.more === true);
      });
    });
  }

  // People and rooms //

  setPeers(list) {
    if (!list || !Array.isArray(list.peers)) return;
    this.peers.clear();
    for (const id of list.peers) this.peers.set(id, { name: list.names?.[id], user: list.users?.[id] });
    this.learnUsers(list.users);
    this.emit('peers');
  }

  peersChanged(change) {
    if (!change) return;
    for (const id of change.joined ?? []) if (!this.peers.has(id)) this.peers.set(id, {});
    for (const [id, name] of Object.entries(change.names ?? {})) if (this.peers.has(id)) this.peers.get(id).name = name;
    for (const [id, user] of Object.entries(change.users ?? {})) if (this.peers.has(id)) this.peers.get(id).user = user;
    this.learnUsers(change.users);
    for (const id of change.left ?? []) this.peers.delete(id);
    this.emit('peers');
  }

  learnUsers(users) {
    for (const [id, user] of Object.entries(users ?? {})) if (typeof user === 'string') this.lastIdOfUser.set(user, id);
  }

  roomMembers(p) {
    if (!p || typeof p.room !== 'string' || !Array.isArray(p.members)) return;
    this.members.set(p.room, p.members);
    this.emit('members', p.room);
  }

  /** Resolves with null when joined, or the host's reason. */
  joinRoom(room) {
    if (!this.rooms.includes(room) && this.rooms.length >= MAX_ROOMS) {
      return Promise.resolve(`this page keeps at most ${MAX_ROOMS} rooms: leave one first`);
    }
    return this.request('join-room', room).then((answer) => {
      if (typeof answer !== 'string') return answer?.error ?? 'the host did not answer';
      if (!this.rooms.includes(room)) this.rooms.push(room);
      saveRooms(this.rooms);
      return null;
    });
  }

  leaveRoom(room) {
    this.rooms = this.rooms.filter((r) => r !== room);
    saveRooms(this.rooms);
    this.members.delete(room);
    return this.request('leave-room', room);
  }

  /** Resolves with null when renamed, or the host's reason. */
  rename(name) {
    return this.request('set-name', name).then((answer) => {
      if (answer?.ok !== true) return answer?.error ?? 'the host did not answer';
      this.name = answer.name;
      return null;
    });
  }

  request(event, arg) {
    if (!this.socket?.connected) return Promise.resolve({ error: 'not connected to the host' });
    return this.socket.timeout(10_000).emitWithAck(event, arg).catch(() => ({ error: 'the host did not answer' }));
  }

  /** Tells the conversation's people the draft is (or no longer is) being written, at most every 3 s. */
  typingIn(key, active) {
    if (!this.ready()) return;
    const last = this.typingSent.get(key) ?? 0;
    if (active && Date.now() - last < TYPING_EVERY_MS) return;
    if (!active && last === 0) return;
    this.typingSent.set(key, active ? Date.now() : 0);
    this.socket.emit('typing', this.targetOf(key).room, active);
  }

  typing(t) {
    if (!t || typeof t.from !== 'string') return;
    const key = t.kind === 'room' ? `#${t.room}` : t.kind === 'direct' ? `@${this.peers.get(t.from)?.user ?? t.from}` : '*';
    this.emit('typing', key, t.from, typeof t.name === 'string' ? t.name : null, t.active === true);
  }

  nameOf(id) {
    return this.peers.get(id)?.name ?? null;
  }
}

function remember(set, value) {
  set.add(value);
  if (set.size > REMEMBERED) set.delete(set.values().next().value);
}

function describeDisconnect(reason) {
  switch (reason) {
    case 'io server disconnect':
      return 'The host closed the connection.';
    case 'io client disconnect':
      return 'Disconnected.';
    default:
      return `Connection lost (${reason}); reconnecting…`;
  }
}
