#!/usr/bin/env bash
# The broadcast across instances (issue 19), paired with the broadcast in memory: 1 KiB text
# messages from one publisher, 8 in flight, to
#   single:  one starter server (Tomcat), cluster link off, all receivers on it;
#   cluster: three starter servers linked through one redis-server, the receivers round-robin over
#            them, the publisher on the first.
# Both on the same endpoint (/bcast-all, StarterClusterBroadcast: ConnectionSelector.all(), which
# travels; the publisher gets its own messages back too and the load generator ignores them).
# Interleaved rounds (the order swapped every other round), the other setup's servers stopped
# with SIGSTOP meanwhile; one load generator JVM for the whole run.
#
#   benchmarks/cluster-bench.sh                       # builds, 3 rounds of 3 s, 1,000 receivers
#   benchmarks/cluster-bench.sh --no-build --rounds 2 --duration 2 --receivers 999
#   benchmarks/cluster-bench.sh --no-build --window 1   # one broadcast in flight: the latency without queueing
#
# Needs Debian's redis-server (apt-get install -y redis-server), started here on a free port
# with a temporary directory and stopped at the end. Writes raw.jsonl and summary.md under
# benchmarks/target/cluster-bench/<date>/ and prints the summary.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib.sh"
ROOT="$(cd "$HERE/.." && pwd)"
BUILD=1 ROUNDS=3 DURATION=3 WARMUP=1 PREWARM=8 RECEIVERS=1000 WINDOW=8 SIZE=1024 INSTANCES=3
SERVER_CPUS=0 CLIENT_CPUS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --prewarm) PREWARM="$2"; shift 2 ;;
    --receivers) RECEIVERS="$2"; shift 2 ;;
    --window) WINDOW="$2"; shift 2 ;;
    --instances) INSTANCES="$2"; shift 2 ;;
    --server-cpus) SERVER_CPUS="$2"; shift 2 ;;
    --client-cpus) CLIENT_CPUS="$2"; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
command -v redis-server > /dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 2; }
command -v python3 > /dev/null || { echo "python3 is missing" >&2; exit 2; }

OUT="$HERE/target/cluster-bench/$(date -u +%Y-%m-%dT%H%M%S)"
mkdir -p "$OUT"
TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  local pid
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT

if [ "$BUILD" = 1 ]; then
  echo "building (mvn -Pbenchmarks package: loadgen, server-tomcat)..."
  rm -f "$HERE"/server-tomcat/target/server-tomcat.jar
  (cd "$ROOT" && mvn -B -ntp -q -Pbenchmarks -DskipTests package -pl benchmarks/loadgen,benchmarks/server-tomcat -am) \
    > "$OUT/build.log" 2>&1 || { tail -50 "$OUT/build.log"; exit 1; }
fi
LOADGEN="$HERE/loadgen/target/loadgen.jar"
SERVER="$HERE/server-tomcat/target/server-tomcat.jar"
[ -f "$LOADGEN" ] && [ -f "$SERVER" ] || { echo "build first (or drop --no-build)" >&2; exit 2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_port() { # port pid log
  await_port "$1" "$2" 600 || { echo "nothing listens on $1 (see $3)" >&2; exit 1; }
}

REDIS_PORT="$(free_port)"
taskset -c "$SERVER_CPUS" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$TMP" --save '' \
  --appendonly no > "$OUT/redis.log" 2>&1 &
REDIS_PID=$!
PIDS+=("$REDIS_PID")
wait_port "$REDIS_PORT" "$REDIS_PID" "$OUT/redis.log"

JVM_OPTS=(-XX:+UseG1GC -Xms512m -Xmx512m -XX:+AlwaysPreTouch)
start_server() { # name port extra-args...: sets STARTED_PID
  local name="$1" port="$2"; shift 2
  taskset -c "$SERVER_CPUS" java "${JVM_OPTS[@]}" -jar "$SERVER" --spring.profiles.active=starter \
    --server.port="$port" --spring.data.redis.port="$REDIS_PORT" "$@" > "$OUT/server-$name.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  wait_port "$port" "$STARTED_PID" "$OUT/server-$name.log"
}

SINGLE_PORT="$(free_port)"
start_server single "$SINGLE_PORT"
SINGLE_PIDS="$STARTED_PID"
CLUSTER_PORTS=() CLUSTER_PIDS=()
for i in $(seq "$INSTANCES"); do
  port="$(free_port)"
  start_server "cluster-$i" "$port" --autobahn.websocket.cluster.redis.enabled=true \
    --autobahn.websocket.cluster.redis.instance-id="bench-$i"
  CLUSTER_PORTS+=("$port") CLUSTER_PIDS+=("$STARTED_PID")
done
CLUSTER_PIDS_CSV="$(IFS=,; echo "${CLUSTER_PIDS[*]}")"
CLUSTER_PORTS_CSV="$(IFS=,; echo "${CLUSTER_PORTS[*]}")"
CLUSTER_CPU_PIDS="$CLUSTER_PIDS_CSV,$REDIS_PID"   # the cluster's CPU per delivery includes redis-server's

coproc LOADGEN_PROC { exec taskset -c "$CLIENT_CPUS" java "${LOADGEN_OPTS[@]}" -jar "$LOADGEN" --mode serve \
  --threads 1 2>> "$OUT/loadgen.log"; }
PIDS+=("$LOADGEN_PROC_PID")
LOADGEN_IN="${LOADGEN_PROC[1]}" LOADGEN_OUT="${LOADGEN_PROC[0]}"
CLK_TCK="$(getconf CLK_TCK)"
SPEC="bcast-1k:$RECEIVERS:$WINDOW:$SIZE:bcast"

pause() { local pid; for pid in ${1//,/ }; do kill -STOP "$pid"; done; }
resume() { local pid; for pid in ${1//,/ }; do kill -CONT "$pid"; done; }
measure() { # round setup prewarm
  local line args
  if [ "$2" = single ]; then
    args="--url ws://127.0.0.1:$SINGLE_PORT/echo --server-pid $SINGLE_PIDS"
  else
    args="--url ws://127.0.0.1:${CLUSTER_PORTS[0]}/echo --ports $CLUSTER_PORTS_CSV --server-pid $CLUSTER_CPU_PIDS"
  fi
  echo "$args --bcast-path /bcast-all --scenarios $SPEC --clk-tck $CLK_TCK --warmup $WARMUP --duration $DURATION --prewarm $3" >&"$LOADGEN_IN"
  while IFS= read -r -t 600 line <&"$LOADGEN_OUT"; do
    [ "$line" = '{"mode":"done"}' ] && break
    echo "{\"round\":$1,\"setup\":\"$2\",\"result\":$line}" >> "$OUT/raw.jsonl"
    case "$line" in *'"scenario":"prewarm"'*) ;; *) echo "round $1 $2: $line" ;; esac
  done
}

# each setup pre-warmed once (its servers' JIT), then the rounds
pause "$CLUSTER_PIDS_CSV"
measure 0 single "$PREWARM"
pause "$SINGLE_PIDS"; resume "$CLUSTER_PIDS_CSV"
measure 0 cluster "$PREWARM"
pause "$CLUSTER_PIDS_CSV"
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="single cluster"; else order="cluster single"; fi
  for setup in $order; do
    if [ "$setup" = single ]; then resume "$SINGLE_PIDS"; else resume "$CLUSTER_PIDS_CSV"; fi
    measure "$r" "$setup" 0
    if [ "$setup" = single ]; then pause "$SINGLE_PIDS"; else pause "$CLUSTER_PIDS_CSV"; fi
  done
done
resume "$SINGLE_PIDS"; resume "$CLUSTER_PIDS_CSV"

python3 - "$OUT/raw.jsonl" "$INSTANCES" "$RECEIVERS" "$WINDOW" > "$OUT/summary.md" <<'EOF'
import json, statistics, sys
raw, instances, receivers, window = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
runs = [json.loads(l) for l in open(raw)]
runs = [r for r in runs if r["round"] > 0 and r["result"].get("scenario") != "prewarm"]
by = {}
for r in runs:
    by.setdefault(r["round"], {})[r["setup"]] = r["result"]
def f(v, d=0):
    return "n/a" if v is None else f"{v:,.{d}f}"
print(f"single: 1 instance in memory, {receivers} receivers; cluster: {instances} instances through Redis, "
      f"{receivers} receivers round-robin; 1 KiB text, {window} in flight, one publisher (on the first instance)\n")
print("| round | deliveries/s single / cluster | ratio | p50 ms single / cluster | p99 ms single / cluster | server CPU us/delivery single / cluster | errors |")
print("|---|---|---|---|---|---|---|")
ratios, rows = [], {"single": [], "cluster": []}
for rnd in sorted(by):
    s, c = by[rnd].get("single", {}), by[rnd].get("cluster", {})
    ds, dc = s.get("deliveries_per_s"), c.get("deliveries_per_s")
    ratio = dc / ds if ds and dc else None
    if ratio:
        ratios.append(ratio)
    for k, v in (("single", s), ("cluster", c)):
        if v.get("deliveries_per_s"):
            rows[k].append(v)
    print(f"| {rnd} | {f(ds)} / {f(dc)} | {f(ratio, 2)}x | {f((s.get('p50_us') or 0) / 1e3, 1)} / {f((c.get('p50_us') or 0) / 1e3, 1)} "
          f"| {f((s.get('p99_us') or 0) / 1e3, 1)} / {f((c.get('p99_us') or 0) / 1e3, 1)} "
          f"| {f(s.get('server_cpu_us_per_delivery'), 1)} / {f(c.get('server_cpu_us_per_delivery'), 1)} "
          f"| {s.get('errors', 'n/a')} / {c.get('errors', 'n/a')} |")
def med(k, field):
    vals = [v[field] for v in rows[k] if v.get(field) is not None]
    return statistics.median(vals) if vals else None
print()
if ratios:
    ms, mc = med("single", "deliveries_per_s"), med("cluster", "deliveries_per_s")
    print(f"Medians: deliveries/s {f(ms)} single, {f(mc)} cluster; ratio of the round pairs' median "
          f"{statistics.median(ratios):.2f}x. p50 {f(med('single', 'p50_us') / 1e3, 1)} / {f(med('cluster', 'p50_us') / 1e3, 1)} ms, "
          f"p99 {f(med('single', 'p99_us') / 1e3, 1)} / {f(med('cluster', 'p99_us') / 1e3, 1)} ms to the last receiver "
          f"(added by the cluster: p50 {f((med('cluster', 'p50_us') - med('single', 'p50_us')) / 1e3, 1)} ms, "
          f"p99 {f((med('cluster', 'p99_us') - med('single', 'p99_us')) / 1e3, 1)} ms).")
errors = sum(r["result"].get("errors", 1) + r["result"].get("mismatches", 0) for r in runs)
print(f"\nErrors and mismatches over all measured runs: {errors}.")
EOF
echo
cat "$OUT/summary.md"
echo "(written to $OUT)"
