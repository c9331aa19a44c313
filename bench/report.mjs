// Turns bench/run.sh's JSON lines (one per round, from bench/loadgen.mjs) into docs/BENCHMARKS.md.
//
//   node bench/report.mjs --results FILE.jsonl --out docs/BENCHMARKS.md [--elapsed S] [--rounds R]
//        [--load-before "a b c"] [--load-after "a b c"] [--scenario-args "id<TAB>args\n..."]
//        [--parley-cmd "..."] [--node-cmd "..."] [--page-results FILE.jsonl]
//   node bench/report.mjs --only page --page-results FILE.jsonl --out docs/BENCHMARKS.md
//        replaces only the "Page load" section of an existing file (BENCH_ONLY=page bench/run.sh)
//   node bench/report.mjs --only files --files-results FILE.jsonl --out docs/BENCHMARKS.md
//        replaces only the "Files" section (BENCH_ONLY=files bench/run.sh)
//   node bench/report.mjs --only cluster --cluster-results FILE.jsonl --out docs/BENCHMARKS.md
//        replaces only the "Cluster" section (BENCH_ONLY=cluster bench/run.sh)
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { CLUSTER_TITLE, clusterSection } from './cluster-report.mjs';
import { FILES_TITLE, filesSection } from './files-report.mjs';
import { pageLoadSection, spliceSection } from './page-report.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1] ?? '';
const readLines = (file) => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
};
const pageRows = readLines(args['page-results']);
const filesRows = readLines(args['files-results']);
const clusterRows = readLines(args['cluster-results']);
const clusterArgs = Object.fromEntries((args['cluster-args'] ?? '').split('\n').filter(Boolean).map((l) => l.split('\t')));
if (['page', 'files', 'cluster'].includes(args.only)) {
  if (!args.out) {
    process.stderr.write('report: need --out FILE\n');
    process.exit(2);
  }
  const at = (cmd) => {
    try {
      return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  const dirty = at('git status --porcelain -- src pom.xml bench');
  const commit = `${at('git rev-parse --short HEAD')}${dirty && dirty !== 'unknown' ? ' (with uncommitted changes to src/, pom.xml or bench/)' : ''}`;
  const date = args.finished || new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const stamp = { date, commit, loadBefore: args['load-before'], loadAfter: args['load-after'] };
  const doc = existsSync(args.out) ? readFileSync(args.out, 'utf8') : '# Benchmarks\n\n';
  if (args.only === 'cluster') {
    writeFileSync(args.out, spliceSection(doc, clusterSection(clusterRows, stamp, clusterArgs), CLUSTER_TITLE));
    process.stderr.write(`report: wrote the Cluster section of ${args.out} (${clusterRows.length} rounds)\n`);
  } else if (args.only === 'files') {
    writeFileSync(args.out, spliceSection(doc, filesSection(filesRows, stamp), FILES_TITLE));
    process.stderr.write(`report: wrote the Files section of ${args.out} (${filesRows.length} lines)\n`);
  } else {
    writeFileSync(args.out, spliceSection(doc, pageLoadSection(pageRows, stamp)));
    process.stderr.write(`report: wrote the Page load section of ${args.out} (${pageRows.length} loads)\n`);
  }
  process.exit(0);
}
if (!args.results || !args.out) {
  process.stderr.write('report: need --results FILE and --out FILE\n');
  process.exit(2);
}

const rows = readFileSync(args.results, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

const sh = (cmd) => {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return 'unknown';
  }
};
const require = createRequire(new URL('../interop/package.json', import.meta.url));
const version = (pkg) => {
  try {
    return require(`${pkg}/package.json`).version;
  } catch {
    return 'unknown';
  }
};

const machine = {
  nproc: sh('nproc'),
  cpu: sh("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sort -u | tr '\\n' ' '") || os.cpus()[0]?.model,
  ram: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  kernel: `${os.type()} ${os.release()} (${os.arch()})`,
  java: sh('java -version 2>&1').split('\n').join('; '),
  node: process.version,
  socketio: `socket.io ${version('socket.io')}, socket.io-client ${version('socket.io-client')}`,
  commit: (() => {
    const head = sh('git rev-parse --short HEAD');
    const dirty = sh('git status --porcelain -- src pom.xml');
    return dirty && dirty !== 'unknown' ? `${head} (with uncommitted changes to src/ or pom.xml)` : `${head} (src/ and pom.xml as committed)`;
  })(),
};

const SCENARIO_TITLES = {
  'fanout-100': 'Fan-out, N = 100',
  'fanout-500': 'Fan-out, N = 500',
  'fanout-1000': 'Fan-out, N = 1000',
  'chat-200': 'Chat, N = 200 at 1 msg/s each',
};
const scenarioArgs = Object.fromEntries(
  (args['scenario-args'] ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')),
);
const ids = [...new Set(rows.map((r) => r.id))];

const median = (xs) => {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (x, digits = 0) =>
  x == null || !Number.isFinite(x) ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (x) => (x == null ? '–' : `${x.toFixed(2)}×`);
const measuredOk = (r) => r.deliveriesPerSec != null;
/** The median over one side's measured rounds of a scenario summary of `f(round)`. */
const sideMedian = (summary, label, f) => median(summary.list.filter((x) => x.label === label && measuredOk(x)).map(f));

/** Per-round ratios Parley/Node (round i against round i), then their median. */
function pairRatio(list, field) {
  const byRound = new Map();
  for (const r of list.filter(measuredOk)) {
    const slot = byRound.get(r.round) ?? {};
    slot[r.label] = r[field];
    byRound.set(r.round, slot);
  }
  const ratios = [];
  for (const slot of byRound.values()) {
    if (slot.parley != null && slot.node != null && slot.node > 0) ratios.push(slot.parley / slot.node);
  }
  return { median: median(ratios), ratios };
}

function summarise(id) {
  const list = rows.filter((r) => r.id === id);
  const side = (label) => list.filter((r) => r.label === label && measuredOk(r));
  const p = side('parley');
  const n = side('node');
  const sum = (xs, f) => xs.reduce((a, r) => a + (r[f] ?? 0), 0);
  const usPerDelivery = (xs) => median(xs.map((r) => (r.serverCpuPct == null ? null : ((r.serverCpuPct / 100) * 1e6) / r.deliveriesPerSec)));
  return {
    id,
    list,
    parley: { dps: median(p.map((r) => r.deliveriesPerSec)), p99: median(p.map((r) => r.p99)), rounds: p.length,
      cpuUs: usPerDelivery(p), rss: median(p.map((r) => r.serverRssMaxMB)) },
    node: { dps: median(n.map((r) => r.deliveriesPerSec)), p99: median(n.map((r) => r.p99)), rounds: n.length,
      cpuUs: usPerDelivery(n), rss: median(n.map((r) => r.serverRssMaxMB)) },
    dpsRatio: pairRatio(list, 'deliveriesPerSec'),
    p99Ratio: pairRatio(list, 'p99'),
    lost: { parley: sum(p, 'lost'), node: sum(n, 'lost') },
    dup: { parley: sum(p, 'duplicates'), node: sum(n, 'duplicates') },
    failed: list.filter((r) => !r.ok),
  };
}
const summaries = ids.map(summarise);

// ---- the app itself (bench/run.sh after the A/B scenarios; optional) ----
const appRows = (() => {
  try {
    return readFileSync(args['app-results'], 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
})();
const appOf = (id, label) => appRows.filter((r) => r.id === id && (label == null || r.label === label));
const idle = { parley: appOf('idle', 'parley')[0], node: appOf('idle', 'node')[0] };
const ui = appOf('ui-ingest')[0];
// The window's JVM options: those the app ships (jpackage/jvm.options), or the JVM's defaults.
const uiJvm = (u) => (u.jvmOptions?.length ? `JVM options the app ships: \`${u.jvmOptions.join(' ')}\`` : 'no jpackage/jvm.options: the JVM\'s default heap sizing');
const launches = appOf('launch').filter((r) => r.ok);
const launch = launches.length ? { ms: median(launches.map((r) => r.firstFrameMs)), rss: median(launches.map((r) => r.idleRssMB)), n: launches.length } : null;
const installer = appOf('installer')[0];

// ---- the document ----
const out = [];
const w = (line = '') => out.push(line);
const date = args.finished || new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

w('# Benchmarks');
w();
w(`Generated by \`bench/run.sh\` on ${date}; the whole run took ${fmt(Number(args.elapsed) / 60, 1)} min. Re-running`);
w('the command replaces this file. Numbers are from one run on the machine below, Parley and Node');
w('alternating round by round (A B A B A B), so both saw the same machine state.');
if (args.pinned === '1') {
  w();
  w('**Pinned run (`BENCH_PIN=1`), a diagnosis:** every server ran on CPU 1 and the load generator on');
  w('CPU 0 (`taskset`), so neither competed with the other for a core. The recorded benchmark is not');
  w('pinned.');
}
w();
w('## Headline: Parley host / Node `socket.io` server');
w();
w('Ratio = median over rounds of (Parley round *i*) / (Node round *i*). Deliveries/s: higher is');
w('better, so a ratio above 1 means Parley moved more. p99 latency: lower is better, so a ratio');
w('above 1 means Parley was slower.');
w();
w('| Scenario | Deliveries/s Parley | Deliveries/s Node | Ratio P/N | p99 ms Parley | p99 ms Node | Ratio P/N | Lost (P / N) | Duplicates (P / N) | Server CPU µs per delivery (P / N) | Server RSS MB (P / N) |');
w('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const s of summaries) {
  w(
    `| ${SCENARIO_TITLES[s.id] ?? s.id} | ${fmt(s.parley.dps)} | ${fmt(s.node.dps)} | **${ratio(s.dpsRatio.median)}** | ` +
      `${fmt(s.parley.p99, 1)} | ${fmt(s.node.p99, 1)} | **${ratio(s.p99Ratio.median)}** | ${s.lost.parley} / ${s.lost.node} | ${s.dup.parley} / ${s.dup.node} | ` +
      `${fmt(s.parley.cpuUs, 1)} / ${fmt(s.node.cpuUs, 1)} | ${fmt(s.parley.rss)} / ${fmt(s.node.rss)} |`,
  );
}
w();
w('Deliveries/s and p99 columns are the medians of each side\'s rounds; the ratios are medians of');
w('per-round ratios, so they need not equal the quotient of the two medians. Server CPU µs per');
w('delivery = server CPU time over the measured phase / deliveries (median of rounds): the cost of');
w('one delivery whatever the number of cores used. Server RSS: the largest sample in the measured');
w('phase (median of rounds).');
w();

// ---- setup ----
w('Connecting and joining the N clients (before anything is measured; medians of rounds):');
w();
w('| Scenario | Setup s Parley | Setup s Node | Server CPU s Parley | Server CPU s Node | `peers` events received (Parley) | Server RSS MB after setup (P / N) |');
w('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const s of summaries) {
  const of = (label, f) => sideMedian(s, label, f);
  w(
    `| ${SCENARIO_TITLES[s.id] ?? s.id} | ${fmt(of('parley', (x) => (x.connectMs + x.joinMs) / 1000), 1)} | ${fmt(of('node', (x) => (x.connectMs + x.joinMs) / 1000), 1)} | ` +
      `${fmt(of('parley', (x) => x.connectServerCpuS), 1)} | ${fmt(of('node', (x) => x.connectServerCpuS), 1)} | ${fmt(of('parley', (x) => x.peersEventsDuringSetup))} | ` +
      `${fmt(of('parley', (x) => x.serverRssConnectedMB))} / ${fmt(of('node', (x) => x.serverRssConnectedMB))} |`,
  );
}
w();

// ---- per message: the fixed path before the first delivery, and the broadcast's spread ----
w('Per message, over all its receivers (medians of rounds): *first* is from the send to the first');
w('receiver, the server\'s fixed path before any delivery; *spread* is from the first receiver to the');
w('last, how long the broadcast took to reach everyone.');
w();
w('| Scenario | First p50 ms (P / N) | First p99 ms (P / N) | Spread p50 ms (P / N) | Spread p99 ms (P / N) |');
w('| --- | ---: | ---: | ---: | ---: |');
for (const s of summaries) {
  const both = (f) => `${fmt(sideMedian(s, 'parley', f), 2)} / ${fmt(sideMedian(s, 'node', f), 2)}`;
  w(
    `| ${SCENARIO_TITLES[s.id] ?? s.id} | ${both((x) => x.firstDeliveryP50)} | ${both((x) => x.firstDeliveryP99)} | ` +
      `${both((x) => x.spreadP50)} | ${both((x) => x.spreadP99)} |`,
  );
}
w();

// ---- verdicts against issue #8's targets ----
w('## Against the targets of issue #8');
w();
const verdict = (ok) => (ok == null ? 'not measured' : ok ? 'met' : '**missed**');
for (const s of summaries) {
  const title = SCENARIO_TITLES[s.id] ?? s.id;
  const clean = s.lost.parley === 0 && s.dup.parley === 0 && s.failed.filter((r) => r.label === 'parley').length === 0;
  if (s.id.startsWith('fanout')) {
    const dpsOk = s.dpsRatio.median == null ? null : s.dpsRatio.median >= 1.5;
    const p99Ok = s.p99Ratio.median == null ? null : s.p99Ratio.median <= 1;
    w(`- ${title}: deliveries/s ≥ 1.5× Node: ${verdict(dpsOk)} (${ratio(s.dpsRatio.median)}); p99 ≤ Node's: ${verdict(p99Ok)} (${ratio(s.p99Ratio.median)}); no lost or duplicated deliveries: ${verdict(clean)}.`);
  } else {
    const p99Ok = s.p99Ratio.median == null ? null : s.p99Ratio.median <= 1;
    w(`- ${title}: p99 ≤ Node's: ${verdict(p99Ok)} (${ratio(s.p99Ratio.median)}); no lost or duplicated deliveries: ${verdict(clean)}.`);
  }
}
if (appRows.length) {
  const ip = idle.parley;
  w(`- Idle connections: ${ip?.ok ? `${fmt(ip.held)} held with server RSS ${fmt(ip.serverRssHoldMaxMB)} MB; 10,000 within 1 GiB: ${verdict(ip.held >= 10000 && ip.serverRssHoldMaxMB <= 1024)}` : `not measured (${ip?.error ?? 'no result'})`}.`);
  w(`- UI ingest: ${ui?.ok ? `longest gap between two FX pulses ${fmt(ui.maxPulseGapMs, 1)} ms at ${fmt(ui.perSecondOffered)} msgs/s offered (${fmt(ui.ingestPerSec)} shown per second); no stall over 50 ms: ${verdict(ui.perSecondOffered >= 10000 && ui.maxPulseGapMs <= 50)}; ${fmt(ui.inConversation ?? ui.messages)} messages in the conversation${ui.hostInOwnProcess ? '' : ' (warm-up included)'}, heap after GC ${fmt(ui.heapAfterGcMB)} MB, RSS ${fmt(ui.rssMB, 1)} MB; under 300 MB at 100k: heap ${verdict(ui.messages >= 100000 && ui.heapAfterGcMB < 300)}, ${ui.hostInOwnProcess ? `RSS of the window's process (host and senders in another; ${uiJvm(ui)})` : 'RSS of the whole process (host and 8 senders included, default heap sizing)'} ${verdict(ui.messages >= 100000 && ui.rssMB < 300)}` : `not measured (${ui?.error ?? 'no result'})`}.`);
  w(`- Launch to window: ${launch ? `${fmt(launch.ms)} ms (median of ${launch.n}); ≤ 1.5 s: ${verdict(launch.ms <= 1500)}. Idle RSS of the app: ${fmt(launch.rss)} MB; ≤ 150 MB: ${verdict(launch.rss <= 150)}` : 'not measured'}.`);
  w(`- Installer size: ${installer?.ok ? `${installer.file} is ${fmt(installer.bytes / 1e6, 1)} MB (${fmt(installer.bytes)} bytes)` : `not measured (${installer?.error ?? 'no result'})`}.`);
} else {
  w('- The app itself (idle connections, UI ingest, launch to window, idle RSS, installer size) was not measured in this run (`BENCH_APP=0`).');
}
w();

// ---- saturation flags ----
w('## Who was saturated');
w();
w('CPU is a percentage of one core over the measured phase (the machine has ' + machine.nproc + ' cores; 100 % is');
w('one full core). Node\'s server runs JavaScript on one thread, so ~100 % is its ceiling; Parley\'s');
w('Netty threads can use every core, but share them with the load generator. The load generator is');
w('a coordinator and worker processes (each one JavaScript thread); its figure is their sum, and');
w('"busiest worker" is the one closest to its own 100 % ceiling.');
w();
for (const s of summaries) {
  const title = SCENARIO_TITLES[s.id] ?? s.id;
  const part = (label) => {
    const r = s.list.filter((x) => x.label === label && measuredOk(x));
    return `${label === 'parley' ? 'Parley' : 'Node'} server ${fmt(median(r.map((x) => x.serverCpuPct)))} %, loadgen ${fmt(median(r.map((x) => x.loadgenCpuPct)))} % (busiest worker ${fmt(median(r.map((x) => x.loadgenBusiestWorkerCpuPct)))} %), other ${fmt(median(r.map((x) => x.otherCpuPct)))} %, whole machine ${fmt(median(r.map((x) => x.machineCpuPct)))} %`;
  };
  w(`- ${title} (medians): ${part('parley')}; ${part('node')}.`);
}
w();
const noisy = rows.filter((r) => measuredOk(r) && r.otherCpuPct != null && r.otherCpuPct >= 25);
w(
  noisy.length
    ? `**Other work on the machine**: in ${noisy.length} of ${rows.length} rounds, ≥ 25 % of a core went to neither server nor loadgen (${noisy.map((r) => `${r.id} ${r.label} ${r.round}: ${r.otherCpuPct} %`).join(', ')}); those rounds are less trustworthy.`
    : 'Other CPU use (neither server nor loadgen) stayed under 25 % of a core in every round (it is the difference of three separately read counters, so ± 5 % is noise, hence the small negative values).',
);
// A worker near its own 100 %, or the whole machine near all of its cores: then the load
// generator (or the machine it shares with the server) is what limits deliveries/s.
const cores = Number(machine.nproc) || 1;
const hot = rows.filter((r) => measuredOk(r) && ((r.loadgenBusiestWorkerCpuPct ?? r.loadgenCpuPct) >= 90 || (r.machineCpuPct ?? 0) >= cores * 90));
w();
w(
  hot.length
    ? `In ${hot.length} of ${rows.length} rounds (${[...new Set(hot.map((r) => `${r.id} ${r.label}`))].join(', ')}) a load-generator process used ≥ 90 % of a core or the whole machine was ≥ 90 % busy: there the load generator or the machine, not only the server, limits deliveries/s.`
    : 'No load-generator process reached 90 % of a core and the machine never reached 90 % of all its cores in any round.',
);
w();

// ---- per-scenario tables ----
w('## Per round');
w();
w('Columns: deliveries/s over the measured phase (first send to last delivery); latency percentiles in');
w('ms (receive time − send time, one clock: the load generator\'s); lost = expected − distinct');
w('(receiver, message) deliveries; dup = repeats; server CPU and its largest RSS sampled every 200 ms');
w('during the measured phase (`/proc/PID/stat`, `/proc/PID/status`); loadgen CPU from');
w('`process.cpuUsage()`; other CPU = the whole machine\'s busy time (`/proc/stat`) minus server and');
w('loadgen: other programs, or kernel work charged to neither; setup = connecting and joining every');
w('client, before anything is measured.');
w();
for (const s of summaries) {
  w(`### ${SCENARIO_TITLES[s.id] ?? s.id}`);
  w();
  if (scenarioArgs[s.id]) w(`Loadgen arguments: \`${scenarioArgs[s.id]}\``);
  w();
  w('| Round | Server | Deliveries/s | p50 | p95 | p99 | max | Lost | Dup | Server CPU % | Server RSS MB | Loadgen CPU % | Other CPU % | Setup s | Phase s |');
  w('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of [...s.list].sort((a, b) => a.round - b.round || (a.label === 'parley' ? -1 : 1))) {
    if (!measuredOk(r)) {
      w(`| ${r.round} | ${r.label} | failed: ${String(r.error ?? 'no result').replace(/\|/g, '/')}${r.serverOutOfMemory ? ' (server OutOfMemoryError)' : ''}${r.serverKilled ? ' (server needed SIGKILL)' : ''} | | | | | | | | | | | | |`);
      continue;
    }
    const extra = [];
    if (r.stalled) extra.push('stalled');
    if (r.disconnects) extra.push(`${r.disconnects} disconnects`);
    if (r.unexpected) extra.push(`${r.unexpected} unexpected`);
    if (r.serverOutOfMemoryDuringRun) extra.push('OutOfMemoryError during the run');
    else if (r.serverOutOfMemory) extra.push('OutOfMemoryError after the measurement');
    if (r.serverKilled) extra.push('needed SIGKILL to stop');
    w(
      `| ${r.round} | ${r.label}${extra.length ? ` (${extra.join(', ')})` : ''} | ${fmt(r.deliveriesPerSec)} | ${fmt(r.p50, 1)} | ${fmt(r.p95, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.max, 1)} | ` +
        `${r.lost} | ${r.duplicates} | ${fmt(r.serverCpuPct)} | ${fmt(r.serverRssMaxMB)} | ${fmt(r.loadgenCpuPct)} | ${fmt(r.otherCpuPct)} | ` +
        `${fmt((r.connectMs + r.joinMs) / 1000, 1)} | ${fmt(r.seconds, 1)} |`,
    );
  }
  w();
  const fmtRatios = (x) => x.ratios.map((v) => v.toFixed(2)).join(', ') || '–';
  w(`Per-round ratios Parley/Node: deliveries/s ${fmtRatios(s.dpsRatio)} (median ${ratio(s.dpsRatio.median)}); p99 ${fmtRatios(s.p99Ratio)} (median ${ratio(s.p99Ratio.median)}).`);
  const setup = (label) => median(s.list.filter((x) => x.label === label && measuredOk(x)).map((x) => (x.connectMs + x.joinMs) / 1000));
  const peers = median(s.list.filter((x) => x.label === 'parley' && measuredOk(x)).map((x) => x.peersEventsDuringSetup));
  const rssConn = (label) => median(s.list.filter((x) => x.label === label && measuredOk(x)).map((x) => x.serverRssConnectedMB));
  const setupCpu = (label) => median(s.list.filter((x) => x.label === label && measuredOk(x)).map((x) => x.connectServerCpuS));
  w(
    `Setup (median): Parley ${fmt(setup('parley'), 1)} s (server CPU ${fmt(setupCpu('parley'), 1)} s, ${fmt(peers)} \`peers\` events received by the clients), ` +
      `Node ${fmt(setup('node'), 1)} s (server CPU ${fmt(setupCpu('node'), 1)} s). Server RSS with every client connected: Parley ${fmt(rssConn('parley'))} MB, Node ${fmt(rssConn('node'))} MB.`,
  );
  const stops = (label) => s.list.filter((x) => x.label === label);
  const stopText = (label) => {
    const r = stops(label);
    const killed = r.filter((x) => x.serverKilled).length;
    return `${label === 'parley' ? 'Parley' : 'Node'} ${fmt(median(r.map((x) => x.serverStopSeconds)), 1)} s` + (killed ? ` (${killed} of ${r.length} needed SIGKILL after 5 s)` : '');
  };
  w(`Stopping the server (SIGTERM once the load generator has exited and its sockets closed; median): ${stopText('parley')}, ${stopText('node')}.`);
  if (s.failed.length) {
    w();
    w(`**Not clean:** ${s.failed.length} round(s) failed a check (lost, duplicated or unexpected deliveries, a stall, a disconnect, or an error): ` +
      s.failed.map((r) => `${r.label} round ${r.round}${r.error ? ` (${r.error})` : ''}${r.serverOutOfMemory ? ' (OutOfMemoryError in the server log' + (r.serverOutOfMemoryDuringRun ? ', already during the run)' : ', after the measurement)') : ''}`).join('; ') + '.');
  }
  w();
}

// ---- the app itself, in detail ----
if (appRows.length) {
  w('## The app itself');
  w();
  w('Measured once each, after the scenarios above.');
  w();
  w('**Idle connections.** The load generator connects the clients (websocket, 200 per source address),');
  w('joins them to one room, then holds them still for the time given; the server\'s RSS is sampled');
  w('every 200 ms while they are held.');
  w();
  w('| Server | Held | Setup s | Server RSS while held, max MB | Server RSS peak MB | Server CPU % while idle |');
  w('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const label of ['parley', 'node']) {
    const r = idle[label];
    if (!r) continue;
    w(r.ok || r.held != null
      ? `| ${label} | ${fmt(r.held)} of ${fmt(r.clients)} | ${fmt((r.connectMs + r.joinMs) / 1000, 1)} | ${fmt(r.serverRssHoldMaxMB)} | ${fmt(r.serverRssPeakMB)} | ${fmt(r.serverIdleCpuPct)} |`
      : `| ${label} | failed: ${String(r.error).replace(/\|/g, '/')} | | | | |`);
  }
  w();
  w('**UI ingest** (`app.parley.app.UiIngestBench`): the real chat window (ChatView and its view');
  w('model, joined by address with Parley\'s client to a real host on loopback) in a JVM of its own,');
  w('started with the JVM options the app ships (`jpackage/jvm.options`, if there is one), as a');
  w('user\'s app would be. The host and 8 socket.io-client-java senders (not in the room) run in');
  w('another JVM and send `send-message` to a room only the window has joined, at the offered rate,');
  w('until the total is reached. Both share this machine\'s cores with the window. Warm-up floods');
  w('come first and are not measured, each to a room the window leaves afterwards, until the JIT');
  w('compiler threads of both JVMs use under 5% of a core (at least 100,000 messages, at most');
  w('600,000 or 60 s). The longest gap between two pulses of the FX thread (an `AnimationTimer`)');
  w('is the longest the window could not repaint; every message shown is counted. Heap and RSS are');
  w('the window\'s process only, read after three `System.gc()` with exactly the measured messages in');
  w('the conversation; peak RSS is the most the process held at any time (`VmHWM`).');
  w();
  if (ui) {
    w('| Offered msgs/s | Messages | Shown | Seconds | Shown per s | Longest pulse gap ms | Gaps over 50 ms | Heap after GC MB | Heap committed MB | RSS MB | Peak RSS MB | Toolkit |');
    w('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    w(ui.ok || ui.received != null
      ? `| ${fmt(ui.perSecondOffered)} | ${fmt(ui.messages)} | ${fmt(ui.received)} | ${fmt(ui.seconds, 1)} | ${fmt(ui.ingestPerSec)} | ${fmt(ui.maxPulseGapMs, 1)} | ${fmt(ui.pulseGapsOver50ms)} | ${fmt(ui.heapAfterGcMB)} | ${ui.heapCommittedMB == null ? '–' : fmt(ui.heapCommittedMB)} | ${fmt(ui.rssMB, 1)} | ${ui.peakRssMB == null ? '–' : fmt(ui.peakRssMB, 1)} | ${ui.toolkit} |`
      : `| failed: ${String(ui.error).replace(/\|/g, '/')} | | | | | | | | | | | |`);
    w();
    if (ui.hostInOwnProcess) {
      w(`Warm-up: ${fmt(ui.warmupMessages)} messages in ${fmt(ui.warmupSeconds, 1)} s. While measuring: the FX thread used`);
      w(`${fmt(ui.fxCpuMs)} ms of CPU, the window's JIT ${fmt(ui.windowJitMs)} ms and the host's ${fmt(ui.loadJitMs)} ms; CPU in % of one of`);
      w(`${fmt(ui.cores)} cores: window's process ${fmt(ui.windowCpuPct)}, host and senders ${fmt(ui.loadCpuPct)}, everything else on the`);
      w(`machine ${fmt(ui.otherCpuPct)} (load average ${ui.loadAverage}). Longest wait of a task handed to the FX thread`);
      w(`${fmt(ui.maxRunLaterWaitMs, 1)} ms. Window's JVM: ${uiJvm(ui)}.`);
      w();
    }
  }
  const how = appOf('launch')[0]?.how;
  w(how === 'app image'
    ? '**Launch to window**: `target/jpackage/image/parley/bin/parley`, the app image `jpackage/build.sh` leaves: the packaged launcher, linked runtime, `jpackage/jvm.options` and the class data sharing archive, as the `.deb` installs them (`-Dparley.reportStartup=true` through `JAVA_TOOL_OPTIONS`). It opens the start'
    : '**Launch to window**: `java <jpackage/jvm.options> -Dparley.reportStartup=true -cp … app.parley.app.Launcher`, from the build tree (no app image from `jpackage/build.sh`, or an older one than the sources, so without the class data sharing archive the package has). It opens the start');
  w('screen, as a double-click does, under Xvfb; the app prints when its first frame was drawn,');
  w('counted from the start of the process (from `/proc`: the process\'s start and the uptime, both');
  w('since boot, 10 ms resolution). Idle RSS is read 5 s later. The app runs with the environment its');
  w('menu entry gives it (`GDK_GL=disable`, from the `Exec=env …` line of `jpackage/linux/parley.desktop`;');
  w('the UI ingest window too): GTK then skips an OpenGL probe JavaFX never uses (see docs/INSTALLERS.md).');
  w();
  w('| Launch | First frame ms | Idle RSS MB |');
  w('| ---: | ---: | ---: |');
  for (const r of appOf('launch')) w(`| ${r.launch} | ${fmt(r.firstFrameMs)} | ${fmt(r.idleRssMB, 1)} |`);
  w();
  w(`**Installer**: ${installer?.ok ? `\`${installer.file}\`, ${fmt(installer.bytes)} bytes.` : `${installer?.error ?? 'not measured'}.`}`);
  w();
}

// ---- the web page (bench/page-load.mjs; optional) ----
if (pageRows.length) for (const line of pageLoadSection(pageRows)) w(line);

// ---- files (app.parley.app.FilesBench and curl; optional) ----
if (filesRows.length) for (const line of filesSection(filesRows)) w(line);

// ---- the cluster (two Parley hosts against two Node servers on one Redis; optional) ----
if (clusterRows.length) for (const line of clusterSection(clusterRows, null, clusterArgs)) w(line);

// ---- how ----
w('## How it is measured');
w();
w('- **Command**: `bench/run.sh` (not part of `mvn verify`). It builds Parley');
w('  (`mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt`),');
w('  runs `npm ci` in `interop/` if its packages are missing, then for every scenario runs rounds');
w(`  A B A B … (${args.rounds ?? 3} rounds each; A = Parley, B = Node). Every round starts a fresh server process`);
w('  on a port the kernel picks, runs the load generator once, and stops the server (SIGTERM, then');
w('  SIGKILL after 5 s). Before each round it waits (at most 30 s) for the machine to be ≥ 85 % idle.');
w(`- **Parley**: \`${args['parley-cmd'] ?? ''}\`. The two rate options lift Parley's`);
w('  anti-flood limits (by default 20 chat events a second per connection, 500 Engine.IO packets a');
w('  second), which the Node tutorial server does not have; without them the sender would be refused.');
w('  Everything else is as shipped: no per-message deflate, and the JVM options of `jpackage/host-jvm.options` (serial');
w('  GC among them), with which the installed headless host, `parley-host`, runs.');
w(`- **Node**: \`${args['node-cmd'] ?? ''}\`: the tutorial contract (\`interop/tutorial-server.mjs\`,`);
w('  `socket.io` from `interop/package-lock.json`), default options (no per-message deflate).');
w('- **Load generator** (`bench/loadgen.mjs`): N `socket.io-client` sockets, websocket transport');
w('  only, spread over two worker processes forked by a coordinator (the fan-out sender lives in the');
w('  coordinator), connected 50 at a time and all joined to room `bench`. With one process, parsing');
w('  every delivery held the load generator to one core before Parley\'s server was busy. Fan-out:');
w('  socket 0 sends M messages to the room with at most 50 not yet delivered to all N − 1 others;');
w('  chat: each of the 200 sockets sends 1 message a second, staggered evenly, for 15 s, each going');
w('  to the 199 others. Each text is `<seq>|<send time>|` plus 48 bytes of padding; send and');
w('  receive times are read from one clock (milliseconds since the epoch at microsecond resolution,');
w('  shared by every process on the machine). A warm-up phase with the same traffic');
w('  (`--warmup` messages, or `--warmup-seconds` of chat) runs first and is not counted, so both the');
w('  JVM and V8 have compiled the hot paths. The server\'s CPU and RSS are read from `/proc` at the');
w('  start and end of, and every 200 ms during, the measured phase.');
w('- **Reading fan-out latency**: the fan-out is a closed loop (at most 50 messages in flight), so');
w('  its latency is mostly queueing, about 50 × (N − 1) / deliveries per second: fan-out p99 follows');
w('  throughput. The chat scenario is open-loop (a fixed 200 messages/s, 39,800 deliveries/s');
w('  offered) and is the latency test; there deliveries/s only says whether the server kept up.');
w('- **Differences that remain**: Parley sends a `meta` object (`from`, `kind`, `room`, `time`,');
w('  `id`, docs/PROTOCOL.md §4.1) with every `receive-message`, about 140 more bytes per delivery');
w('  for the clients to parse; it is part of Parley\'s protocol and is measured as it is. Presence');
w('  (`peers-changed`, §4.4) goes only to clients that asked for the list, which these do not. Clients');
w('  connect from 127.0.0.2, 127.0.0.3, … (200 sockets per address) because Parley allows at most');
w('  256 connections per address; both servers get the same.');
w('- Everything listens on and connects to 127.0.0.1 (and 127.0.0.x) only. Each loadgen run has a');
w('  time limit (180 s, 300 s for N = 1000) and every phase stops on its own (a delivery stall of');
w('  10 s ends it).');
w();
w('## Machine');
w();
w('| | |');
w('| --- | --- |');
w(`| CPUs (nproc) | ${machine.nproc} |`);
w(`| CPU model | ${machine.cpu.trim()} |`);
w(`| RAM | ${machine.ram} |`);
w(`| Kernel | ${machine.kernel} |`);
w(`| Java | ${machine.java} |`);
w(`| Node | ${machine.node} |`);
w(`| Node packages | ${machine.socketio} |`);
w(`| Parley commit | ${machine.commit} |`);
w(`| Load average (1, 5, 15 min) before / after | ${args['load-before'] ?? '–'} / ${args['load-after'] ?? '–'} |`);
w();

writeFileSync(args.out, out.join('\n'));
process.stderr.write(`report: wrote ${args.out} (${rows.length} rounds)\n`);
