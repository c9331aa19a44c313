// The "Files" section of docs/BENCHMARKS.md (issue #26), from the JSON lines bench/run.sh collects:
// app.parley.app.FilesBench's (Parley up and down, the host's link) and the curl baselines. Used by
// bench/report.mjs in a full run, and on its own (BENCH_ONLY=files bench/run.sh) to replace just
// this section of an existing BENCHMARKS.md.

export const FILES_TITLE = '## Files';

const fmt = (x, digits = 0) =>
  x == null || !Number.isFinite(x) ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok) => (ok == null ? 'not measured' : ok ? 'met' : '**missed**');
const threads = (p) => (p?.busiestThreads ?? []).slice(0, 4).map((t) => `${t.thread} ${fmt(t.cpuPct)} %`).join(', ');

/**
 * The section's lines. `stamp`: when set, a sentence saying when and at which commit it was
 * measured (for a section measured apart from the rest of the file).
 */
export function filesSection(rows, stamp) {
  const out = [];
  const w = (line = '') => out.push(line);
  w(FILES_TITLE);
  w();
  if (stamp) {
    w(`Measured on its own (\`BENCH_ONLY=files bench/run.sh\`) on ${stamp.date}, Parley commit ${stamp.commit},`);
    w(`load average (1, 5, 15 min) ${stamp.loadBefore ?? '–'} before and ${stamp.loadAfter ?? '–'} after; the rest of this file is`);
    w('from the run named at its top.');
    w();
  }
  // Each direction once per round: round 1 in JVMs that have not compiled the file code yet.
  const runs = rows.filter((r) => r.id === 'files' && r.direction);
  const parley = (d) => runs.find((r) => r.direction === d);
  const rounds = [...new Set(runs.map((r) => r.round ?? 1))].sort((a, b) => a - b);
  const each = (f) => {
    for (const round of rounds) for (const d of ['up', 'down']) {
      const p = runs.find((r) => r.direction === d && (r.round ?? 1) === round);
      if (p) f(p, d, round);
    }
  };
  const title = (d, round) => `${d === 'up' ? 'Client → host (up)' : 'Host → client (down)'}, ${round === 1 ? 'first file' : `file ${round}`}`;
  // The median run of each curl baseline: 'nowhere' (the bytes dropped) or 'kept' (written to disk).
  const curlRuns = (d, b) => rows.filter((r) => r.id === 'files-curl' && r.direction === d && (r.baseline ?? 'nowhere') === b);
  const curlOf = (d, b) => {
    const ok = curlRuns(d, b).filter((r) => r.ok).sort((x, y) => x.mbPerSec - y.mbPerSec);
    return ok.length ? ok[(ok.length - 1) >> 1] : curlRuns(d, b)[0];
  };
  const curl = (d) => curlOf(d, 'kept');
  const nowhere = (d) => curlOf(d, 'nowhere');
  const failed = rows.filter((r) => r.ok === false);
  if (!parley('up') && !parley('down')) {
    w(`Not measured in this run${failed.length ? ` (${failed.map((r) => r.error ?? `exit ${r.exit}`).join('; ')})` : ''}.`);
    w();
    return out;
  }
  const bytes = (parley('up') ?? parley('down')).bytes;
  w(`One file of ${fmt(bytes / 1e6)} MB of random bytes over loopback, once each way. MB are 10^6 bytes. Parley:`);
  w('a headless host in its own process (`jpackage/host-jvm.options`, the shipped chat and packet');
  w('rates, `--max-file-size 300MB`, history and files in a temporary directory) and Parley\'s client');
  w('(`ClientConnection`, the options a joining window uses: polling, then the upgrade to WebSocket)');
  w('in another JVM with the window\'s options (`jpackage/jvm.options`), `app.parley.app.FilesBench`.');
  w('**Up** is `sendFile` to Everyone, timed from the call to its `done()`: the client offers the file');
  w('at once and sends chunks with at most `window` = 8 unacked, hashing each (SHA-256) as it reads');
  w('it, then names the hash in `file-complete` (docs/PROTOCOL.md §15.2); chunks start at 32 KiB and grow to');
  w('the host\'s 512 KiB as the link holds (a cut costs at most an eighth of what got through since');
  w('the last one); the host writes and');
  w('hashes the chunks on its disk thread and checks the SHA-256 before it stores the message.');
  w('**Down** is a second connection\'s `receiveFile` of that message, timed the same way: `file-read`s');
  w('growing from 32 to 512 KiB the same way, up to 8 on their way, written to a `.part` in order,');
  w('hashed, checked and moved to its');
  w('name (§15.3). *Wire MB/s* leaves out what comes before the first acknowledged bytes (the offer;');
  w('the first read). Both ways run');
  w(`${rounds.length} times with the same bytes (each upload a message of its own): the first file in JVMs`);
  w('that have not compiled the file code yet, as a user\'s first file; the next ones warm.');
  w();
  const runs3 = Math.max(curlRuns('up', 'kept').length, curlRuns('down', 'kept').length);
  w('Baselines with `curl`, each the median of ' + runs3 + ' runs: **down**, `curl -o FILE` of the same bytes from');
  w('the host\'s own download link (`file-link`, `/files/<token>/<name>`): a plain HTTP download from the');
  w('same host process, kept on the same disk as Parley\'s receiver keeps it. **Up**: the host has no');
  w('HTTP upload, so `curl -T` (PUT, no `Expect: 100-continue`) of the same file to');
  w('`bench/discard-server.mjs --keep`, a Node `http.createServer` on 127.0.0.1 that writes the body to');
  w('a file and answers 204, as a host keeping an upload would. Neither hashes. **Ratio** = Parley MB/s');
  w('/ that curl MB/s in the same direction: the issue\'s "plain HTTP upload of the same file to the');
  w('host", which keeps it. *Ratio, bytes dropped* compares with the same transfers when the bytes');
  w('go nowhere (`-o /dev/null`; the server drops the body): no disk at all on the baseline\'s side,');
  w('while Parley still writes and hashes every byte.');
  w();
  w('| Direction | Parley MB/s | Wire MB/s | Seconds | curl MB/s kept / dropped | Ratio | Ratio, bytes dropped | Transport | Pauses / reconnects | Host RSS MB start → peak (growth), VmHWM | Client RSS MB start → peak (growth), VmHWM |');
  w('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | --- |');
  const ratioTo = (p, c) => (p.ok && c?.ok && c.mbPerSec > 0 ? p.mbPerSec / c.mbPerSec : null);
  const ratio = (p) => ratioTo(p, curl(p.direction));
  const times = (r) => (r == null ? '–' : `${r.toFixed(2)}×`);
  each((p, d, round) => {
    const c = curl(d);
    if (!p.ok) {
      w(`| ${title(d, round)} | failed: ${String(p.error ?? 'no result').replace(/\|/g, '/')} | | | ${fmt(c?.mbPerSec, 1)} | | | | | | |`);
      return;
    }
    const r = ratio(p);
    const rss = (x) => `${fmt(x.rssStartMB)} → ${fmt(x.rssPeakMB)} (+${fmt(x.rssGrowthMB)}), ${fmt(x.hwmMB)}`;
    const n = nowhere(d);
    const curlCell = (x) => (x?.ok ? fmt(x.mbPerSec, 1) : `failed (${x?.error ?? `exit ${x?.exit}, HTTP ${x?.httpCode}`})`);
    w(`| ${title(d, round)} | ${fmt(p.mbPerSec, 1)} | ${fmt(p.wireMbPerSec, 1)} | ${fmt(p.seconds, 2)} | ${curlCell(c)} / ${curlCell(n)} | `
      + `**${times(r)}** | ${times(ratioTo(p, n))} | ${p.transport} | ${p.pauses} / ${p.connectionChanges} | ${rss(p.host)} | ${rss(p.client)} |`);
  });
  for (const d of ['up', 'down']) for (const b of ['kept', 'nowhere']) for (const c of curlRuns(d, b)) {
    if (!c.ok) w(`| curl ${d} (${b === 'kept' ? 'kept' : 'dropped'}), run ${c.run ?? 1} | failed: ${String(c.error ?? `exit ${c.exit}, HTTP ${c.httpCode}`).replace(/\|/g, '/')} | | | | | | | | | |`);
  }
  w();
  w('RSS: `VmRSS` of each process from `/proc/<pid>/status`, sampled every 100 ms from the start of');
  w('the direction to its end; growth = the largest sample − the first. `VmHWM` is the most the');
  w('process ever held, start-up included.');
  w();
  w('While each direction ran (CPU in % of one core; the machine has ' + ((parley('up') ?? parley('down')).cores ?? '–') + ' cores):');
  w();
  each((p, d, round) => {
    if (!p.ok) return;
    w(`- ${title(d, round)}: host ${fmt(p.host.cpuPct)} % (${threads(p.host)}); client ${fmt(p.client.cpuPct)} % (${threads(p.client)}); `
      + `whole machine ${fmt(p.machineCpuPct)} %${round === 1 ? `, ${fmt(p.machineBusyBeforePct)} % busy just before` : ''}.`);
  });
  w();
  w('CPU time per MB, the cost of moving the bytes whatever else the machine was doing (CPU seconds');
  w('of both ends from `/proc`: Parley\'s host and client processes, JIT compilation included; curl\'s');
  w('own from bash\'s `time` and the server\'s, the host or the discard server, from `/proc`; the');
  w('baseline that keeps the bytes):');
  w();
  w('| Direction | Parley host s | Parley client s | Parley ms per MB | curl s | Server s | curl + server ms per MB | Parley / curl |');
  w('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  each((p, d, round) => {
    const c = curl(d);
    if (!p.ok || p.host.cpuSeconds == null) return;
    const mb = p.bytes / 1e6;
    const parleyMs = ((p.host.cpuSeconds + p.client.cpuSeconds) * 1000) / mb;
    const curlMs = c?.ok && c.curlCpuSeconds != null ? ((c.curlCpuSeconds + c.serverCpuSeconds) * 1000) / (c.bytes / 1e6) : null;
    w(`| ${title(d, round)} | ${fmt(p.host.cpuSeconds, 2)} | ${fmt(p.client.cpuSeconds, 2)} | ${fmt(parleyMs, 1)} | `
      + `${fmt(c?.curlCpuSeconds, 2)} | ${fmt(c?.serverCpuSeconds, 2)} | ${fmt(curlMs, 1)} | ${curlMs ? `${(parleyMs / curlMs).toFixed(1)}×` : '–'} |`);
  });
  w();
  w('Against the targets of issue #26 (at least 0.5× curl keeping the file; the ratio with the bytes');
  w('dropped in brackets):');
  w();
  each((p, d, round) => {
    const r = ratio(p);
    const growth = p.ok ? Math.max(p.host.rssGrowthMB, p.client.rssGrowthMB) : null;
    w(`- ${title(d, round)}: at least 0.5× curl: ${verdict(r == null ? null : r >= 0.5)} `
      + `(${times(r)}; ${times(ratioTo(p, nowhere(d)))}); RSS growth under 64 MB in both processes: ${verdict(growth == null ? null : growth < 64)} (largest ${fmt(growth)} MB).`);
  });
  w();
  // The summary: a user's first file, and the later half of the files once the JIT has settled.
  const later = rounds.filter((r) => r > rounds.length / 2);
  if (rounds.length > 1) {
    w(`In short (warm: the median of files ${later[0]}–${later[later.length - 1]}):`);
    w();
    w('| Direction | First file MB/s | Ratio | Warm MB/s | Ratio | Ratio, bytes dropped (first / warm) |');
    w('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const d of ['up', 'down']) {
      const first = runs.find((r) => r.direction === d && (r.round ?? 1) === 1 && r.ok);
      const warm = runs.filter((r) => r.direction === d && later.includes(r.round ?? 1) && r.ok).sort((x, y) => x.mbPerSec - y.mbPerSec);
      const mid = warm.length ? warm[(warm.length - 1) >> 1] : null;
      const cell = (p) => (p ? fmt(p.mbPerSec, 1) : '–');
      w(`| ${d === 'up' ? 'Client → host (up)' : 'Host → client (down)'} | ${cell(first)} | **${first ? times(ratio(first)) : '–'}** | ${cell(mid)} | `
        + `**${mid ? times(ratio(mid)) : '–'}** | ${first ? times(ratioTo(first, nowhere(d))) : '–'} / ${mid ? times(ratioTo(mid, nowhere(d))) : '–'} |`);
    }
    w();
  }
  if (failed.length) {
    w(`**Not clean:** ${failed.map((r) => `${r.id} ${r.direction ?? ''}: ${r.error ?? `exit ${r.exit}, HTTP ${r.httpCode}`}`).join('; ')}.`);
    w();
  }
  w('docs/PERFORMANCE.md says what limits each direction.');
  w();
  return out;
}
