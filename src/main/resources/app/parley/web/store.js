// What the page keeps in the browser: the guest's name and user key (so the host knows them
// again after a reload), and the outbox of messages the host has not acknowledged yet.
const NAME = 'parley.name';
const USER = 'parley.user';
const OUTBOX = 'parley.outbox';
const ROOMS = 'parley.rooms';
const PASSWORD = 'parley.password';
/** Unsent messages kept at most: past it the page refuses to queue more (a browser's storage is small). */
export const MAX_OUTBOX = 500;
/** Rooms remembered at most: as many as the host puts back in one resume. */
export const MAX_ROOMS = 200;

function read(key, fallback) {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (private mode): the page still works, it just forgets on reload.
  }
}

/** A random id: a UUID where the browser offers one (secure contexts), else 128 random bits in hex. */
export function randomId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function loadName() {
  const name = read(NAME, null);
  if (typeof name === 'string' && name.trim()) return name;
  const guest = `Guest-${String(crypto.getRandomValues(new Uint16Array(1))[0] % 10000).padStart(4, '0')}`;
  write(NAME, guest);
  return guest;
}

export const saveName = (name) => write(NAME, name);

/** The secret that makes this browser the same user on every visit (the host keeps only a digest). */
export function loadUserKey() {
  const key = read(USER, null);
  if (typeof key === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(key)) return key;
  const fresh = randomId().replaceAll('-', '') + randomId().replaceAll('-', '');
  write(USER, fresh);
  return fresh;
}

/** Unacknowledged messages, oldest first: {cid, room, to, text, created, conv, failed}. */
export function loadOutbox() {
  const list = read(OUTBOX, []);
  return Array.isArray(list)
    ? list.filter(isOutboxEntry).slice(0, MAX_OUTBOX)
    : [];
}

/** A stored entry the page can show and send; anything else (an edited or older store) is dropped. */
function isOutboxEntry(e) {
  return (
    e !== null &&
    typeof e === 'object' &&
    typeof e.cid === 'string' &&
    typeof e.text === 'string' &&
    typeof e.room === 'string' &&
    typeof e.conv === 'string' &&
    Number.isFinite(e.created) &&
    !Number.isNaN(new Date(e.created).getTime()) &&
    (e.to === undefined || typeof e.to === 'string')
  );
}

export const saveOutbox = (entries) => write(OUTBOX, entries);

export function loadRooms() {
  const rooms = read(ROOMS, []);
  return Array.isArray(rooms) ? rooms.filter((r) => typeof r === 'string').slice(0, MAX_ROOMS) : [];
}

export const saveRooms = (rooms) => write(ROOMS, rooms);

/** The host's password lives for this tab only (sessionStorage), so a reload does not ask again. */
export function loadPassword() {
  try {
    return sessionStorage.getItem(PASSWORD) ?? '';
  } catch {
    return '';
  }
}

export function savePassword(password) {
  try {
    sessionStorage.setItem(PASSWORD, password);
  } catch {
    // Not kept: the next reload asks again.
  }
}
