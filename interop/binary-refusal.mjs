// Binary against a Parley host: refused with a clear error, nothing delivered, the connection
// and the other clients unaffected. Usage: node binary-refusal.mjs <url> <websocket|polling|default>
import { connectPeer, emitLine, globalTimeout, QUIET_MS, short, sleep, WAIT_MS } from './lib.mjs';

const [url, mode = 'default'] = process.argv.slice(2);
globalTimeout(30_000, 'binary-refusal.mjs');
let failed = false;
const check = (name, ok, detail) => {
  emitLine({ check: name, ok, detail });
  if (!ok) failed = true;
};

const sender = await connectPeer(url, mode, 'sender');
const other = await connectPeer(url, mode, 'other');

// With an ack: the ack carries the refusal.
const ack = await sender.ack('send-message', Buffer.from([0, 1, 2, 250]), '');
check('binary-send-refused-in-ack', ack && ack.ok === false && /binary/.test(ack.error) && /base64/.test(ack.error),
  JSON.stringify(ack));

// Without an ack: a parley-error event says why.
sender.socket.emit('custom-event', { file: Buffer.from('hello') });
const error = await sender.waitFor('parley-error', () => true, WAIT_MS).then((e) => e.args[0], (e) => e.message);
check('binary-event-refused-by-parley-error', error && error.ok === false && error.event === 'custom-event'
  && /binary/.test(error.error), JSON.stringify(error));

await sleep(QUIET_MS);
check('nothing-binary-delivered', other.seen('receive-message').length === 0,
  `other received ${JSON.stringify(other.seen('receive-message').map((e) => e.args[0]))}`);

// The same connection still works, and the base64 convention carries the bytes: every byte
// value, sent as text through the host, decoded from what the other client received.
const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const base64 = bytes.toString('base64');
const okAck = await sender.ack('send-message', base64, '');
const got = await other.waitForMessage(base64).then(() => true, () => false);
check('text-still-flows-after-refusal', okAck && okAck.ok === true && got && sender.socket.connected,
  JSON.stringify(okAck));
const received = other.seen('receive-message').map((e) => e.args[0]);
const decoded = received.length === 1 && typeof received[0] === 'string' ? Buffer.from(received[0], 'base64') : null;
check('base64-round-trip', decoded !== null && decoded.equals(bytes) && decoded.toString('base64') === received[0],
  `other received ${JSON.stringify(received.map((text) => short(String(text))))}, decoded ${decoded?.length} bytes`);

sender.close();
other.close();
process.exit(failed ? 1 : 0);
