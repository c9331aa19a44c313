// The page: wires the chat (chat.js) to the DOM (view.js). Opening it joins at once, under the
// remembered name or a suggested one, and shows Everyone.
import { Chat } from './chat.js';
import { loadName, loadPassword, loadUserKey, saveName, savePassword } from './store.js';
import { el, insertBySeq, messageItem, setState } from './view.js';
import { Conversations } from './conversations.js';
import { fileCard, setUploadProgress, uploadItem } from './fileview.js';

const $ = (id) => document.getElementById(id);
const TYPING_CLEARS_MS = 6_000;
const narrow = window.matchMedia('(max-width: 700px)');

const chat = new Chat({ name: loadName(), userKey: loadUserKey(), password: loadPassword(), on: {} });
const convs = new Conversations($('conversations'), $('messages'), (key) => open(key));
const ownItems = new Map(); // cid -> the own message's line
const typists = new Map(); // conversation key -> Map(socket id -> { name, timer })
const lastMembers = new Map(); // room -> the member ids last shown
const uploadItems = new Map(); // cid -> the line of an upload under way
let thumbsWaiting = []; // thumbnails to load once the host answers
let passwordTried = false;

/** For tests and the curious: the page's state, read-only in spirit. */
window.parleyPage = { chat, convs };

function senderName(message) {
  return chat.nameOf(message.from) ?? message.name ?? (message.kind === 'announcement' ? 'Host' : 'Someone');
}

function open(key) {
  convs.open(key);
  $('conversation-name').textContent = convs.title(key);
  $('conversation-kind').textContent = key === '*' ? '' : key[0];
  const room = key.startsWith('#');
  $('members-button').hidden = !room;
  $('leave-button').hidden = !room;
  $('members').hidden = true;
  $('members-button').setAttribute('aria-expanded', 'false');
  renderMembers();
  renderTyping();
  renderUnread();
  closeSidebar();
  // On a wide screen the message box takes the keys; on a phone that would pop the keyboard up.
  if (!narrow.matches && document.activeElement?.closest?.('#sidebar')) $('message-input').focus();
  if (!convs.get(key).loaded) loadHistory(key);
}

async function loadHistory(key) {
  const conv = convs.get(key);
  if (conv.loading || (conv.loaded && !conv.more)) return;
  conv.loading = true;
  const keep = convs.keepScroll(key);
  const more = await chat.history(key, conv.loaded ? convs.oldestSeq(key) : 0);
  conv.loading = false;
  if (more !== null) {
    conv.more = more;
    conv.loaded = true;
  }
  keep();
}

// Messages //

function showMessage(message, fromHistory) {
  const conv = convs.ensure(message.key, directTitle(message));
  if (message.mine && message.cid && ownItems.has(message.cid)) {
    // The host has it stored: whatever the outbox still thinks, it is delivered.
    chat.answered(message.cid, { ok: true, id: message.id, seq: message.seq });
    if (ownItems.get(message.cid).dataset.state !== 'delivered') delivered(message.cid, { id: message.id, seq: message.seq });
    return;
  }
  if (message.id && conv.ids.has(message.id)) return;
  if (message.id) conv.ids.add(message.id);
  const li = messageItem(message, senderName(message), message.file ? fileCard(message.file, fileActions(message.id)) : null);
  if (message.mine && message.cid) ownItems.set(message.cid, li);
  convs.insert(message.key, li, (list) => insertBySeq(list, li), !fromHistory);
  if (!fromHistory && !message.mine && (message.key !== convs.current || document.hidden)) {
    conv.unread += 1;
    renderUnread();
  }
}

function showOwn(entry) {
  convs.ensure(entry.conv);
  const li = messageItem({ text: entry.text, time: entry.created, mine: true }, 'You');
  li.dataset.cid = entry.cid;
  ownItems.set(entry.cid, li);
  if (entry.failed) setState(li, 'failed', 'Not delivered.', () => chat.retry(entry.cid));
  else setState(li, 'sending');
  convs.insert(entry.conv, li, (list) => list.append(li), true);
}

function delivered(cid, ack) {
  const li = ownItems.get(cid);
  if (!li) return;
  setState(li, 'delivered');
  const key = [...convs.keys()].find((k) => convs.get(k).list.contains(li));
  if (key && ack?.id) convs.get(key).ids.add(ack.id);
  if (ack?.seq) li.dataset.seq = String(ack.seq);
}

// Files //

function sendFiles(files) {
  if (files?.length) chat.sendFiles(convs.current, files);
}

function showUpload(upload) {
  let li = uploadItems.get(upload.cid);
  if (upload.state === 'cancelled' || upload.state === 'done') {
    uploadItems.delete(upload.cid);
    const message = upload.message;
    const conv = message ? convs.ensure(message.key) : null;
    if (!message || (message.id && conv.ids.has(message.id))) return li?.remove();
    if (message.id) conv.ids.add(message.id);
    const card = messageItem(message, 'You', fileCard(message.file ?? { name: upload.name, size: upload.size, type: '' }, fileActions(message.id)));
    setState(card, 'delivered');
    if (li) li.replaceWith(card);
    else convs.insert(message.key, card, (list) => insertBySeq(list, card), false);
    return;
  }
  if (!li) {
    li = uploadItem(upload, () => chat.uploads.cancel(upload.cid), () => chat.uploads.retry(upload.cid));
    uploadItems.set(upload.cid, li);
    convs.ensure(upload.key);
    convs.insert(upload.key, li, (list) => list.append(li), true);
  }
  setUploadProgress(li, upload);
}

function fileActions(id) {
  return { download: () => download(id), thumbnail: (img) => thumbnail(img, id) };
}

/** The address in a file-link answer, only when it is a file of this host (§15.3). */
function fileUrl(answer) {
  if (answer?.ok !== true || typeof answer.url !== 'string') return null;
  try {
    const url = new URL(answer.url, window.location.href);
    return url.origin === window.location.origin && url.pathname.startsWith('/files/') ? url.href : null;
  } catch {
    return null;
  }
}

/** Downloads through a fresh link (they last 10 minutes); the host names the file (Content-Disposition). */
async function download(id) {
  const answer = await chat.fileLink(id);
  const url = fileUrl(answer);
  if (!url) return notice(`Cannot download the file: ${answer?.error ?? 'the host gave no link'}`);
  const a = el('a');
  a.href = url;
  a.download = '';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
}

function thumbnail(img, id) {
  if (!chat.ready()) {
    thumbsWaiting.push(() => thumbnail(img, id));
    return;
  }
  chat.fileLink(id).then((answer) => {
    const url = fileUrl(answer);
    if (url) img.src = url;
  });
}

function directTitle(message) {
  return message.key.startsWith('@') ? (message.mine ? null : message.name) : null;
}

// People, rooms, typing //

function renderPeople() {
  const list = $('people');
  const byUser = new Map();
  for (const [id, p] of chat.peers) byUser.set(p.user ?? id, { id, name: p.name });
  const items = [];
  for (const [user, p] of byUser) {
    const me = p.id === chat.id || user === chat.myUser();
    const label = p.name ?? `Guest ${p.id.slice(0, 8)}`;
    if (me) {
      items.unshift(el('li', 'person me', el('bdi', null, label), ' (you)'));
      continue;
    }
    const button = el('button', 'person-button', el('bdi', null, label));
    button.type = 'button';
    button.title = `Message ${label} privately`;
    button.addEventListener('click', () => {
      convs.ensure(`@${user}`, label);
      open(`@${user}`);
    });
    items.push(el('li', 'person', button));
    convs.retitle(`@${user}`, label);
  }
  list.replaceChildren(...items);
  if (convs.current.startsWith('@')) $('conversation-name').textContent = convs.title(convs.current);
  renderMembers();
}

/** "Ann joined" / "Ann left" in a room, from the difference between two member lists. */
function membersChanged(room) {
  const now = chat.members.get(room) ?? [];
  const before = lastMembers.get(room);
  lastMembers.set(room, now);
  if (before) {
    const say = (id, what) => {
      if (id === chat.id) return;
      const li = el('li', 'line-notice', el('bdi', null, chat.nameOf(id) ?? `Guest ${id.slice(0, 8)}`), ` ${what}`);
      convs.insert(`#${room}`, li, (list) => list.append(li), false);
    };
    now.filter((id) => !before.includes(id)).forEach((id) => say(id, 'joined'));
    before.filter((id) => !now.includes(id)).forEach((id) => say(id, 'left'));
  }
  renderMembers();
}

function renderMembers() {
  const key = convs.current;
  if (!key.startsWith('#')) return;
  const ids = chat.members.get(key.slice(1)) ?? [];
  $('members-button').textContent = `Members (${ids.length})`;
  $('members').replaceChildren(...ids.map((id) => el('li', null, el('bdi', null, chat.nameOf(id) ?? `Guest ${id.slice(0, 8)}`))));
}

function heardTyping(key, from, name, active) {
  const typing = typists.get(key) ?? new Map();
  typists.set(key, typing);
  clearTimeout(typing.get(from)?.timer);
  if (active) {
    typing.set(from, { name: name ?? chat.nameOf(from) ?? 'Someone', timer: setTimeout(() => heardTyping(key, from, null, false), TYPING_CLEARS_MS) });
  } else {
    typing.delete(from);
  }
  if (key === convs.current) renderTyping();
}

function renderTyping() {
  const names = [...(typists.get(convs.current)?.values() ?? [])].map((t) => t.name);
  const line = $('typing');
  if (names.length === 0) return line.replaceChildren();
  if (names.length > 2) return line.replaceChildren('Several people are typing…');
  const parts = [el('bdi', null, names[0])];
  if (names.length === 2) parts.push(' and ', el('bdi', null, names[1]));
  line.replaceChildren(...parts, names.length === 1 ? ' is typing…' : ' are typing…');
}

function renderUnread() {
  const total = convs.renderUnread();
  $('nav-toggle').textContent = total > 0 ? `Chats (${total})` : 'Chats';
  document.title = total > 0 ? `(${total}) Parley` : 'Parley';
}

let noticeTimer;
/** A line over the conversation; a refusal goes away by itself, the host closing stays. */
function notice(text) {
  const n = $('notice');
  n.textContent = text;
  n.hidden = !text;
  clearTimeout(noticeTimer);
  if (text && !text.startsWith('The host is closing')) noticeTimer = setTimeout(() => notice(''), 10_000);
}

// The chat's events //

Object.assign(chat.on, {
  state(state, text) {
    $('status').dataset.state = state;
    $('status').textContent = text;
  },
  connected(id) {
    $('my-id').textContent = `You connected with id: ${id}`;
    lastMembers.clear(); // a new id: the next lists are not news of who came and went
    notice('');
    passwordTried = false;
    if ($('password-dialog').open) $('password-dialog').close();
  },
  peers() {
    renderPeople();
    $('my-name').textContent = chat.nameOf(chat.id) ?? chat.name;
    // The first answer to list-peers: history can be read now, and pictures asked for.
    const waiting = thumbsWaiting;
    thumbsWaiting = [];
    waiting.forEach((load) => load());
    for (const key of convs.keys()) if (!convs.get(key).loaded && key === convs.current) loadHistory(key);
  },
  members: membersChanged,
  message: showMessage,
  own: showOwn,
  upload: showUpload,
  ownState(cid, state, detail) {
    if (state === 'delivered') return delivered(cid, detail);
    const li = ownItems.get(cid);
    if (li) setState(li, state, detail, () => chat.retry(cid));
  },
  typing: heardTyping,
  notice,
  password(reason) {
    $('status').dataset.state = 'disconnected';
    $('status').textContent = 'Password needed';
    const r = $('password-reason');
    r.textContent = passwordTried && reason === 'wrong password' ? 'Wrong password. Try again.' : reason === 'wrong password' ? '' : reason;
    r.hidden = !r.textContent;
    if (!$('password-dialog').open) $('password-dialog').showModal();
    $('password-input').select();
  },
});

// The page's controls //

$('password-form').addEventListener('submit', () => {
  const password = $('password-input').value;
  savePassword(password);
  passwordTried = true;
  chat.retryWithPassword(password);
});
$('password-dialog').addEventListener('cancel', (e) => e.preventDefault());

$('name-button').addEventListener('click', () => {
  $('name-input').value = chat.name;
  $('name-error').hidden = true;
  $('name-dialog').showModal();
});
$('name-cancel').addEventListener('click', () => $('name-dialog').close());
$('name-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = $('name-input').value.trim();
  if (!name) return;
  const error = chat.socket?.connected ? await chat.rename(name) : null;
  if (error) {
    $('name-error').textContent = error;
    $('name-error').hidden = false;
    return;
  }
  chat.name = name;
  saveName(name);
  $('my-name').textContent = name;
  $('name-dialog').close();
});

$('join-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const room = $('join-input').value.trim();
  if (!room) return;
  const error = await chat.joinRoom(room);
  $('join-error').textContent = error ?? '';
  $('join-error').hidden = !error;
  if (error) return;
  $('join-input').value = '';
  convs.ensure(`#${room}`);
  open(`#${room}`);
});

// Leaving drops the room from the list and stops its messages: asked first, as a misclick costs the thread.
$('leave-button').addEventListener('click', () => {
  const key = convs.current;
  if (!key.startsWith('#')) return;
  $('leave-room-name').textContent = key;
  $('leave-dialog').returnValue = '';
  $('leave-dialog').showModal();
});
$('leave-cancel').addEventListener('click', () => $('leave-dialog').close());
$('leave-dialog').addEventListener('close', () => {
  const key = $('leave-room-name').textContent;
  if ($('leave-dialog').returnValue !== 'leave' || !key.startsWith('#') || ![...convs.keys()].includes(key)) return;
  chat.leaveRoom(key.slice(1));
  convs.remove(key);
  open('*');
});

$('members-button').addEventListener('click', () => {
  const shown = $('members').hidden;
  $('members').hidden = !shown;
  $('members-button').setAttribute('aria-expanded', String(shown));
});

function closeSidebar() {
  document.body.classList.remove('nav-open');
  $('nav-toggle').setAttribute('aria-expanded', 'false');
}
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && document.body.classList.contains('nav-open')) {
    closeSidebar();
    $('nav-toggle').focus();
  }
});
$('nav-toggle').addEventListener('click', () => {
  const opened = document.body.classList.toggle('nav-open');
  $('nav-toggle').setAttribute('aria-expanded', String(opened));
});

const input = $('message-input');
function sendDraft() {
  const text = input.value;
  if (!text.trim()) return;
  if (!chat.send(convs.current, text)) {
    notice(`${chat.outbox.length} messages still wait for the host: this one was not sent (your text is kept)`);
    return;
  }
  chat.typingIn(convs.current, false);
  input.value = '';
  input.rows = 1;
}
$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  sendDraft();
  input.focus();
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    sendDraft();
  }
});
input.addEventListener('input', () => {
  input.rows = Math.min(6, input.value.split('\n').length);
  chat.typingIn(convs.current, input.value.trim() !== '');
});

// Files come by the Attach button, dropped on the conversation, or pasted into the message box.
$('file-input').addEventListener('change', () => {
  sendFiles($('file-input').files);
  $('file-input').value = '';
});
input.addEventListener('paste', (e) => {
  // Text copied from some programs comes with a picture of itself: text wins, as a person meant it.
  if (!e.clipboardData?.files.length || e.clipboardData.types.includes('text/plain')) return;
  e.preventDefault();
  sendFiles(e.clipboardData.files);
});
const dropZone = $('main');
const carriesFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
let dragDepth = 0; // enter and leave fire for every child crossed
dropZone.addEventListener('dragenter', (e) => {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  dragDepth += 1;
  dropZone.classList.add('dropping');
});
dropZone.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) dropZone.classList.remove('dropping');
});
dropZone.addEventListener('drop', (e) => {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  dragDepth = 0;
  dropZone.classList.remove('dropping');
  sendFiles(e.dataTransfer.files);
});
// A file dropped anywhere else must not make the browser leave the page to show it.
for (const type of ['dragover', 'drop']) {
  window.addEventListener(type, (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    if (type === 'dragover') e.dataTransfer.dropEffect = e.target.closest?.('#main') ? 'copy' : 'none';
  });
}

$('messages').addEventListener('scroll', () => {
  if ($('messages').scrollTop < 40) loadHistory(convs.current);
});
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) {
    convs.get(convs.current).unread = 0;
    renderUnread();
  }
});
narrow.addEventListener('change', closeSidebar);

// Start: Everyone, the rooms this browser was in, and what still waits in the outbox.
$('my-name').textContent = chat.name;
convs.ensure('*', 'Everyone');
for (const room of chat.rooms) convs.ensure(`#${room}`);
for (const entry of chat.outbox) showOwn(entry);
open('*');
chat.connect();
