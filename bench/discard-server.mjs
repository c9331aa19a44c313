// The client-to-host baselines of the Files benchmark (bench/run.sh): a plain HTTP server on
// 127.0.0.1 that reads every request body and answers 204. The Parley host has no HTTP upload of
// its own, so `curl -T FILE` to this is what "a plain HTTP upload" costs on this machine.
//
//   node bench/discard-server.mjs             drops each body: only the bytes through loopback
//   node bench/discard-server.mjs --keep DIR  writes each body to a file in DIR, as a host that
//                                             keeps an upload would (no hashing, no fsync)
//
// Prints "listening PORT", on a port the kernel picks.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

const keep = process.argv[2] === '--keep' ? process.argv[3] : null;
if (process.argv[2] === '--keep' && !keep) {
  console.error('usage: node bench/discard-server.mjs [--keep DIR]');
  process.exit(2);
}
let uploads = 0;

const server = http.createServer((req, res) => {
  let bytes = 0;
  req.on('data', (chunk) => {
    bytes += chunk.length;
  });
  const answer = () => {
    res.writeHead(204, { 'x-received-bytes': String(bytes) });
    res.end();
  };
  if (!keep) {
    req.on('end', answer);
    req.resume();
    return;
  }
  const file = path.join(keep, `upload-${++uploads}.bin`);
  pipeline(req, fs.createWriteStream(file)).then(answer, (e) => {
    res.writeHead(500);
    res.end(String(e));
  });
});
server.requestTimeout = 600_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
