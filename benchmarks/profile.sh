#!/usr/bin/env bash
# A CPU profile of one benchmark server under one scenario: the server pinned to CPU 0 and the load
# generator to CPU 1 (as run.sh does), async-profiler attached for the steady state only, and the
# hottest methods printed (self and inclusive shares of the samples).
#
#   benchmarks/profile.sh starter-tomcat                       the broadcast (bcast-1k), 12 s profiled
#   benchmarks/profile.sh baseline-netty thr-64:64:16:64:text  any load generator scenario spec
#                                                              (name:conns:window:size:type)
#   options: --seconds S (profiled, default 12) --prewarm S (load before it, default 30: a fresh
#            server's compiler was still busy 25 s into the 16 KiB broadcast) --port P
#            (default 18300) --no-build
#
# Servers as in run.sh: starter-*, baseline-*, metered-*, buffer-* on tomcat, jetty or netty. It
# builds the servers and the load generator (mvn -Pbenchmarks package) unless --no-build, and takes
# async-profiler 4.1 from Maven Central (tools.profiler:async-profiler, Linux x64 or arm64) into
# benchmarks/target/profiler. Output in benchmarks/target/profile/<server>-<date>/: cpu.collapsed
# (folded stacks, for any flame graph tool), top.txt, the server's and the load generator's logs.
# Needs JDK 17+, Maven, python3, taskset; perf_event_paranoid above 1 is fine (the profiler falls
# back to its own timer).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib.sh"
ROOT="$(dirname "$HERE")"
SECONDS_PROFILED=12 PREWARM=30 PORT=18300 BUILD=1 SERVER="" SCENARIO="bcast-1k:1000:8:1024:bcast"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PROFILED="$2"; shift ;;
    --prewarm) PREWARM="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    --no-build) BUILD=0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) if [ -z "$SERVER" ]; then SERVER="$1"; else SCENARIO="$1"; fi ;;
  esac
  shift
done
[ -n "$SERVER" ] || { sed -n '2,18p' "$0"; exit 2; }
impl="${SERVER%%-*}" stack="${SERVER#*-}"
case "$impl" in starter|baseline) ;; metered) impl="starter,metered" ;; buffer) impl="starter,buffer" ;;
  *) echo "unknown server $SERVER (starter-*, baseline-*, metered-*, buffer-*)" >&2; exit 2 ;; esac
case "$stack" in tomcat|jetty|netty) ;; *) echo "unknown stack in $SERVER (tomcat, jetty, netty)" >&2; exit 2 ;; esac

OUT="$HERE/target/profile/$SERVER-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
if [ "$BUILD" = 1 ]; then
  echo "building (mvn -Pbenchmarks package)..."
  (cd "$ROOT" && mvn -B -ntp -q -Pbenchmarks -DskipTests package \
    -pl benchmarks/loadgen,benchmarks/server-tomcat,benchmarks/server-jetty,benchmarks/server-netty -am) > "$OUT/build.log" 2>&1 \
    || { tail -50 "$OUT/build.log"; exit 1; }
fi

case "$(uname -m)" in x86_64) arch=linux-x64 ;; aarch64) arch=linux-arm64 ;; *) echo "no async-profiler for $(uname -m)" >&2; exit 1 ;; esac
LIB="$HERE/target/profiler/$arch/libasyncProfiler.so"
if [ ! -f "$LIB" ]; then
  (cd "$ROOT" && mvn -B -ntp -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.1 \
    -DoutputDirectory="$HERE/target/profiler") > "$OUT/profiler-download.log" 2>&1 \
    || { tail -20 "$OUT/profiler-download.log"; exit 1; }
  (cd "$HERE/target/profiler" && unzip -q -o async-profiler-4.1.jar "$arch/libasyncProfiler.so")
fi

# Tomcat's hand-written handler gets the broadcast's message buffers (lib.sh): its default ones,
# sized for the 1 MiB scenario, do not fit 1,000 connections in the heap.
extra=()
[ "$SERVER" = baseline-tomcat ] && extra=(--bench.message-buffer="$BCAST_BUFFER")
taskset -c 0 java "${JVM_SERVER_OPTS[@]}" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
  -jar "$HERE/server-$stack/target/server-$stack.jar" --spring.profiles.active="$impl" --server.port="$PORT" \
  --bench.alloc-port=$((PORT + 1000)) ${extra[@]+"${extra[@]}"} > "$OUT/server.log" 2>&1 &
server=$!
LOADGEN_PID=""
trap 'kill "$server" ${LOADGEN_PID:+"$LOADGEN_PID"} 2>/dev/null || true' EXIT
await_port "$PORT" "$server" || { echo "the server did not start:" >&2; tail -20 "$OUT/server.log" >&2; exit 1; }

# pre-warm and 2 s of warm-up, then a measurement window that the profile covers (the result's
# CPU per delivery is the window's)
taskset -c 1 java "${LOADGEN_OPTS[@]}" -jar "$HERE/loadgen/target/loadgen.jar" --mode echo \
  --url "ws://127.0.0.1:$PORT/echo" --scenarios "$SCENARIO" --server-pid "$server" --clk-tck "$(getconf CLK_TCK)" \
  --prewarm "$PREWARM" --warmup 2 --duration $((SECONDS_PROFILED + 1)) > "$OUT/loadgen.out" 2> "$OUT/loadgen.log" &
LOADGEN_PID=$!
# after the load generator's pre-warm, its connections and its warm-up: the profile covers the
# measurement window only (a fixed wait had caught the 16 KiB broadcast's 1,000 handshakes)
window="^measuring ${SCENARIO%%:*}\$"
await_line "$OUT/loadgen.log" "$window" "$LOADGEN_PID" $(((PREWARM + 120) * 10))
grep -q "$window" "$OUT/loadgen.log" || { echo "no measurement window after $((PREWARM + 120)) s:" >&2
  tail -20 "$OUT/loadgen.log" >&2; exit 1; }
# jcmd reads key=value pairs: the profiler's options go in quotes
jcmd "$server" JVMTI.agent_load "$LIB" "\"start,event=cpu,interval=1ms\"" > "$OUT/profiler.log"
sleep "$SECONDS_PROFILED"
jcmd "$server" JVMTI.agent_load "$LIB" "\"stop,collapsed,file=$OUT/cpu.collapsed\"" >> "$OUT/profiler.log"
wait "$LOADGEN_PID" || true
LOADGEN_PID=""

grep '"scenario"' "$OUT/loadgen.out" | tail -1 > "$OUT/result.json" || true
python3 - "$OUT/cpu.collapsed" "$OUT/result.json" <<'PY' | tee "$OUT/top.txt"
import collections, json, sys
total = 0
own = collections.Counter()
within = collections.Counter()
for line in open(sys.argv[1]):
    stack, count = line.rsplit(' ', 1)
    frames = stack.split(';')
    count = int(count)
    total += count
    own[frames[-1]] += count
    for frame in set(frames):
        within[frame] += count
try:
    r = json.loads(open(sys.argv[2]).read())
    print('run: %s deliveries or msgs/s %s, server CPU us per delivery %s, per message %s, errors %s' % (
        r.get('scenario'), r.get('deliveries_per_s', r.get('msgs_per_s')), r.get('server_cpu_us_per_delivery'),
        r.get('server_cpu_us_per_msg'), r.get('errors')))
except (OSError, ValueError):
    print('run: no result from the load generator (see loadgen.log)')
print('samples: %d' % total)
print('--- self (the method on top of the stack)')
for frame, count in own.most_common(30):
    print('%5.1f%% %s' % (100.0 * count / total, frame))
print('--- inclusive (the method anywhere in the stack)')
for frame, count in within.most_common(60):
    print('%5.1f%% %s' % (100.0 * count / total, frame))
PY
echo "folded stacks: $OUT/cpu.collapsed"
