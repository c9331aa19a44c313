// The conversations the page knows (Everyone, rooms, direct ones), each with its own message
// list, its sidebar entry and unread count. Only the open one's list is shown.
import { el } from './view.js';

const NEAR_BOTTOM_PX = 80;
const ORDER = { '*': 0, '#': 1, '@': 2 };

export class Conversations {
  constructor(sidebar, scroller, onOpen) {
    this.sidebar = sidebar;
    this.scroller = scroller;
    this.onOpen = onOpen;
    this.all = new Map();
    this.current = '*';
  }

  keys() {
    return this.all.keys();
  }

  get(key) {
    return this.all.get(key) ?? this.ensure(key);
  }

  title(key) {
    return this.all.get(key)?.title ?? key;
  }

  /** The conversation for `key`, made (with its sidebar entry and list) on first use. */
  ensure(key, title) {
    const known = this.all.get(key);
    if (known) return known;
    const name = title ?? (key === '*' ? 'Everyone' : key.startsWith('#') ? key.slice(1) : 'Someone');
    const list = el('ol', 'message-list');
    list.hidden = true;
    list.dataset.key = key;
    this.scroller.append(list);
    const label = el('bdi', 'conv-name', name);
    const badge = el('span', 'badge');
    badge.hidden = true;
    const button = el('button', 'conv-button', el('span', 'conv-kind', key.startsWith('#') ? '#' : key.startsWith('@') ? '@' : ''), label, badge);
    button.type = 'button';
    button.addEventListener('click', () => this.onOpen(key));
    const item = el('li', 'conv', button);
    const conv = { key, title: name, unread: 0, ids: new Set(), list, item, button, label, badge, loaded: false, more: true, loading: false };
    this.all.set(key, conv);
    const sorted = [...this.all.values()].sort((a, b) => ORDER[a.key[0]] - ORDER[b.key[0]]);
    this.sidebar.replaceChildren(...sorted.map((c) => c.item));
    return conv;
  }

  retitle(key, title) {
    const conv = this.all.get(key);
    if (!conv || !title) return;
    conv.title = title;
    conv.label.textContent = title;
  }

  remove(key) {
    const conv = this.all.get(key);
    if (!conv || key === '*') return;
    conv.list.remove();
    conv.item.remove();
    this.all.delete(key);
  }

  open(key) {
    const conv = this.get(key);
    this.current = key;
    for (const c of this.all.values()) {
      c.list.hidden = c !== conv;
      if (c === conv) c.button.setAttribute('aria-current', 'page');
      else c.button.removeAttribute('aria-current');
    }
    conv.unread = 0;
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** Adds a line with `place(list)`; follows the bottom if it was in view (or `follow` forces it). */
  insert(key, li, place, follow) {
    const conv = this.get(key);
    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < NEAR_BOTTOM_PX;
    place(conv.list);
    if (key === this.current && (atBottom || (follow && li.classList.contains('own')))) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }
  }

  /** Before older lines are put on top: returns what keeps the reader's place afterwards. */
  keepScroll(key) {
    const before = this.scroller.scrollHeight - this.scroller.scrollTop;
    const first = this.get(key).list.childElementCount === 0;
    return () => {
      if (key !== this.current) return;
      this.scroller.scrollTop = first ? this.scroller.scrollHeight : this.scroller.scrollHeight - before;
    };
  }

  oldestSeq(key) {
    let oldest = 0;
    for (const li of this.get(key).list.children) {
      const seq = Number(li.dataset.seq);
      if (seq && (oldest === 0 || seq < oldest)) oldest = seq;
    }
    return oldest;
  }

  /** Updates every badge; returns the total unread. */
  renderUnread() {
    let total = 0;
    for (const c of this.all.values()) {
      total += c.unread;
      c.badge.hidden = c.unread === 0;
      c.badge.textContent = c.unread > 99 ? '99+' : String(c.unread);
      c.button.setAttribute('aria-label', c.unread ? `${c.title}, ${c.unread} unread` : c.title);
    }
    return total;
  }
}
