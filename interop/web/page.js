// The tutorial's client script (shared/seed/socket-io-notes.md) with the server address taken from
// ?server=… (default the seed's http://localhost:3000) and connect errors shown on the page.
// window.tutorialPage mirrors what the page saw, for test drivers.
const server = new URLSearchParams(location.search).get('server') || 'http://localhost:3000';
const messageContainer = document.getElementById('message-container');
const messageInput = document.getElementById('message-input');
const roomInput = document.getElementById('room-input');
const joinRoomButton = document.getElementById('room-button');
const form = document.getElementById('form');
document.getElementById('server').textContent = `Server: ${server} (page origin ${location.origin})`;

const state = { id: null, connected: false, transport: null, received: [], acks: [], errors: [] };
window.tutorialPage = state;

const socket = io(server);
socket.io.on('open', () => {
  state.transport = socket.io.engine.transport.name;
  socket.io.engine.on('upgrade', (transport) => {
    state.transport = transport.name;
  });
});

socket.on('connect', () => {
  state.id = socket.id;
  state.connected = true;
  displayMessage(`You connected with id: ${socket.id}`);
});

socket.on('connect_error', (err) => {
  state.errors.push(err.message);
  displayMessage(`connect_error: ${err.message}`, 'error');
});

socket.on('disconnect', () => {
  state.connected = false;
});

socket.on('receive-message', (message, meta) => {
  state.received.push({ message, meta: meta ?? null });
  displayMessage(message);
});

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const message = messageInput.value;
  const room = roomInput.value;
  if (message === '') return;
  displayMessage(message);
  socket.emit('send-message', message, room);
  messageInput.value = '';
});

joinRoomButton.addEventListener('click', () => {
  const room = roomInput.value;
  socket.emit('join-room', room, (message) => {
    state.acks.push(message);
    displayMessage(message);
  });
});

function displayMessage(message, kind) {
  const div = document.createElement('div');
  div.textContent = message;
  if (kind) div.className = kind;
  messageContainer.append(div);
}
