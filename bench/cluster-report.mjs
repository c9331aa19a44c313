// The "Cluster" section of docs/BENCHMARKS.md (issue #27), from the JSON lines bench/run.sh's
// cluster rounds collect (bench/loadgen.mjs, labels parley-cluster, node-cluster, parley-single).
// Used by bench/report.mjs in a full run, and on its own (BENCH_ONLY=cluster bench/run.sh) to
// replace just this section of an existing BENCHMARKS.md.

export const CLUSTER_TITLE = '## Cluster';

const fmt = (x, digits = 0) =>
  x == null || !Number.isFinite(x) ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs) => {
  const v = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const TITLES = {
  'fanout-500': 'Fan-out, N = 500',
  'chat-200': 'Chat, N = 200 at 1 msg/s each',
};
const KINDS = [
  ['parley-cluster', 'Parley, 2 hosts'],
  ['node-cluster', 'Node, 2 servers'],
  ['parley-single', 'Parley, 1 host'],
];
const measured = (r) => r.deliveriesPerSec != null;

/**
 * The section's lines. `stamp`: when set, a sentence saying when and at which commit it was
 * measured (for a section measured apart from the rest of the file).
 */
export function clusterSection(rows, stamp, argsById = {}) {
  const out = [];
  const w = (line = '') => out.push(line);
  w(CLUSTER_TITLE);
  w();
  if (stamp) {
    w(`Measured on its own (\`BENCH_ONLY=cluster bench/run.sh\`) on ${stamp.date}, Parley commit ${stamp.commit},`);
    w(`load average (1, 5, 15 min) ${stamp.loadBefore ?? '–'} before and ${stamp.loadAfter ?? '–'} after; the rest of this file is`);
    w('from the run named at its top.');
    w();
  }
  if (!rows.some(measured)) {
    const failed = rows.filter((r) => r.ok === false).map((r) => `${r.label}: ${r.error ?? `exit ${r.exit}`}`);
    w(`Not measured in this run${failed.length ? ` (${failed.join('; ')})` : ''}.`);
    w();
    return out;
  }
  w('Two Parley hosts (`--cluster` on one `redis-server`, `--store` on a fresh PostgreSQL database, the');
  w('options of the A/B rounds otherwise) against two Node tutorial servers with the official');
  w('`@socket.io/redis-streams-adapter` on the same Redis (`interop/tutorial-server.mjs --redis=`),');
  w('the same load generator putting client *i* on server *i* mod 2 (the fan-out sender on the first),');
  w('so most deliveries cross Redis. Beside them, one Parley host on a fresh database of the same');
  w('PostgreSQL without `--cluster`: the same work without the adapter. Rounds run in turn (2 Parley');
  w('hosts, 2 Node servers, 1 Parley host), each with fresh servers. Redis and PostgreSQL are the');
  w('benchmark\'s own (`app.parley.testing.BenchEngines`: loopback, temporary data, PostgreSQL with');
  w('fsync off); every process shares the machine\'s cores. Parley stores every message in');
  w('PostgreSQL (its history, sequence numbers and dedupe); the Node servers keep nothing.');
  w('*Server CPU* is the hosts\' together, in % of one core; *µs/delivery* is that CPU per delivery;');
  w('*Redis* and *PostgreSQL* are their processes\' CPU (PostgreSQL\'s postmaster and its backends).');
  w('Medians over the rounds. On this 2-core machine the servers, Redis, PostgreSQL and the load');
  w('generator share the cores: *machine CPU %* near 200 % means the machine, not one server, was the');
  w('limit, and two JVMs on two shared cores pay for it in CPU per delivery too.');
  w();
  const scenarios = [...new Set(rows.map((r) => r.id))];
  for (const id of scenarios) {
    const list = rows.filter((r) => r.id === id);
    const med = (label, f) => median(list.filter((r) => r.label === label && measured(r)).map(f));
    w(`### ${TITLES[id] ?? id}`);
    w();
    if (argsById[id]) {
      w(`Load generator: \`${argsById[id]}\` (` + (id.startsWith('fanout')
        ? `three times the single-host rounds' messages, so that the measured phase lasts 5-15 s, and six times their warm-up: each server warms up on its share, and each JVM's compiler had not settled after less).`
        : `twice the single-host rounds' warm-up: each server warms up on its share).`));
      w();
    }
    const pc = med('parley-cluster', (r) => r.deliveriesPerSec);
    const nc = med('node-cluster', (r) => r.deliveriesPerSec);
    const pp = med('parley-cluster', (r) => r.p99);
    const np = med('node-cluster', (r) => r.p99);
    const costCluster = med('parley-cluster', (r) => r.serverCpuUsPerDelivery);
    const costSingle = med('parley-single', (r) => r.serverCpuUsPerDelivery);
    const chat = id.startsWith('chat');
    if (pc != null && nc != null && chat) {
      const kept = (label) => list.filter((r) => r.label === label).every((r) => r.ok);
      w(`- **Deliveries/s**: the offered load is fixed (${fmt(list[0]?.offeredPerSec)} messages/s), so this says only whether each kept up: 2 Parley hosts ${kept('parley-cluster') ? 'did' : '**did not**'}, 2 Node servers ${kept('node-cluster') ? 'did' : '**did not**'} (every message to every receiver, once).`);
    } else if (pc != null && nc != null) {
      const speed = pc / nc;
      w(`- **Deliveries/s, 2 Parley hosts / 2 Node servers: ${speed.toFixed(2)}×** (goal ≥ 1.5×: ${speed >= 1.5 ? 'met' : '**missed**'}).`);
    }
    if (pp != null && np != null) {
      w(`- **p99: ${fmt(pp, 1)} ms against ${fmt(np, 1)} ms** (goal: at or under Node's: ${pp <= np ? 'met' : '**missed**'}).`);
    }
    if (costCluster != null && costSingle != null) {
      const over = costCluster / costSingle - 1;
      w(`- **The adapter's cost**: ${fmt(costCluster, 1)} µs of host CPU per delivery in the cluster (both hosts), ${fmt(costSingle, 1)} µs on one host: ${over >= 0 ? '+' : ''}${fmt(over * 100)} %.`);
    }
    w();
    w('| | deliveries/s | p50 ms | p99 ms | server CPU % | µs/delivery | Redis CPU % | PostgreSQL CPU % | server RSS MB (sum) | lost / dup |');
    w('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [label, title] of KINDS) {
      const mine = list.filter((r) => r.label === label);
      if (!mine.length) continue;
      const m = (f) => med(label, f);
      const lost = mine.reduce((n, r) => n + (r.lost ?? 0), 0);
      const dup = mine.reduce((n, r) => n + (r.duplicates ?? 0), 0);
      const failed = mine.filter((r) => !measured(r)).length;
      w(`| ${title}${failed ? ` (${failed} of ${mine.length} rounds failed)` : ''} | ${fmt(m((r) => r.deliveriesPerSec))} | ${fmt(m((r) => r.p50), 1)} | ${fmt(m((r) => r.p99), 1)} | `
        + `${fmt(m((r) => r.serverCpuPct))} | ${fmt(m((r) => r.serverCpuUsPerDelivery), 1)} | ${fmt(m((r) => r.brokerCpuPct))} | ${fmt(m((r) => r.storeCpuPct))} | `
        + `${fmt(m((r) => r.serverRssMaxMB))} | ${lost} / ${dup} |`);
    }
    const clustered = KINDS.filter(([label]) => label !== 'parley-single'
      && list.some((r) => r.label === label && r.sameServerP99 != null));
    if (clustered.length) {
      w();
      w('Deliveries to a socket on the sender\'s own server and on the other one (medians over the rounds):');
      w();
      w('| | sender\'s server p50 / p99 ms | other server p50 / p99 ms |');
      w('|---|---:|---:|');
      for (const [label, title] of clustered) {
        const m = (f) => fmt(med(label, f), 1);
        w(`| ${title} | ${m((r) => r.sameServerP50)} / ${m((r) => r.sameServerP99)} | ${m((r) => r.otherServerP50)} / ${m((r) => r.otherServerP99)} |`);
      }
    }
    w();
    w('Per round:');
    w();
    w('| round | kind | deliveries/s | p99 ms | server CPU % | loadgen CPU % | machine CPU % | ok |');
    w('|---:|---|---:|---:|---:|---:|---:|---|');
    for (const r of list) {
      const title = KINDS.find(([l]) => l === r.label)?.[1] ?? r.label;
      w(`| ${r.round} | ${title} | ${fmt(r.deliveriesPerSec)} | ${fmt(r.p99, 1)} | ${fmt(r.serverCpuPct)} | ${fmt(r.loadgenCpuPct)} | ${fmt(r.machineCpuPct)} | ${r.ok ? 'yes' : `no${r.error ? `: ${r.error}` : ''}`} |`);
    }
    w();
  }
  return out;
}
