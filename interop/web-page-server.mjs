// Serves Parley's web client (src/main/resources/app/parley/web/ and socket.io-client's browser
// bundle at /vendor/socket.io.min.js) with the host's Content-Security-Policy, and passes
// /socket.io/ through to a Parley host, Host and Origin headers untouched: the page talks to
// its own origin, as it does when the host serves it. For working on the page without a build.
//
//   node interop/web-page-server.mjs <host url> [port=8081]
import { readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const WEB = join(here, '..', 'src', 'main', 'resources', 'app', 'parley', 'web');
const BUNDLE = join(here, 'node_modules', 'socket.io-client', 'dist', 'socket.io.min.js');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Starts the server on 127.0.0.1:`port` (0 = any); resolves with { server, origin }. */
export function serveWebPage(hostUrl, port = 0) {
  const host = new URL(hostUrl);
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path.startsWith('/socket.io/')) {
      const upstream = request({ host: host.hostname, port: host.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      return;
    }
    const file = path === '/' ? join(WEB, 'index.html') : path === '/vendor/socket.io.min.js' ? BUNDLE : normalize(join(WEB, path));
    if (!file.startsWith(WEB) && file !== BUNDLE) return res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        Connection: 'close',
      }).end(body);
    } catch {
      res.writeHead(404, { Connection: 'close' }).end();
    }
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(Number(host.port), host.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, origin: `http://localhost:${server.address().port}` }));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { origin } = await serveWebPage(process.argv[2] ?? 'http://127.0.0.1:3000', Number(process.argv[3] ?? 8081));
  console.log(`serving Parley's web client at ${origin}/`);
}
