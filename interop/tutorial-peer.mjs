// A scriptable socket.io-client 4.8 peer for tests: JSON commands on stdin, JSON events on stdout.
//
//   node interop/tutorial-peer.mjs <server url> [websocket|polling|default]
//
// Commands (one JSON object per line):
//   {"op":"join","room":"design","tag":"j1"}         -> {"event":"ack","op":"join","tag":"j1","reply":"Joined design"}
//   {"op":"send","text":"hi","room":"","tag":"s1"}   -> emits send-message(text, room) without an ack, as
//                                                       the tutorial does -> {"event":"sent","tag":"s1"}
//   {"op":"close"}                                   -> disconnects and exits 0
// Events: {"event":"connected","id","transport"}, {"event":"<incoming event>","args":[...]} (e.g.
// receive-message), {"event":"connect_error","message"}, {"event":"disconnect","reason"},
// {"event":"error",...}. Exits when stdin closes, and after 5 minutes whatever happens.
import { io } from 'socket.io-client';
import { emitLine, readCommands, transportsFor, WAIT_MS } from './lib.mjs';

const [url, mode = 'default'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node tutorial-peer.mjs <server url> [websocket|polling|default]');
  process.exit(2);
}
setTimeout(() => {
  emitLine({ event: 'error', detail: 'tutorial-peer.mjs ran for 5 minutes; exiting' });
  process.exit(3);
}, 300_000).unref();

const options = { forceNew: true, reconnection: false, timeout: WAIT_MS };
if (transportsFor(mode)) options.transports = transportsFor(mode);
const socket = io(url, options);
socket.on('connect', () => emitLine({ event: 'connected', id: socket.id, transport: socket.io.engine.transport.name }));
socket.on('connect_error', (err) => emitLine({ event: 'connect_error', message: err.message }));
socket.on('disconnect', (reason) => emitLine({ event: 'disconnect', reason }));
socket.onAny((event, ...args) => emitLine({ event, args }));

function quit() {
  socket.disconnect();
  setTimeout(() => process.exit(0), 100);
}

readCommands(async (command) => {
  switch (command.op) {
    case 'join': {
      const reply = await socket.timeout(WAIT_MS).emitWithAck('join-room', command.room);
      emitLine({ event: 'ack', op: 'join', tag: command.tag, reply });
      break;
    }
    case 'send':
      socket.emit('send-message', command.text, command.room ?? '');
      emitLine({ event: 'sent', tag: command.tag });
      break;
    case 'close':
      quit();
      break;
    default:
      emitLine({ event: 'error', tag: command.tag, detail: `unknown op ${command.op}` });
  }
}, quit);
