#!/usr/bin/env bash
# The starter's client as a load generator (benchmarks/client-loadgen: WebSocketConnector and a
# WebSocketClientProtocol per connection) against the project's Netty load generator
# (benchmarks/loadgen), both driving the same server, paired and interleaved: in every round each
# scenario runs once per load generator, one after the other, in the opposite order every other
# round. The server is pinned to CPU 0 and the load generators to CPU 1 (taskset), as in run.sh;
# each load generator is one JVM for the whole run (--mode serve), pre-warmed first. Prints, per
# scenario and round, msgs/s and the ratio to the Netty load generator's, p99, and the load
# generators' CPU per message; writes raw.jsonl and summary.md under benchmarks/target/client-bench/.
#
#   benchmarks/client-bench.sh                        thr-64, lat-64 and thr-16k, 3 rounds, against baseline-netty
#   benchmarks/client-bench.sh --clients "netty starter-reactor-netty starter-jdk" --scenarios thr-64 --rounds 5
#   options: --rounds N --prewarm S --warmup S --duration S --scenarios "thr-64 lat-64" --server baseline-netty
#            (or starter-netty, baseline-tomcat, ...) --clients "netty starter-reactor-netty" (starter-jdk: the
#            connector's JDK transport) --server-cpus 0 --client-cpus 1 --port 18180 --no-build --out DIR
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib.sh"
ROOT="$(dirname "$HERE")"
ROUNDS=3 PREWARM=15 WARMUP=0.5 DURATION=2.5 BUILD=1 SERVER=baseline-netty PORT=18180 OUT=""
CLIENTS="netty starter-reactor-netty" ONLY="thr-64 lat-64 thr-16k" SERVER_CPUS=0 CLIENT_CPUS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --prewarm) PREWARM="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --scenarios) ONLY="$2"; shift ;;
    --server) SERVER="$2"; shift ;;
    --clients) CLIENTS="$2"; shift ;;
    --server-cpus) SERVER_CPUS="$2"; shift ;;
    --client-cpus) CLIENT_CPUS="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --out) OUT="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
declare -A SPEC=(
  [lat-64]="lat-64:1:1:64:text"
  [lat-16k]="lat-16k:1:1:16384:text"
  [thr-64]="thr-64:64:16:64:text"
  [thr-16k]="thr-16k:64:16:16384:text"
  [bin-1m]="bin-1m:4:2:1048576:binary"
)
for sc in $ONLY; do [ -n "${SPEC[$sc]:-}" ] || { echo "unknown scenario $sc (${!SPEC[*]})" >&2; exit 2; }; done
for client in $CLIENTS; do
  case "$client" in netty|starter-reactor-netty|starter-jdk) ;; *) echo "unknown client $client" >&2; exit 2 ;; esac
done
case "$SERVER" in starter-*|baseline-*) ;; *) echo "unknown server $SERVER (starter-<stack> or baseline-<stack>)" >&2; exit 2 ;; esac
STACK="${SERVER#*-}" IMPL="${SERVER%%-*}"
CLK_TCK="$(getconf CLK_TCK)"
OUT="${OUT:-$HERE/target/client-bench/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
RAW="$OUT/raw.jsonl"
: > "$RAW"
echo "results in $OUT"

if [ "$BUILD" = 1 ]; then
  echo "building (mvn -Pbenchmarks package)..."
  rm -f "$HERE/server-$STACK/target/server-$STACK.jar" "$HERE/client-loadgen/target/client-loadgen.jar"
  (cd "$ROOT" && mvn -B -ntp -q -Pbenchmarks -DskipTests package \
    -pl "benchmarks/loadgen,benchmarks/client-loadgen,benchmarks/server-$STACK" -am) > "$OUT/build.log" 2>&1 \
    || { tail -50 "$OUT/build.log"; exit 1; }
fi

PIDS=()
cleanup() { for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill -9 "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

taskset -c "$SERVER_CPUS" java "${JVM_SERVER_OPTS[@]}" -jar "$HERE/server-$STACK/target/server-$STACK.jar" \
  --spring.profiles.active="$IMPL" --server.port="$PORT" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
for _ in $(seq 600); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server did not start (see $OUT/server.log)" >&2; exit 1; }
  sleep 0.1
done

# one JVM per load generator (--mode serve): a run per line on its stdin (a FIFO), its JSON lines
# into a file, each run ended by {"mode":"done"}
declare -A IN_FD=() LG_OUT=()
for client in $CLIENTS; do
  fifo="$OUT/$client.in" LG_OUT[$client]="$OUT/$client.out"
  mkfifo "$fifo"; : > "${LG_OUT[$client]}"
  case "$client" in
    netty) jar=("$HERE/loadgen/target/loadgen.jar") ;;
    starter-*) jar=("$HERE/client-loadgen/target/client-loadgen.jar" --transport "${client#starter-}") ;;
  esac
  taskset -c "$CLIENT_CPUS" java "${LOADGEN_OPTS[@]}" -jar "${jar[@]}" --mode serve --threads 1 \
    < "$fifo" > "${LG_OUT[$client]}" 2>> "$OUT/$client.log" &
  PIDS+=($!)
  exec {fd}> "$fifo"
  IN_FD[$client]=$fd
done

run_client() { # client args...: one run; its JSON lines on stdout
  local client="$1" out="${LG_OUT[$1]}" lines done_before; shift
  lines="$(wc -l < "$out")" done_before="$(grep -c '"mode":"done"' "$out" || true)"
  echo "$*" >&"${IN_FD[$client]}"
  for _ in $(seq 6000); do
    [ "$(grep -c '"mode":"done"' "$out" || true)" -gt "$done_before" ] && break
    sleep 0.1
  done
  tail -n +"$((lines + 1))" "$out" | grep '^{' | grep -v '"mode":"done"' || true
}

jit_cpu_ticks() { # pid: CPU time (user + system) of a JVM's JIT compiler threads so far
  local task t=0 f
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) f="$(sed 's/.*) //' "$task/stat" 2>/dev/null)" || continue
        set -- $f; t=$((t + ${12} + ${13})) ;;
    esac
  done
  echo "$t"
}
await_jit_idle() { # pid: until its compiler threads used no CPU for 0.5 s (at most 10 s)
  local last now still=0
  last="$(jit_cpu_ticks "$1")"
  for _ in $(seq 100); do
    sleep 0.1; now="$(jit_cpu_ticks "$1")"
    if [ "$now" = "$last" ]; then still=$((still + 1)); [ "$still" -ge 5 ] && return 0; else still=0; fi
    last="$now"
  done
}

specs="$(for sc in $ONLY; do echo "${SPEC[$sc]}"; done | paste -sd,)"
target="--url ws://127.0.0.1:$PORT/echo --server-pid $SERVER_PID --clk-tck $CLK_TCK"
for client in $CLIENTS; do
  echo "pre-warm: $client (${PREWARM} s)"
  run_client "$client" $target --scenarios "$specs" --prewarm "$PREWARM" --warmup 0 --duration 0 > "$OUT/prewarm-$client.jsonl"
  grep -q '"errors":[1-9]' "$OUT/prewarm-$client.jsonl" && { echo "pre-warm of $client failed:"; cat "$OUT/prewarm-$client.jsonl"; exit 1; }
done
await_jit_idle "$SERVER_PID"

record() { # round client scenario json
  local line="$4" re='^(.*),"(scenario|client)":"[^"]*"(.*)$'
  [[ $line == "{"*"}" ]] || line="{\"errors\":1,\"first_error\":\"no result\"}"
  while [[ $line =~ $re ]]; do line="${BASH_REMATCH[1]}${BASH_REMATCH[3]}"; done
  echo "${line%\}},\"round\":$1,\"client\":\"$2\",\"scenario\":\"$3\"}" >> "$RAW"
}

for rnd in $(seq "$ROUNDS"); do
  order="$CLIENTS"
  [ $((rnd % 2)) = 1 ] || order="$(echo "$CLIENTS" | tr ' ' '\n' | tac | paste -sd' ')"
  for sc in $ONLY; do
    for client in $order; do
      line="$(run_client "$client" $target --scenarios "${SPEC[$sc]}" --warmup "$WARMUP" --duration "$DURATION" | tail -1)"
      record "$rnd" "$client" "$sc" "$line"
      echo "round $rnd $sc $client: $(tail -1 "$RAW" | grep -o '"msgs_per_s":[^,]*\|"p99_us":[^,]*\|"client_cpu_pct":[^,]*\|"server_cpu_pct":[^,]*\|"mismatches":[^,]*\|"errors":[^,]*' | paste -sd' ')"
    done
  done
done

python3 - "$RAW" "$CLIENTS" > "$OUT/summary.md" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
clients = sys.argv[2].split()
base = clients[0]
def cpu_us(r):  # the load generator's CPU per message
    return r["client_cpu_pct"] / 100 / r["msgs_per_s"] * 1e6 if r.get("msgs_per_s") else float("nan")
print("| scenario | round | " + " | ".join(f"{c} msgs/s, p99 us, client CPU us/msg" for c in clients)
      + " | " + " | ".join(f"{c} / {base}" for c in clients[1:]) + " |")
print("|---|---|" + "---|" * (2 * len(clients) - 1))
for sc in dict.fromkeys(r["scenario"] for r in rows):
    ratios = {c: [] for c in clients[1:]}
    for rnd in sorted({r["round"] for r in rows}):
        got = {r["client"]: r for r in rows if r["scenario"] == sc and r["round"] == rnd}
        cells = []
        for c in clients:
            r = got.get(c, {})
            bad = "" if not (r.get("errors") or r.get("mismatches") or r.get("unexpected_closes")) else " (errors)"
            cells.append(f"{r.get('msgs_per_s', 0):,.0f}, {r.get('p99_us', 0):,.0f}, {cpu_us(r) if r else 0:.2f}{bad}")
        rat = []
        for c in clients[1:]:
            if got.get(c, {}).get("msgs_per_s") and got.get(base, {}).get("msgs_per_s"):
                x = got[c]["msgs_per_s"] / got[base]["msgs_per_s"]
                y = cpu_us(got[c]) / cpu_us(got[base])
                ratios[c].append((x, y))
                rat.append(f"{x:.2f}x (CPU/msg {y:.2f}x)")
            else:
                rat.append("-")
        print(f"| {sc} | {rnd} | " + " | ".join(cells) + " | " + " | ".join(rat) + " |")
    for c in clients[1:]:
        if ratios[c]:
            print(f"| {sc} | median | {c} / {base}: {statistics.median(x for x, _ in ratios[c]):.2f}x msgs/s, "
                  f"{statistics.median(y for _, y in ratios[c]):.2f}x client CPU per message |" + " |" * (2 * len(clients) - 2))
EOF
cat "$OUT/summary.md"
