#!/usr/bin/env bash
# Parley's headless host against the Node reference socket.io server, same load generator.
#
#   bench/run.sh            build Parley, run every scenario, write docs/BENCHMARKS.md
#
# Not part of `mvn verify`. Needs Java 17, Maven, Node 20 with npm, Linux (/proc). Everything
# listens on and connects to 127.0.0.1 only, on ports the kernel picks (--port 0 / port 0).
#
# For each scenario it runs rounds A B A B A B (A = Parley, B = Node): each round starts a fresh
# server, runs bench/loadgen.mjs against it once (connect, join, warm-up, measured phase), then
# stops the server. The loadgen reads the server's CPU and RSS from /proc/PID during the measured
# phase. bench/report.mjs turns the JSON lines into docs/BENCHMARKS.md.
#
# Environment (all optional):
#   BENCH_ROUNDS=3          rounds per server and scenario
#   BENCH_SCENARIOS="..."   a subset of: fanout-100 fanout-500 fanout-1000 chat-200
#   BENCH_OUT=docs/BENCHMARKS.md
#   BENCH_SKIP_BUILD=1      reuse target/classes and target/classpath.txt
#   BENCH_SMOKE=1           tiny loads, to check the harness in seconds (write BENCH_OUT elsewhere)
#   BENCH_APP=0             skip the measurements of the app itself (idle connections, UI ingest,
#                           launch to window, idle RSS, installer size)
#   BENCH_PIN=1             a diagnosis, not the headline: each server runs on CPU 1 and the load
#                           generator on CPU 0 (taskset), so neither takes the other's core; the
#                           report says so at its top
#   BENCH_PAGE=0            skip the page-load measurement (bench/page-load.mjs)
#   BENCH_PAGE_RUNS=5       cold loads of each page (1 with BENCH_SMOKE=1)
#   BENCH_ONLY=page         only the page-load measurement (about a minute): replaces just the
#                           "Page load" section of BENCH_OUT, which says when and at which commit
#   BENCH_FILES=0           skip the file-transfer measurement (app.parley.app.FilesBench)
#   BENCH_FILES_MB=200      size of its file in MB (10^6 bytes; 20 with BENCH_SMOKE=1)
#   BENCH_FILES_ROUNDS=6    times each way: the first in cold JVMs (a user's first file), then warm
#   BENCH_FILES_CURL_RUNS=3 runs of each curl baseline (the report takes the median)
#   BENCH_ONLY=files        only the file-transfer measurement (a minute or two): replaces just the
#                           "Files" section of BENCH_OUT, which says when and at which commit
#   BENCH_CLUSTER=0         skip the cluster measurement
#   BENCH_CLUSTER_SCENARIOS="fanout-500 chat-200"
#   BENCH_ONLY=cluster      only the cluster measurement (about ten minutes): replaces just the
#                           "Cluster" section of BENCH_OUT, which says when and at which commit
#
# After the A/B scenarios it measures the app itself, once each: the host holding 10,000 idle
# connections (and Node holding the same), the chat window ingesting 10,000 messages a second
# (app.parley.app.UiIngestBench, under Xvfb: the window in a JVM of its own with jpackage/jvm.options,
# the host and its senders in another), launch to first window frame and idle RSS of the app
# (three launches, under Xvfb, of the app image jpackage/build.sh leaves in target/jpackage/image
# when it is up to date, else from the class path with jpackage/jvm.options), and the size of
# target/installer/*.deb when jpackage/build.sh has made one. Xvfb comes from the Debian package
# xvfb, installed here when missing (as root).
#
# Then the cluster (issue #27), with a redis-server and a PostgreSQL of its own (the Debian packages
# redis-server and postgresql, started by app.parley.testing.BenchEngines as the tests start theirs:
# loopback only, temporary data, fsync off). For each of BENCH_CLUSTER_SCENARIOS it runs rounds of
# three kinds, in turn: two Parley hosts (--cluster on that Redis, --store on a fresh database) and
# two Node tutorial servers with the official streams adapter on the same Redis (--redis=), the
# load generator putting client i on server i % 2; and one Parley host on a fresh database without
# --cluster, to weigh what the adapter adds per delivery. Redis's CPU and PostgreSQL's (the
# postmaster and its backends) are measured beside the servers'.
#
# Then files (issue #26): one random file of BENCH_FILES_MB over loopback between a Parley headless
# host (its own process, jpackage/host-jvm.options, the shipped limits, --max-file-size 300MB) and
# Parley's client in app.parley.app.FilesBench (another JVM, with jpackage/jvm.options as the window
# has): client to host (sendFile until done) and host to client (receiveFile until done),
# BENCH_FILES_ROUNDS times (cold, then warm), with the RSS of both processes sampled every 100 ms.
# Baselines with curl (the Debian package, installed here when missing, as root), each run
# BENCH_FILES_CURL_RUNS times and two ways, the bytes dropped or kept on disk as Parley's receiver
# keeps them: host to client, `curl -o /dev/null` and `curl -o FILE` of the same bytes from the
# host's own download link (file-link, /files/<token>/<name>); client to host, the host has no HTTP
# upload, so `curl -T` (PUT) of the same file to bench/discard-server.mjs, a Node server that
# drops the body or writes it to a file (--keep). About two minutes on a quiet machine.
#
# Last, the page load (bench/page-load.mjs): Parley's web client from a Parley host and the seed's
# page against the Node tutorial server, each opened BENCH_PAGE_RUNS times in a fresh headless
# Chromium (/usr/bin/chromium, or $PARLEY_CHROMIUM) with an empty profile: first contentful paint,
# time until connected, and the bytes transferred.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

ROUNDS=${BENCH_ROUNDS:-3}
SCENARIOS=${BENCH_SCENARIOS:-"fanout-100 fanout-500 fanout-1000 chat-200"}
ONLY=${BENCH_ONLY:-}
case "$ONLY" in
  "") ;;
  page) SCENARIOS=""; BENCH_APP=0; BENCH_PAGE=1; BENCH_FILES=0; BENCH_CLUSTER=0 ;;
  files) SCENARIOS=""; BENCH_APP=0; BENCH_PAGE=0; BENCH_FILES=1; BENCH_CLUSTER=0 ;;
  cluster) SCENARIOS=""; BENCH_APP=0; BENCH_PAGE=0; BENCH_FILES=0; BENCH_CLUSTER=1 ;;
  *) echo "BENCH_ONLY takes only: page, files, cluster" >&2; exit 2 ;;
esac
PAGE_RUNS=${BENCH_PAGE_RUNS:-5}
if [ "${BENCH_SMOKE:-0}" = 1 ]; then PAGE_RUNS=${BENCH_PAGE_RUNS:-1}; fi
FILES_MB=${BENCH_FILES_MB:-200}
CURL_RUNS=${BENCH_FILES_CURL_RUNS:-3}
if [ "${BENCH_SMOKE:-0}" = 1 ]; then FILES_MB=${BENCH_FILES_MB:-20}; fi
OUT=${BENCH_OUT:-docs/BENCHMARKS.md}
WORK=$(mktemp -d /tmp/parley-bench.XXXXXX)
RESULTS=$WORK/results.jsonl
APP_RESULTS=$WORK/app-results.jsonl
PAGE_RESULTS=$WORK/page-results.jsonl
FILES_RESULTS=$WORK/files-results.jsonl
CLUSTER_RESULTS=$WORK/cluster-results.jsonl
CLUSTER_SCENARIOS=${BENCH_CLUSTER_SCENARIOS:-"fanout-500 chat-200"}
LOADGEN_LOG=$WORK/loadgen.log
: >"$RESULTS"
: >"$APP_RESULTS"
: >"$PAGE_RESULTS"
: >"$FILES_RESULTS"
: >"$CLUSTER_RESULTS"

# scenario -> loadgen arguments. M is sized so that a measured phase takes roughly 5-15 s on a
# 2-core machine; the warm-up phase runs the same traffic first and is not counted: about 500,000
# deliveries, which both the JVM's and V8's compilers (server and load generator) need before their
# figures settle (with a fifth of that, Parley's server CPU per delivery came out twice as high). The 1000-client
# round keeps a longer limit for slow machines. Chat warms up for 12 s (about 480,000 deliveries at
# 40,000/s): with the 2 s it had (80,000), the host's C2 compiler was still using 10 % of a core
# in the first seconds measured.
scenario_args() {
  if [ "${BENCH_SMOKE:-0}" = 1 ]; then
    # a seconds-long check of the harness itself; its numbers mean nothing
    case "$1" in
      fanout-*) echo "--scenario fanout --clients 20 --messages 300 --warmup 50 --window 20 --per-address 8" ;;
      chat-*) echo "--scenario chat --clients 20 --seconds 2 --warmup-seconds 1 --rate 1 --per-address 8" ;;
      *) echo "unknown scenario $1" >&2; return 1 ;;
    esac
    return 0
  fi
  case "$1" in
    fanout-100) echo "--scenario fanout --clients 100 --messages 8000 --warmup 5000 --window 50" ;;
    fanout-500) echo "--scenario fanout --clients 500 --messages 1000 --warmup 1000 --window 50" ;;
    fanout-1000) echo "--scenario fanout --clients 1000 --messages 500 --warmup 500 --window 50 --timeout-s 300" ;;
    chat-200) echo "--scenario chat --clients 200 --seconds 15 --warmup-seconds 12 --rate 1" ;;
    *) echo "unknown scenario $1" >&2; return 1 ;;
  esac
}

# The cluster rounds' arguments: the scenario's, with twice the warm-up. Each server process warms
# up on its own share of the traffic, and a cluster splits it in two: with the single host's
# warm-up, each JVM of a Parley cluster was still compiling (C2 was about half of a host's CPU over
# a whole fan-out round). All three kinds of cluster round get the same, so they compare.
# Fan-out sends three times the messages and warms up six times as long as the single host: at its
# counts the measured phase of a cluster round took 3-5 s, under the 5-15 s the counts above are
# sized for, and began while each host's C2 was still compiling about 1,000 methods every 4 s (a
# quarter to a third of the host's CPU); after 6,000 messages it compiles about 100 every 4 s.
cluster_args() {
  local args warm messages
  args=$(scenario_args "$1")
  if [ "${BENCH_SMOKE:-0}" != 1 ]; then
    messages=$(sed -n 's/.*--messages \([0-9]*\).*/\1/p' <<<"$args")
    [ -n "$messages" ] && args=${args/--messages $messages/--messages $((messages * 3))}
    warm=$(sed -n 's/.*--warmup \([0-9]*\).*/\1/p' <<<"$args")
    [ -n "$warm" ] && args=${args/--warmup $warm/--warmup $((warm * 6))}
    warm=$(sed -n 's/.*--warmup-seconds \([0-9]*\).*/\1/p' <<<"$args")
    [ -n "$warm" ] && args=${args/--warmup-seconds $warm/--warmup-seconds $((warm * 2))}
  fi
  echo "$args"
}

# The JVM options the app ships (this OS's lines): the installed headless host, parley-host, runs
# with jpackage/host-jvm.options, so the server rounds do too; the window, parley, with
# jpackage/jvm.options, so the launch measurement does too.
mapfile -t JVM_OPTIONS < <(sh jpackage/jvm-options.sh jpackage/jvm.options linux)
mapfile -t HOST_JVM_OPTIONS < <(sh jpackage/jvm-options.sh jpackage/host-jvm.options linux)
PARLEY_ARGS=(app.parley.app.Launcher --host --headless --bind 127.0.0.1
  --port 0 --chat-rate 1000000/1000000 --packet-rate 1000000/1000000)
# The environment the installed app gets from its menu entry and its command (the Exec line of
# jpackage/linux/parley.desktop, after "env"): the window's measurements run with it too.
read -r -a DESKTOP_ENV < <(sed -n 's/^Exec=env \(\([A-Z_]*=[^ ]* \)*\).*/\1/p' jpackage/linux/parley.desktop) || true
PARLEY_SHOWN="java ${HOST_JVM_OPTIONS[*]} -cp \"target/classes:\$(cat target/classpath.txt)\" ${PARLEY_ARGS[*]}"
NODE_CMD=(node interop/tutorial-server.mjs 0)
# The files measurement's host: the shipped limits (no raised chat or packet rate: the file events
# live within them), a file limit above the file, and its history and files in the work directory.
FILES_ARGS=(app.parley.app.Launcher --host --headless --bind 127.0.0.1 --port 0
  --max-file-size 300MB --history "$WORK/files/history.db")

SERVER_PID=""
LOADGEN_PID=""
SERVER_PORT=""
# Other processes the files measurement starts (its client JVM, curl, the discard server).
FILES_PIDS=()

# BENCH_PIN=1: the A/B rounds' servers on CPU 1, their load generator on CPU 0.
PIN_SERVER=()
PIN_LOADGEN=()
if [ "${BENCH_PIN:-0}" = 1 ]; then
  if ! command -v taskset >/dev/null || [ "$(nproc)" -lt 2 ]; then
    echo "BENCH_PIN=1 needs taskset (util-linux) and at least 2 CPUs" >&2
    exit 2
  fi
  PIN_SERVER=(taskset -c 1)
  PIN_LOADGEN=(taskset -c 0)
fi

# Stops the server: SIGTERM, then SIGKILL if it is still there 5 s later. Sets STOP_TENTHS
# (tenths of a second it took) and STOP_KILLED (1 when SIGKILL was needed).
STOP_TENTHS=0
STOP_KILLED=0
stop_server() {
  STOP_TENTHS=0
  STOP_KILLED=0
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    while [ "$STOP_TENTHS" -lt 50 ] && kill -0 "$SERVER_PID" 2>/dev/null \
      && ! grep -q '^State:[[:space:]]*Z' "/proc/$SERVER_PID/status" 2>/dev/null; do
      sleep 0.1
      STOP_TENTHS=$((STOP_TENTHS + 1))
    done
    if [ "$STOP_TENTHS" -ge 50 ]; then
      echo "  server $SERVER_PID did not stop within 5 s of SIGTERM; killing it" >&2
      kill -KILL "$SERVER_PID" 2>/dev/null || true
      STOP_KILLED=1
    fi
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}

cleanup() {
  local rc=$?
  if [ -n "$LOADGEN_PID" ] && kill -0 "$LOADGEN_PID" 2>/dev/null; then
    kill -TERM "$LOADGEN_PID" 2>/dev/null || true
    wait "$LOADGEN_PID" 2>/dev/null || true
  fi
  for pid in "${FILES_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  stop_server
  if declare -F stop_servers >/dev/null; then
    stop_servers
    stop_engines
  fi
  rm -rf "$WORK/files" "$WORK/data" # the files measurement's file and the host's copies: hundreds of MB
  if [ "$rc" -ne 0 ]; then
    echo "bench/run.sh failed (exit $rc); logs kept in $WORK" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts one server; sets SERVER_PID and SERVER_PORT. $1 = parley | files | node, $2 = log file
# (files: a Parley host with FILES_ARGS), the rest = more arguments for it (a cluster's options).
# A Parley host's data directory is $SERVER_DATA_DIR when set.
SERVER_DATA_DIR=""
start_server() {
  local which=$1 log=$2 line="" previous=""
  shift 2
  : >"$log" # there before the first read: the server's own redirection happens in its process
  if [ "$which" = files ]; then
    java "${HOST_JVM_OPTIONS[@]}" -cp "target/classes:$(cat target/classpath.txt)" "${FILES_ARGS[@]}" >"$log" 2>&1 &
  elif [ "$which" = parley ]; then
    ${SERVER_DATA_DIR:+env PARLEY_DATA_DIR="$SERVER_DATA_DIR"} "${PIN_SERVER[@]}" java "${HOST_JVM_OPTIONS[@]}" \
      -cp "target/classes:$(cat target/classpath.txt)" "${PARLEY_ARGS[@]}" "$@" >"$log" 2>&1 &
  else
    "${PIN_SERVER[@]}" "${NODE_CMD[@]}" "$@" >"$log" 2>&1 &
  fi
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if [ "$which" != node ]; then
      line=$(sed -n 's/^Parley host listening on .*:\([0-9][0-9]*\)$/\1/p' "$log")
    else
      line=$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$log")
    fi
    line=${line%%$'\n'*}
    # the same port twice, 0.1 s apart: never a line caught half-written
    if [ -n "$line" ] && [ "$line" = "$previous" ]; then
      SERVER_PORT=$line
      return 0
    fi
    previous=$line
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "$which server exited before listening; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "$which server did not print its port within 30 s" >&2
  return 1
}

# "busy total" jiffies of the whole machine from /proc/stat (busy = all but idle and iowait).
busy_ticks() {
  awk '/^cpu /{t=0; for(i=2;i<=9;i++) t+=$i; print t-$5-$6, t; exit}' /proc/stat
}

# Other work on the machine skews a round, so wait (at most 30 s) until it is at least 85 % idle
# over one second. Sets QUIET_WAIT (seconds waited) and BUSY_BEFORE (busy % of all CPUs then).
QUIET_WAIT=0
BUSY_BEFORE=0
wait_quiet() {
  local b1 t1 b2 t2
  QUIET_WAIT=0
  while :; do
    read -r b1 t1 < <(busy_ticks)
    sleep 1
    read -r b2 t2 < <(busy_ticks)
    BUSY_BEFORE=$(( (b2 - b1) * 100 / (t2 - t1 > 0 ? t2 - t1 : 1) ))
    if [ "$BUSY_BEFORE" -le 15 ]; then
      return 0
    fi
    QUIET_WAIT=$((QUIET_WAIT + 1))
    if [ "$QUIET_WAIT" -ge 30 ]; then
      echo "  the machine is still ${BUSY_BEFORE} % busy after 30 s; measuring anyway (see otherCpuPct)" >&2
      return 0
    fi
  done
}

# The cluster rounds' engines (BenchEngines: a redis-server and a PostgreSQL of their own, for the
# whole benchmark) and the servers of the round under way.
ENGINES_JAVA=""
REDIS_URL=""
REDIS_PID=""
STORE_PID=""
ROUND_PIDS=()
ROUND_URLS=""

start_engines() {
  local word rest
  coproc ENGINES { exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    app.parley.testing.BenchEngines 2>"$WORK/engines.log"; }
  ENGINES_JAVA=$ENGINES_PID # bash unsets ENGINES_PID once the coprocess ends
  while read -t 180 -r word rest <&"${ENGINES[0]}"; do
    case "$word" in
      redis) REDIS_URL=${rest%% *}; REDIS_PID=${rest##* } ;;
      postgres) STORE_PID=$rest ;;
      ready) return 0 ;;
    esac
  done
  echo "the cluster engines did not start; their log:" >&2
  cat "$WORK/engines.log" >&2
  return 1
}

# Closing its standard input stops Redis and PostgreSQL and removes their data.
stop_engines() {
  if [ -n "$ENGINES_JAVA" ]; then
    [ -n "${ENGINES[1]:-}" ] && { eval "exec ${ENGINES[1]}>&-" 2>/dev/null || true; }
    for _ in $(seq 1 300); do kill -0 "$ENGINES_JAVA" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$ENGINES_JAVA" 2>/dev/null || true
    wait "$ENGINES_JAVA" 2>/dev/null || true
    ENGINES_JAVA=""
  fi
}

# A fresh, empty PostgreSQL database for one round's hosts: sets STORE_URL, its --store URL (not
# in a command substitution: the engines' pipes belong to this shell).
STORE_URL=""
fresh_database() {
  local word
  echo database >&"${ENGINES[1]}"
  read -t 60 -r word STORE_URL <&"${ENGINES[0]}"
  [ "$word" = database ] || { echo "the cluster engines answered: $word $STORE_URL" >&2; return 1; }
}

# Starts the servers of one round; sets ROUND_PIDS and ROUND_URLS (comma-separated). $1 = parley |
# node (one server, as it ships), parley-cluster | node-cluster (two servers on the engines' Redis:
# Parley hosts with --cluster and --store, Node tutorial servers with the official streams adapter),
# parley-single (one Parley host on the same PostgreSQL, no --cluster: what the adapter adds).
start_servers() {
  local which=$1 prefix=$2 n count=1 kind=${1%%-*}
  local extra=()
  ROUND_PIDS=()
  ROUND_URLS=""
  case "$which" in
    parley-cluster) count=2; fresh_database; extra=(--store "$STORE_URL" --cluster "$REDIS_URL") ;;
    parley-single) fresh_database; extra=(--store "$STORE_URL") ;;
    node-cluster) count=2; extra=("--redis=$REDIS_URL") ;;
  esac
  for n in $(seq 1 "$count"); do
    SERVER_DATA_DIR=""
    if [ "$which" != "$kind" ] && [ "$kind" = parley ]; then
      SERVER_DATA_DIR=$WORK/data/$(basename "$prefix")-$n
      mkdir -p "$SERVER_DATA_DIR"
    fi
    start_server "$kind" "$prefix.server$n.log" "${extra[@]}"
    ROUND_PIDS+=("$SERVER_PID")
    ROUND_URLS+="${ROUND_URLS:+,}http://127.0.0.1:$SERVER_PORT"
    SERVER_PID=""
  done
}

# Stops the round's servers; STOP_TENTHS is the longest stop, STOP_KILLED 1 when one needed SIGKILL.
stop_servers() {
  local pid tenths=0 killed=0
  for pid in "${ROUND_PIDS[@]}"; do
    SERVER_PID=$pid
    stop_server
    [ "$STOP_TENTHS" -gt "$tenths" ] && tenths=$STOP_TENTHS
    [ "$STOP_KILLED" = 1 ] && killed=1
  done
  ROUND_PIDS=()
  STOP_TENTHS=$tenths
  STOP_KILLED=$killed
}

# One round: fresh servers, one loadgen run, servers stopped. Appends one JSON line to $2's file.
run_round() {
  local scenario=$1 which=$2 round=$3 results=$4 out rc=0 pids
  local prefix=$WORK/$scenario-$which-$round
  out=$prefix.json
  wait_quiet
  start_servers "$which" "$prefix"
  pids=$(IFS=,; echo "${ROUND_PIDS[*]}")
  local engines=() args
  args=$(scenario_args "$scenario")
  if [ "$which" != "${which%%-*}" ]; then
    engines=(--broker-pid "$REDIS_PID" --store-pid "$STORE_PID")
    args=$(cluster_args "$scenario")
  fi
  # shellcheck disable=SC2086 # args is a list of words by design
  timeout -s TERM 330 "${PIN_LOADGEN[@]}" node bench/loadgen.mjs --url "$ROUND_URLS" --server-pid "$pids" "${engines[@]}" \
    --server-log "$prefix.server1.log" --label "$which" --round "$round" $args >"$out" 2>>"$LOADGEN_LOG" &
  LOADGEN_PID=$!
  wait "$LOADGEN_PID" || rc=$?
  LOADGEN_PID=""
  stop_servers
  local oom=0
  if cat "$prefix".server*.log | grep -q OutOfMemoryError; then oom=1; fi
  if [ ! -s "$out" ]; then
    printf '{"ok":false,"label":"%s","round":%s,"error":"loadgen printed no result (see its log)"}\n' "$which" "$round" >"$out"
  fi
  # add the scenario id and what happened to the servers to the loadgen's line
  node -e 'const [file, id, rc, tenths, killed, oom, quiet, busy] = process.argv.slice(1);
           const l = JSON.parse(require("fs").readFileSync(file, "utf8").trim().split("\n").pop());
           Object.assign(l, { id, exit: Number(rc), serverStopSeconds: Number(tenths) / 10,
             serverKilled: killed === "1", serverOutOfMemory: oom === "1",
             quietWaitSeconds: Number(quiet), machineBusyBeforePct: Number(busy) });
           if (l.serverOutOfMemory) l.ok = false;
           console.log(JSON.stringify(l));' \
    "$out" "$scenario" "$rc" "$STOP_TENTHS" "$STOP_KILLED" "$oom" "$QUIET_WAIT" "$BUSY_BEFORE" >>"$results"
  node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop());
           console.log(`  ${l.id} round ${l.round} ${l.label}: ` + (l.deliveriesPerSec!=null
             ? `${l.deliveriesPerSec} deliveries/s, p99 ${l.p99} ms, lost ${l.lost}, dup ${l.duplicates}, server CPU ${l.serverCpuPct}%`
               + ` (${l.serverCpuUsPerDelivery} µs/delivery)` + (l.brokerCpuPct != null ? `, Redis ${l.brokerCpuPct}%, PostgreSQL ${l.storeCpuPct}%` : "")
               + `, loadgen CPU ${l.loadgenCpuPct}%, other CPU ${l.otherCpuPct}%`
             : `FAILED: ${l.error}`) + (l.serverOutOfMemory ? " [server OutOfMemoryError]" : "")
             + (l.serverKilled ? " [server needed SIGKILL]" : ""));' <(tail -n 1 "$results")
}

STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: work directory $WORK"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "bench: building Parley"
  mvn -B -q -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
  [ "$ONLY" = page ] || mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
fi
if [ ! -f interop/node_modules/socket.io/package.json ] || [ ! -f interop/node_modules/socket.io-client/package.json ]; then
  echo "bench: installing the Node packages (npm ci in interop/)"
  (cd interop && npm ci --no-audit --no-fund)
fi

for scenario in $SCENARIOS; do
  scenario_args "$scenario" >/dev/null
  echo "bench: $scenario ($(scenario_args "$scenario"))"
  for round in $(seq 1 "$ROUNDS"); do
    run_round "$scenario" parley "$round" "$RESULTS"
    run_round "$scenario" node "$round" "$RESULTS"
  done
done

# ---- the cluster (issue #27) ----
CLUSTER_ARGS_TEXT=$(for s in $CLUSTER_SCENARIOS; do printf '%s\t%s\n' "$s" "$(cluster_args "$s")"; done)
if [ "${BENCH_CLUSTER:-1}" != 0 ]; then
  echo "bench: cluster (two Parley hosts and two Node servers on one Redis; one Parley host beside)"
  start_engines
  for scenario in $CLUSTER_SCENARIOS; do
    echo "bench: cluster $scenario ($(cluster_args "$scenario"))"
    for round in $(seq 1 "$ROUNDS"); do
      run_round "$scenario" parley-cluster "$round" "$CLUSTER_RESULTS"
      run_round "$scenario" node-cluster "$round" "$CLUSTER_RESULTS"
      run_round "$scenario" parley-single "$round" "$CLUSTER_RESULTS"
    done
  done
  stop_engines
fi

# ---- the app itself ----
IDLE_CLIENTS=10000
UI_RATE=10000
UI_TOTAL=100000
if [ "${BENCH_SMOKE:-0}" = 1 ]; then IDLE_CLIENTS=300; UI_RATE=2000; UI_TOTAL=4000; fi

# Runs "$@" with a display: the current one, else a private Xvfb (installed when missing, as root).
with_display() {
  if [ -n "${DISPLAY:-}" ]; then "$@"; return; fi
  if ! command -v xvfb-run >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "bench: installing xvfb (Debian package) for the window measurements" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q xvfb >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q xvfb >/dev/null 2>&1; } || true
  fi
  if command -v xvfb-run >/dev/null 2>&1; then
    xvfb-run -a -s "-screen 0 1280x800x24" "$@"
  else
    return 3
  fi
}

idle_round() {
  local which=$1
  local log=$WORK/idle-$which.server.log out=$WORK/idle-$which.json
  wait_quiet
  start_server "$which" "$log"
  timeout -s TERM 330 node bench/loadgen.mjs --url "http://127.0.0.1:$SERVER_PORT" --server-pid "$SERVER_PID" \
    --server-log "$log" --label "$which" --scenario idle --clients "$IDLE_CLIENTS" --seconds 15 \
    --timeout-s 300 --connect-timeout-ms 120000 >"$out" 2>>"$LOADGEN_LOG" || true
  stop_server
  if [ -s "$out" ]; then
    node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").pop()); l.id="idle"; console.log(JSON.stringify(l));' "$out" >>"$APP_RESULTS"
  else
    printf '{"id":"idle","ok":false,"label":"%s","error":"loadgen printed no result (see its log)"}\n' "$which" >>"$APP_RESULTS"
  fi
  tail -n 1 "$APP_RESULTS" | sed 's/^/  /'
}

if [ "${BENCH_APP:-1}" != 0 ]; then
  echo "bench: $IDLE_CLIENTS idle connections"
  idle_round parley
  idle_round node

  echo "bench: UI ingest ($UI_RATE messages/s, $UI_TOTAL messages)"
  wait_quiet
  TEST_CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
  UI_LINE=$(with_display timeout 300 env "${DESKTOP_ENV[@]}" java -cp "$TEST_CP" app.parley.app.UiIngestBench "$UI_RATE" "$UI_TOTAL" 2>>"$WORK/ui-ingest.log" \
    | grep '^{' | tail -n 1) || true
  [ -n "$UI_LINE" ] || UI_LINE='{"ok":false,"error":"no result (see ui-ingest.log)"}'
  echo "$UI_LINE" | node -e 'const l=JSON.parse(require("fs").readFileSync(0,"utf8")); l.id="ui-ingest"; console.log(JSON.stringify(l));' >>"$APP_RESULTS"
  tail -n 1 "$APP_RESULTS" | sed 's/^/  /'

  # What ships: the app image jpackage/build.sh leaves (the packaged launcher, linked runtime,
  # jpackage/jvm.options and its class data sharing archive) when it is there and not older than
  # the sources; else java from the class path with the same jvm.options (and no archive).
  IMAGE=target/jpackage/image/parley
  if [ -x "$IMAGE/bin/parley" ] && [ -z "$(find src/main pom.xml jpackage -newer "$IMAGE/lib/app/parley.cfg" -type f | head -n 1)" ]; then
    LAUNCH_HOW="app image"
    LAUNCH_CMD=(env "${DESKTOP_ENV[@]}" JAVA_TOOL_OPTIONS=-Dparley.reportStartup=true "$IMAGE/bin/parley")
  else
    [ -x "$IMAGE/bin/parley" ] && echo "  $IMAGE is older than the sources (run jpackage/build.sh): launching from the class path" >&2
    LAUNCH_HOW="class path"
    LAUNCH_CMD=(env "${DESKTOP_ENV[@]}" java "${JVM_OPTIONS[@]}" -Dparley.reportStartup=true -cp "target/classes:$(cat target/classpath.txt)" app.parley.app.Launcher)
  fi
  echo "bench: launch to window and idle RSS (3 launches, $LAUNCH_HOW)"
  for launch in 1 2 3; do
    wait_quiet
    rm -f "$WORK/launch.out"
    with_display bash -c 'out=$1; shift; "$@" >"$out" 2>&1 & pid=$!
      for _ in $(seq 1 300); do grep -q "first window frame" "$out" && break; sleep 0.1; done
      sleep 5
      rss=$(sed -n "s/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p" /proc/$pid/status)
      echo "rssKb $rss" >>"$out"
      kill $pid; wait $pid 2>/dev/null; true' _ "$WORK/launch.out" "${LAUNCH_CMD[@]}" || true
    MS=$(sed -n 's/^parley: first window frame \([0-9]*\) ms.*/\1/p' "$WORK/launch.out" | head -n 1)
    RSS=$(sed -n 's/^rssKb \([0-9]*\)$/\1/p' "$WORK/launch.out" | head -n 1)
    printf '{"id":"launch","ok":%s,"launch":%s,"how":"%s","firstFrameMs":%s,"idleRssMB":%s}\n' \
      "$([ -n "$MS" ] && echo true || echo false)" "$launch" "$LAUNCH_HOW" "${MS:-null}" \
      "$([ -n "$RSS" ] && awk -v k="$RSS" 'BEGIN{printf "%.1f", k/1024}' || echo null)" >>"$APP_RESULTS"
    tail -n 1 "$APP_RESULTS" | sed 's/^/  /'
  done

  DEB=$(ls target/installer/*.deb 2>/dev/null | head -n 1 || true)
  if [ -n "$DEB" ]; then
    printf '{"id":"installer","ok":true,"file":"%s","bytes":%s}\n' "$(basename "$DEB")" "$(stat -c %s "$DEB")" >>"$APP_RESULTS"
  else
    printf '{"id":"installer","ok":false,"error":"no target/installer/*.deb: run jpackage/build.sh first"}\n' >>"$APP_RESULTS"
  fi
  tail -n 1 "$APP_RESULTS" | sed 's/^/  /'
fi

# ---- files (issue #26) ----
# utime + stime of a process in clock ticks (0 once it is gone).
proc_ticks() {
  awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# One curl transfer: prints a JSON line for FILES_RESULTS. $1 = direction, $2 = the pid of the
# server at the other end (its CPU is counted), the rest = curl's arguments. Bounded by
# --max-time; its exit code, HTTP status and CPU (its own, from bash's time) go into the line.
curl_line() {
  local direction=$1 server=$2 out rc=0 before after cpu
  shift 2
  before=$(proc_ticks "$server")
  cpu=$( { TIMEFORMAT='%U %S'; time timeout -s TERM 660 curl -sS --max-time 600 \
    -w '%{http_code} %{size_download} %{size_upload} %{time_total}' "$@" >"$WORK/files-curl.out" 2>>"$WORK/files-curl.log"; } 2>&1 ) || rc=$?
  after=$(proc_ticks "$server")
  out=$(cat "$WORK/files-curl.out")
  read -r code down up total <<<"$out"
  node -e 'const [direction, rc, code, down, up, total, busy, version, cpu, serverTicks] = process.argv.slice(1);
           const bytes = direction === "down" ? Number(down) : Number(up), seconds = Number(total);
           const ok = rc === "0" && /^2/.test(code) && bytes > 0 && seconds > 0;
           const [user, sys] = cpu.trim().split(/\s+/).map(Number);
           console.log(JSON.stringify({ id: "files-curl", ok, direction, baseline: process.env.CURL_BASELINE || "nowhere",
             run: Number(process.env.CURL_RUN) || 1, exit: Number(rc), httpCode: Number(code) || null, bytes,
             seconds, mbPerSec: ok ? Math.round(bytes / 1e6 / seconds * 10) / 10 : null,
             curlCpuSeconds: Number.isFinite(user + sys) ? Math.round((user + sys) * 100) / 100 : null,
             serverCpuSeconds: Number(serverTicks) / 100, machineBusyBeforePct: Number(busy), curl: version }));' \
    "$direction" "$rc" "${code:-0}" "${down:-0}" "${up:-0}" "${total:-0}" "$BUSY_BEFORE" \
    "$(curl --version | head -n 1 | cut -d' ' -f1-2)" "$cpu" "$((after - before))"
}

if [ "${BENCH_FILES:-1}" != 0 ]; then
  echo "bench: files ($FILES_MB MB over loopback: Parley up and down, then curl)"
  if ! command -v curl >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "bench: installing curl (Debian package) for the files baselines" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl >/dev/null 2>&1; } || true
  fi
  mkdir -p "$WORK/files"
  FILE=$WORK/files/bench.bin
  head -c "$((FILES_MB * 1000000))" /dev/urandom >"$FILE"
  TEST_CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
  wait_quiet
  start_server files "$WORK/files-host.log"
  # The client: its own JVM with the window's options, as a user's app would be.
  timeout -s TERM 900 java "${JVM_OPTIONS[@]}" -cp "$TEST_CP" app.parley.app.FilesBench \
    "http://127.0.0.1:$SERVER_PORT" "$SERVER_PID" "$FILE" 840 "${BENCH_FILES_ROUNDS:-6}" >"$WORK/files-bench.jsonl" 2>"$WORK/files-bench.log" &
  FILES_PIDS=($!)
  wait "${FILES_PIDS[0]}" || echo "  FilesBench failed (see $WORK/files-bench.log)" >&2
  FILES_PIDS=()
  grep '^{' "$WORK/files-bench.jsonl" | node -e 'const busy = process.argv[1];
    for (const l of require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean).map(JSON.parse))
      console.log(JSON.stringify({ ...l, machineBusyBeforePct: Number(busy) }));' "$BUSY_BEFORE" >>"$FILES_RESULTS" || true
  grep -q '"direction":"down"' "$FILES_RESULTS" \
    || printf '{"id":"files","ok":false,"error":"FilesBench printed no result (see files-bench.log)"}\n' >>"$FILES_RESULTS"
  LINK=$(sed -n 's/.*"id":"files-link".*"url":"\([^"]*\)".*/\1/p' "$FILES_RESULTS" | head -n 1)
  if command -v curl >/dev/null 2>&1; then
    # Each baseline CURL_RUNS times (the report takes the median), two ways: the bytes go nowhere
    # (/dev/null, a server that drops them), or they are kept on disk, as Parley's receiver keeps
    # them (a file beside the benchmark's file; a server that writes each upload to a file).
    if [ -n "$LINK" ]; then
      for run in $(seq 1 "$CURL_RUNS"); do
        wait_quiet
        CURL_BASELINE=nowhere CURL_RUN=$run curl_line down "$SERVER_PID" -o /dev/null "$LINK" >>"$FILES_RESULTS"
        wait_quiet
        CURL_BASELINE=kept CURL_RUN=$run curl_line down "$SERVER_PID" -o "$WORK/files/curl-down.bin" "$LINK" >>"$FILES_RESULTS"
        rm -f "$WORK/files/curl-down.bin"
      done
    fi
    stop_server
    # client to host: the same file PUT to a plain HTTP server (the host takes no HTTP uploads)
    for baseline in nowhere kept; do
      mkdir -p "$WORK/files/kept"
      if [ "$baseline" = kept ]; then
        node bench/discard-server.mjs --keep "$WORK/files/kept" >"$WORK/files-discard.log" 2>&1 &
      else
        node bench/discard-server.mjs >"$WORK/files-discard.log" 2>&1 &
      fi
      FILES_PIDS=($!)
      DISCARD_PORT=""
      for _ in $(seq 1 100); do
        DISCARD_PORT=$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$WORK/files-discard.log")
        [ -n "$DISCARD_PORT" ] && break
        sleep 0.1
      done
      for run in $(seq 1 "$CURL_RUNS"); do
        if [ -n "$DISCARD_PORT" ]; then
          wait_quiet
          # no "Expect: 100-continue": curl would wait for the answer before sending
          CURL_BASELINE=$baseline CURL_RUN=$run curl_line up "${FILES_PIDS[0]}" -H 'Expect:' -T "$FILE" -o /dev/null \
            "http://127.0.0.1:$DISCARD_PORT/upload" >>"$FILES_RESULTS"
          rm -f "$WORK/files/kept/"*
        else
          printf '{"id":"files-curl","ok":false,"direction":"up","baseline":"%s","error":"the HTTP server did not start"}\n' "$baseline" >>"$FILES_RESULTS"
        fi
      done
      kill -TERM "${FILES_PIDS[0]}" 2>/dev/null || true
      wait "${FILES_PIDS[0]}" 2>/dev/null || true
      FILES_PIDS=()
    done
  else
    printf '{"id":"files-curl","ok":false,"error":"no curl (install the Debian package curl)"}\n' >>"$FILES_RESULTS"
  fi
  stop_server
  rm -rf "$WORK/files" # the file, its copy on the host and the host's history: hundreds of MB
  node -e 'for (const l of require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse)) {
             if (l.id === "files-link") continue;
             const who = l.id === "files" ? "Parley" : "curl";
             console.log(`  ${who} ${l.direction ?? ""}${l.round ? " file " + l.round : ""}: ` + (l.ok ? `${l.mbPerSec} MB/s in ${l.seconds} s`
               + (l.host ? `, host RSS ${l.host.rssStartMB} -> peak ${l.host.rssPeakMB} MB, client RSS ${l.client.rssStartMB} -> peak ${l.client.rssPeakMB} MB, ${l.transport}` : "")
               : `FAILED: ${l.error ?? "exit " + l.exit + ", HTTP " + l.httpCode}`));
           }' "$FILES_RESULTS"
fi

# ---- the web page ----
if [ "${BENCH_PAGE:-1}" != 0 ]; then
  echo "bench: page load (Parley's web client and the seed's page, $PAGE_RUNS cold loads each)"
  wait_quiet
  start_server parley "$WORK/page-parley.server.log"
  timeout -s TERM 900 node bench/page-load.mjs --parley "http://127.0.0.1:$SERVER_PORT" --runs "$PAGE_RUNS" \
    >>"$PAGE_RESULTS" 2>>"$WORK/page-load.log" || echo "  page-load.mjs failed (see $WORK/page-load.log)" >&2
  stop_server
  node -e 'for (const l of require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse))
             console.log(`  ${l.label} ${l.warmUp ? "warm-up" : "load " + l.run}: ` + (l.ok
               ? `first contentful paint ${l.fcpMs} ms, connected ${l.connectedMs} ms, ${l.bytes.total} bytes (bundle ${l.bytes.bundle}, page code ${l.bytes.page}, other ${l.bytes.other})`
               : `FAILED: ${l.error}`));' "$PAGE_RESULTS"
fi

if [ "$ONLY" = page ]; then
  node bench/report.mjs --only page --page-results "$PAGE_RESULTS" --out "$OUT" \
    --finished "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" --load-before "$LOAD_BEFORE" --load-after "$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "bench: wrote the Page load section of $OUT in $(($(date +%s) - STARTED)) s (raw results: $PAGE_RESULTS)"
  exit 0
fi
if [ "$ONLY" = cluster ]; then
  node bench/report.mjs --only cluster --cluster-results "$CLUSTER_RESULTS" --out "$OUT" --cluster-args "$CLUSTER_ARGS_TEXT" \
    --finished "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" --load-before "$LOAD_BEFORE" --load-after "$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "bench: wrote the Cluster section of $OUT in $(($(date +%s) - STARTED)) s (raw results: $CLUSTER_RESULTS)"
  exit 0
fi
if [ "$ONLY" = files ]; then
  node bench/report.mjs --only files --files-results "$FILES_RESULTS" --out "$OUT" \
    --finished "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" --load-before "$LOAD_BEFORE" --load-after "$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "bench: wrote the Files section of $OUT in $(($(date +%s) - STARTED)) s (raw results: $FILES_RESULTS)"
  exit 0
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(($(date +%s) - STARTED))
SCENARIO_ARGS_JSON=$(for s in $SCENARIOS; do printf '%s\t%s\n' "$s" "$(scenario_args "$s")"; done)
node bench/report.mjs --results "$RESULTS" --out "$OUT" --elapsed "$ELAPSED" --finished "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" \
  --load-before "$LOAD_BEFORE" --load-after "$LOAD_AFTER" --rounds "$ROUNDS" \
  --scenario-args "$SCENARIO_ARGS_JSON" --parley-cmd "$PARLEY_SHOWN" --node-cmd "${NODE_CMD[*]}" \
  --app-results "$APP_RESULTS" --page-results "$PAGE_RESULTS" --files-results "$FILES_RESULTS" --cluster-results "$CLUSTER_RESULTS" --cluster-args "$CLUSTER_ARGS_TEXT" --pinned "${BENCH_PIN:-0}"
echo "bench: wrote $OUT in ${ELAPSED} s (raw results: $RESULTS)"
