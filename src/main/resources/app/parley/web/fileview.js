// DOM builders for files (docs/PROTOCOL.md §15): the card of a file message, with a thumbnail for
// a picture, and the line of an upload under way. The name and type are peer data: textContent only.
import { el } from './view.js';

const PICTURE_PIXELS = 50e6; // the host's limit (§15.4): nothing larger is drawn
const THUMB_WIDTH = 320;
const THUMB_HEIGHT = 240;
// Controls and bidi overrides/isolates (report\u202Efdp.exe shown as reportexe.pdf): the host
// removes them (§15.5); the page does too, whatever host it talks to.
const UNSHOWN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A file name as the page shows it. */
export function shownName(name) {
  return name.replace(UNSHOWN, '') || 'file';
}

/** "1.2 MB", as the host writes sizes in a file message's text. */
export function readableSize(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function button(className, text, onClick) {
  const b = el('button', className, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/**
 * The card for `file` (meta.file): name, size and type, and Download; a picture also gets a
 * thumbnail sized from meta (so the list does not jump when it loads) that `actions.thumbnail(img)`
 * fills in. An expired file says so and offers nothing.
 */
export function fileCard(file, actions) {
  const card = el('div', 'file-card');
  const name = shownName(file.name);
  const info = el('div', 'file-info', el('bdi', 'file-name', name), el('span', 'file-meta', `${readableSize(file.size)} · ${file.type}`));
  if (file.expired) {
    info.append(el('span', 'file-expired', 'expired on the host'));
    card.append(info);
    return card;
  }
  if (file.width && file.height && file.width * file.height <= PICTURE_PIXELS && file.type.startsWith('image/')) {
    const scale = Math.min(1, THUMB_WIDTH / file.width, THUMB_HEIGHT / file.height);
    const img = el('img', 'thumb');
    img.alt = name;
    img.width = Math.max(1, Math.round(file.width * scale));
    img.height = Math.max(1, Math.round(file.height * scale));
    const open = button('thumb-button', img, actions.download);
    open.title = `Download ${name}`;
    card.append(open);
    actions.thumbnail(img);
  }
  card.append(info, button('download', 'Download', actions.download));
  return card;
}

/** The line of an upload under way: name, a progress bar, what is done and left, and Cancel. */
export function uploadItem(upload, onCancel, onRetry) {
  const li = el('li', 'message own upload');
  li.dataset.upload = upload.cid;
  const bar = el('progress', 'upload-bar');
  bar.max = Math.max(1, upload.size);
  const status = el('span', 'upload-status');
  const retry = button('retry', 'Retry', onRetry);
  const cancel = button('upload-cancel', 'Cancel', onCancel);
  cancel.setAttribute('aria-label', `Cancel sending ${shownName(upload.name)}`);
  li.append(
    el('div', 'message-head', el('bdi', 'sender', 'You'), ' ', el('bdi', 'file-name', shownName(upload.name)), ' ', el('span', 'file-meta', readableSize(upload.size))),
    el('div', 'upload-row', bar, cancel),
    el('div', 'state', status, retry),
  );
  setUploadProgress(li, upload);
  return li;
}

export function setUploadProgress(li, upload) {
  const bar = li.querySelector('.upload-bar');
  const status = li.querySelector('.upload-status');
  li.dataset.state = upload.state;
  li.querySelector('.retry').hidden = upload.state !== 'failed';
  status.parentElement.className = upload.state === 'failed' ? 'state failed' : 'state';
  if (upload.state === 'hashing') {
    bar.value = upload.hashed;
    status.textContent = `Checking… ${Math.floor((100 * upload.hashed) / Math.max(1, upload.size))} %`;
    return;
  }
  bar.value = upload.have;
  if (upload.state === 'failed') status.textContent = upload.error;
  else if (upload.state === 'queued') status.textContent = 'Waiting to send…';
  else status.textContent = sendingLine(upload);
}

function sendingLine(upload) {
  const done = `${readableSize(upload.have)} of ${readableSize(upload.size)}`;
  if (upload.waiting) return `Waiting for the host… ${done}`;
  if (!upload.speed) return `Sending… ${done}`;
  const left = upload.secondsLeft;
  const time = left === null ? '' : left < 60 ? `, ${left} s left` : `, ${Math.ceil(left / 60)} min left`;
  return `Sending… ${done} (${readableSize(Math.round(upload.speed))}/s${time})`;
}
