// DOM builders. Peer data (text, names, rooms) only ever goes in through textContent or as an
// attribute value set with DOM APIs; links are built only for http and https addresses.
const LINK = /\bhttps?:\/\/[^\s<>"'\u0000-\u001f\u007f]+/g;
const TRAILING = /[.,;:!?)\]}]+$/;

/** An element with a class and text, or children. */
export function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** The text as text nodes, with http(s) addresses made into links that open apart from this page. */
export function linkified(text) {
  const fragment = document.createDocumentFragment();
  let at = 0;
  for (const match of text.matchAll(LINK)) {
    const raw = match[0].replace(TRAILING, '');
    let url;
    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    fragment.append(document.createTextNode(text.slice(at, match.index)));
    const a = el('a', null, raw);
    a.href = url.href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    fragment.append(a);
    at = match.index + raw.length;
  }
  fragment.append(document.createTextNode(text.slice(at)));
  return fragment;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** One message line: who, when, the text (or `body`, a file's card), and for one's own the delivery state. */
export function messageItem(message, senderName, body) {
  const li = el('li', message.mine ? 'message own' : 'message');
  if (message.seq) li.dataset.seq = String(message.seq);
  const head = el('div', 'message-head');
  const who = el('bdi', 'sender', message.mine ? 'You' : senderName);
  const when = el('time', 'time', timeFormat.format(new Date(message.time)));
  when.dateTime = new Date(message.time).toISOString();
  head.append(who, ' ', when);
  if (body) {
    li.append(head, body);
    return li;
  }
  const text = el('p', 'text');
  text.dir = 'auto';
  text.append(linkified(message.text));
  li.append(head, text);
  return li;
}

/** Sets an own message's state line: sending, delivered, or failed with its reason and Retry. */
export function setState(li, state, detail, onRetry) {
  li.querySelector('.state')?.remove();
  li.dataset.state = state;
  const line = el('div', `state ${state}`);
  if (state === 'sending') line.append('Sending…');
  if (state === 'delivered') line.append('Delivered');
  if (state === 'failed') {
    line.append(el('span', null, detail || 'Not delivered.'), ' ');
    const retry = el('button', 'retry', 'Retry');
    retry.type = 'button';
    retry.addEventListener('click', onRetry);
    line.append(retry);
  }
  li.append(line);
}

/** Inserts a message by its place in the conversation (seq); unnumbered ones go last. */
export function insertBySeq(list, li) {
  const seq = Number(li.dataset.seq);
  if (!seq) {
    list.append(li);
    return;
  }
  for (let node = list.lastElementChild; node; node = node.previousElementSibling) {
    const other = Number(node.dataset.seq);
    if (other && other < seq) {
      node.after(li);
      return;
    }
  }
  list.prepend(li);
}


