// The "Page load" section of docs/BENCHMARKS.md, from bench/page-load.mjs's JSON lines. Used by
// bench/report.mjs in a full run, and on its own (BENCH_ONLY=page bench/run.sh) to replace just
// this section of an existing BENCHMARKS.md.

const TITLE = '## Page load';
const LABELS = {
  parley: 'Parley\'s web client, served by the Parley host',
  seed: 'The seed\'s page (`interop/web/`, `interop/static-server.mjs`) against the Node tutorial server',
};

const median = (xs) => {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (x, digits = 0) =>
  x == null || !Number.isFinite(x) ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * The section's lines. `rows`: every line of page-load.mjs (warm-up loads are left out here);
 * `stamp`: when set, a sentence saying when and at which commit it was measured (for a section
 * measured apart from the rest of the file).
 */
export function pageLoadSection(rows, stamp) {
  const measured = rows.filter((r) => r.id === 'page-load' && !r.warmUp);
  const out = [];
  const w = (line = '') => out.push(line);
  w(TITLE);
  w();
  if (stamp) {
    w(`Measured on its own (\`BENCH_ONLY=page bench/run.sh\`) on ${stamp.date}, Parley commit ${stamp.commit},`);
    w(`load average (1, 5, 15 min) ${stamp.loadBefore ?? '–'} before and ${stamp.loadAfter ?? '–'} after; the rest of this file is`);
    w('from the run named at its top.');
    w();
  }
  if (!measured.length) {
    w('Not measured in this run.');
    w();
    return out;
  }
  w('Each load is a fresh headless Chromium with an empty profile (a cold cache, no open');
  w('connection) opening the page over loopback at 1280 × 800; Parley and the seed\'s page alternate,');
  w('after one load of each that is not counted. Times are from the navigation\'s start: the');
  w('document\'s first byte, first contentful paint (`performance.getEntriesByName(\'first-contentful-paint\')`),');
  w('the load event, and the page first showing "You connected with id". Bytes are every HTTP');
  w('response until the page is connected and loaded, as received (headers included; DevTools');
  w('protocol, `Network.loadingFinished`); WebSocket frames are not counted. Page code: the HTML,');
  w('the page\'s own scripts and CSS; other: the icon and Engine.IO\'s polling requests before the');
  w('upgrade. Medians of the loads.');
  w();
  w('| Page | Loads | First byte ms | First contentful paint ms | Load event ms | Connected ms | Bytes total | socket.io bundle | Page code | Other | Bundle + page code, bodies only |');
  w('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const label of ['parley', 'seed']) {
    const all = measured.filter((r) => r.label === label);
    const ok = all.filter((r) => r.ok);
    if (!ok.length) {
      const error = all.find((r) => r.error)?.error ?? 'no result';
      w(`| ${LABELS[label]} | 0 of ${all.length} | failed: ${String(error).replace(/\|/g, '/')} | | | | | | | | |`);
      continue;
    }
    const m = (f) => median(ok.map(f));
    w(`| ${LABELS[label]} | ${ok.length} of ${all.length} | ${fmt(m((r) => r.firstByteMs))} | ${fmt(m((r) => r.fcpMs))} | ${fmt(m((r) => r.loadMs))} | ${fmt(m((r) => r.connectedMs))} | `
      + `${fmt(m((r) => r.bytes.total))} | ${fmt(m((r) => r.bytes.bundle))} | ${fmt(m((r) => r.bytes.page))} | ${fmt(m((r) => r.bytes.other))} | `
      + `${fmt(m((r) => r.bodyBytes.bundle + r.bodyBytes.page))} |`);
  }
  w();
  for (const label of ['parley', 'seed']) {
    const ok = measured.filter((r) => r.label === label && r.ok);
    if (!ok.length) continue;
    const files = ok[0].requests.filter((q) => q.kind !== 'other')
      .map((q) => `\`${q.path.split('?')[0]}\` ${fmt(q.wire)}${q.encoding ? ` (${q.encoding})` : ''}`);
    w(`- ${label === 'parley' ? 'Parley' : 'Seed'}: first contentful paint per load ${ok.map((r) => fmt(r.fcpMs)).join(', ')} ms; `
      + `connected ${ok.map((r) => fmt(r.connectedMs)).join(', ')} ms. Files, bytes received: ${files.join(', ')}.`);
  }
  w();
  w('The seed\'s static server sends its files uncompressed; the Parley host sends gzip to a browser');
  w('that accepts it. Parley\'s first paint comes after its stylesheet; the seed\'s after its');
  w('socket.io bundle, a script in its head without `defer`. Every load starts a browser, so these');
  w('times include a cold renderer; on a shared machine they vary from run to run by tens of');
  w('milliseconds.');
  w();
  return out;
}

/**
 * `doc` (the text of a BENCHMARKS.md) with its section titled `title` (by default Page load)
 * replaced by `section`, or, when it has none, with `section` put before "## How it is measured"
 * (or at the end).
 */
export function spliceSection(doc, section, title = TITLE) {
  const lines = doc.split('\n');
  const start = lines.indexOf(title);
  if (start >= 0) {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    lines.splice(start, end - start, ...section);
  } else {
    let at = lines.indexOf('## How it is measured');
    if (at < 0) at = lines.length;
    lines.splice(at, 0, ...section);
  }
  return lines.join('\n');
}
