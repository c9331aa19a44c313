// Copies socket.io-client's browser bundle, as installed by `npm ci` from package-lock.json, into the
// classes folder the host serves its web client from. Run by Maven at generate-resources:
//   node copy-bundle.mjs <target/classes/app/parley/web/vendor>
// Fails the build with a sentence when the package is missing or is not the version pinned here.
import { copyFileSync, mkdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = process.argv[2];
if (!target) {
  console.error("usage: node copy-bundle.mjs <vendor folder>");
  process.exit(2);
}
const pinned = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).dependencies["socket.io-client"];
const packageDir = join(here, "node_modules", "socket.io-client");
const bundle = join(packageDir, "dist", "socket.io.min.js");
if (!existsSync(bundle)) {
  console.error(`socket.io-client's browser bundle is missing (${bundle}): run \`npm ci\` in web/ (Maven does it at generate-resources; it needs npm on the PATH).`);
  process.exit(1);
}
const installed = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).version;
if (installed !== pinned) {
  console.error(`web/node_modules holds socket.io-client ${installed}, web/package.json pins ${pinned}: run \`npm ci\` in web/.`);
  process.exit(1);
}
mkdirSync(target, { recursive: true });
copyFileSync(bundle, join(target, "socket.io.min.js"));
console.log(`socket.io-client ${installed} browser bundle → ${join(target, "socket.io.min.js")}`);
