// Serves the tutorial's browser page (interop/web/) and socket.io-client's browser bundle, on
// 127.0.0.1 only.
//
//   node interop/static-server.mjs [port=8080]      then open http://localhost:8080/?server=http://localhost:3000
//
// Port 8080 is the seed page's origin, which a Parley host allows by default.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const FILES = {
  '/': ['web/index.html', 'text/html; charset=utf-8'],
  '/index.html': ['web/index.html', 'text/html; charset=utf-8'],
  '/page.js': ['web/page.js', 'text/javascript; charset=utf-8'],
  '/socket.io.min.js': ['node_modules/socket.io-client/dist/socket.io.min.js', 'text/javascript; charset=utf-8'],
};

/** Starts a static server on 127.0.0.1:`port` (0 = any); resolves with the http.Server and its origin. */
export function serveTutorialPage(port = 0) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    const file = FILES[path];
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    try {
      const body = await readFile(here + file[0]);
      res.writeHead(200, { 'Content-Type': file[1], 'Cache-Control': 'no-store' }).end(body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(err.message);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({ server, origin: `http://localhost:${server.address().port}` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { origin } = await serveTutorialPage(Number(process.argv[2] ?? 8080));
  console.log(`serving the tutorial page at ${origin}/`);
}
