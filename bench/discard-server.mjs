// The client-to-host baseline of the Files benchmark (bench/run.sh): a plain HTTP server on
// 127.0.0.1 that reads every request body and drops it, then answers 204. The Parley host has no
// HTTP upload of its own, so `curl -T FILE` to this is what "a plain HTTP upload" costs on this
// machine: no disk, no hashing, only the bytes through loopback and one Node process.
//
//   node bench/discard-server.mjs      prints "listening PORT", on a port the kernel picks
import http from 'node:http';

const server = http.createServer((req, res) => {
  let bytes = 0;
  req.on('data', (chunk) => {
    bytes += chunk.length;
  });
  req.on('end', () => {
    res.writeHead(204, { 'x-received-bytes': String(bytes) });
    res.end();
  });
});
server.requestTimeout = 600_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
