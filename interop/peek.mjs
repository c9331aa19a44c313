import { io } from 'socket.io-client';
const url = process.argv[2];
const mk = () => io(url, { transports: ['websocket'], forceNew: true });
const a = mk(), b = mk();
b.io.engine?.on('packet', p => console.log('B pkt', JSON.stringify(p).slice(0, 900)));
b.on('connect', () => { b.io.engine.on('packet', p => console.log('B pkt', JSON.stringify(p).slice(0, 900))); });
a.on('connect', async () => {
  await new Promise(r => setTimeout(r, 300));
  console.log('A join', await a.emitWithAck('join-room', 'bench'));
  console.log('B join', await b.emitWithAck('join-room', 'bench'));
  await new Promise(r => setTimeout(r, 300));
  console.log('--- send');
  a.emit('send-message', 'm1|123.4|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'bench');
  await new Promise(r => setTimeout(r, 500));
  process.exit(0);
});
