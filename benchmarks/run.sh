#!/usr/bin/env bash
# Benchmarks: the starter against hand-written Spring handlers and outside peers, each an echo on
# /echo, all on 127.0.0.1. Builds everything, pins the server to CPU 0 and the load generator to
# CPU 1 (--server-cpus, --client-cpus), runs the scenarios in interleaved rounds, prints a table of
# medians and writes RESULTS.md.
#
#   benchmarks/run.sh            default set: 3 rounds (the outside peers netty-raw, node-ws and
#                                autobahn-python in the first only: --peer-rounds), 2.5 s per run
#                                after a warm-up of 0.5 s (--warmup); one load generator JVM for
#                                all echo runs; 15 s of pre-warm traffic (--prewarm: every
#                                scenario twice, at its own shape) on a fresh server, half that on an
#                                outside peer; 10,000 idle connections in the first round only
#                                (--idle-rounds); about 14 minutes on 2 cores
#   benchmarks/run.sh --quick    smoke: 1 round, 5 s pre-warm, 2 s per run, 2,000 idle connections
#   benchmarks/run.sh --scenarios "bcast-1k bcast-16k" --idle 0 --servers "baseline-tomcat ..."
#                                the broadcast group (not in the default set): 1 sender, 1,000
#                                receivers, 1 KiB or 16 KiB text, on /bcast of the Spring servers; a run of
#                                broadcast scenarios only writes the broadcast section of RESULTS.md
#                                and leaves the rest of it alone (a default run keeps that section)
#   options: --rounds N --peer-rounds N --prewarm S --warmup S --duration S --idle C (0: skip)
#            --idle-rounds N --jvm-rounds N (a fresh server JVM, pre-warmed again, every N rounds;
#            default: one JVM per server for all rounds) --servers "a b c" --scenarios
#            "thr-64 bin-1m" (a subset of the scenarios below) --no-build --no-results (do not
#            rewrite RESULTS.md)
#   CPUs:    --server-cpus 0-1 --client-cpus 2-4 (taskset lists, default 0 and 1) --client-threads 3
#            (the load generator's event loops, default 1; the raw Netty echo gets one per server CPU)
#   --bundle DIR: run from a bundle made by benchmarks/bundle.sh (its own Java runtime, the servers
#            exploded, the load generator; no Maven, JDK, network or Python needed, no outside
#            peers node-ws and autobahn-python); results into DIR/results/<date>, logs packed into
#            one logs.tar.gz. The bundle's run.sh passes it. --out DIR: the results folder.
#   --groups "0-1/2-4 5-6/7-9 10-11/12-14": the containers side by side, each on its own CPUs
#            (server CPUs/load generator CPUs): the first group runs Tomcat's servers, the second
#            Jetty's, the third Reactor Netty's and the outside peers (fewer groups: in turn); each
#            group is this script on those CPUs with its own load generator, and one report joins them
#   --alloc: write only the allocation section of RESULTS.md (heap bytes the server allocated per
#            echoed message, starter against hand-written; every echo run measures it, this run
#            reports it on its own and a default run keeps that section), e.g.
#            --alloc --servers "baseline-tomcat starter-tomcat ..." --scenarios "thr-64 thr-16k" --idle 0
#   --preset quiet16: the set for a quiet 16-CPU machine in about 6 minutes (QUIET-MACHINE.md):
#            --groups "0-1/2-4 5-6/7-9 10-11/12-14" --client-threads 3 --rounds 5 --warmup 1
#            --duration 3 (later options change it)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/lib.sh"
ROOT="$(dirname "$HERE")"
ROUNDS=3 PEER_ROUNDS=1 PREWARM=15 WARMUP=0.5 DURATION=2.5 IDLE=10000 IDLE_ROUNDS=1 JVM_ROUNDS="" BUILD=1 WRITE_RESULTS=1 QUICK=0 ONLY=""
SERVER_CPUS=0 CLIENT_CPUS=1 CLIENT_THREADS=1 BUNDLE="" OUT="" CPU_GROUPS="" PART="" BASE_PORT=18080
SERVERS="" ALLOC_ONLY=0
CMDLINE=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ROUNDS=1 PREWARM=5 DURATION=2 IDLE=2000 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --peer-rounds) PEER_ROUNDS="$2"; shift ;;
    --prewarm) PREWARM="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --idle) IDLE="$2"; shift ;;
    --idle-rounds) IDLE_ROUNDS="$2"; shift ;;
    --jvm-rounds) JVM_ROUNDS="$2"; shift ;;
    --servers) SERVERS="$2"; shift ;;
    --scenarios) ONLY="$2"; shift ;;
    --server-cpus) SERVER_CPUS="$2"; shift ;;
    --client-cpus) CLIENT_CPUS="$2"; shift ;;
    --client-threads) CLIENT_THREADS="$2"; shift ;;
    --no-build) BUILD=0 ;;
    --bundle) BUNDLE="$(cd "$2" && pwd)"; shift ;;
    --groups) CPU_GROUPS="$2"; shift ;;
    --preset)
      case "$2" in
        quiet16) CPU_GROUPS="0-1/2-4 5-6/7-9 10-11/12-14" CLIENT_THREADS=3 ROUNDS=5 WARMUP=1 DURATION=3 ;;
        *) echo "unknown preset $2 (quiet16)" >&2; exit 2 ;;
      esac
      shift ;;
    # for --groups: the group this run is (its label); its ports start above --base-port
    --part) PART="$2"; shift ;;
    --base-port) BASE_PORT="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --no-results) WRITE_RESULTS=0 ;;
    --alloc) ALLOC_ONLY=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
: "${JVM_ROUNDS:=$ROUNDS}"
PY=/usr/bin/python3
if [ -n "$BUNDLE" ]; then
  [ -x "$BUNDLE/runtime/bin/java" ] || { echo "$BUNDLE is not a benchmark bundle (no runtime/bin/java)" >&2; exit 2; }
  # the bundle's own runtime (java, jcmd), whatever the machine has
  export PATH="$BUNDLE/runtime/bin:$PATH"
  unset JAVA_HOME JAVA_TOOL_OPTIONS
  BUILD=0 WRITE_RESULTS=0
  PY="$(command -v python3 || echo python3)"
  : "${SERVERS:=netty-raw baseline-tomcat starter-tomcat baseline-jetty starter-jetty baseline-netty starter-netty}"
  for server in $SERVERS; do
    case "$server" in node-ws|autobahn-python) echo "$server is not in the bundle (it needs Node or Python with Autobahn installed)" >&2; exit 2 ;; esac
  done
fi
: "${SERVERS:=netty-raw baseline-tomcat starter-tomcat baseline-jetty starter-jetty baseline-netty starter-netty node-ws autobahn-python}"
[ "$JVM_ROUNDS" -ge 1 ] 2>/dev/null || { echo "--jvm-rounds must be at least 1" >&2; exit 2; }
[ "$CLIENT_THREADS" -ge 1 ] 2>/dev/null || { echo "--client-threads must be at least 1" >&2; exit 2; }
for cpus in "$SERVER_CPUS" "$CLIENT_CPUS" ${CPU_GROUPS//\// }; do
  taskset -c "$cpus" true 2>/dev/null || { echo "CPU list '$cpus' is not usable here (taskset -c; this machine: $(taskset -cp $$ | sed 's/.*: //'))" >&2; exit 2; }
done
cpu_list() { # taskset list: one CPU number a line
  local part
  for part in ${1//,/ }; do
    case "$part" in *-*) seq "${part%-*}" "${part#*-}" ;; *) echo "$part" ;; esac
  done
}
SERVER_CPU_COUNT="$(cpu_list "$SERVER_CPUS" | sort -u | wc -l)"
if [ -n "$(comm -12 <(cpu_list "$SERVER_CPUS" | sort -u) <(cpu_list "$CLIENT_CPUS" | sort -u))" ]; then
  echo "warning: the server's CPUs ($SERVER_CPUS) and the load generator's ($CLIENT_CPUS) overlap" >&2
fi

# scenario: name conns window size type (bin-1m runs on the JVM servers only)
SCENARIOS=(
  "lat-64 1 1 64 text"
  "lat-16k 1 1 16384 text"
  "thr-64 64 16 64 text"
  "thr-16k 64 16 16384 text"
  "bin-1m 4 2 1048576 binary"
)
# the broadcast group, run only when --scenarios names it (Spring servers only: /bcast):
# name receivers window size bcast
BCAST_SCENARIOS=(
  "bcast-1k 1000 8 1024 bcast"
  "bcast-16k 1000 8 16384 bcast"
)
BCAST_ONLY=0
if [[ " $ONLY " == *" bcast-"* ]]; then
  BCAST_ONLY=1
  for sc in $ONLY; do
    case "$sc" in bcast-*) ;; *) echo "run the broadcast scenarios on their own (--scenarios \"bcast-1k\"), not with $sc" >&2; exit 2 ;; esac
  done
fi
CLK_TCK="$(getconf CLK_TCK)"

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((IDLE + 1000)) ]; then
  echo "open-file limit $(ulimit -n) is too low for $IDLE idle connections" >&2; exit 1
fi

if [ -z "$OUT" ]; then
  OUT="${BUNDLE:-$HERE/target}/results/$(date -u +%Y%m%dT%H%M%SZ)"
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
RAW="$OUT/raw.jsonl"
: > "$RAW"
START_EPOCH=$(date +%s)
echo "results in $OUT"
{ # what the CPUs are, before anything runs: the sets above are chosen by it
  echo "nproc: $(nproc); this shell may run on CPUs $(taskset -cp $$ | sed 's/.*: //')"
  lscpu 2>/dev/null || grep -m 1 'model name' /proc/cpuinfo
  grep -E '^(MemTotal|MemAvailable):' /proc/meminfo
  uname -a
  java -version 2>&1
  [ -z "$BUNDLE" ] || cat "$BUNDLE/BUNDLE-INFO"
} > "$OUT/machine.txt" 2>&1 || true

# ---------------------------------------------------------------- build
if [ "$BUILD" = 1 ]; then
  echo "building (mvn -Pbenchmarks package)..."
  # Maven leaves a server jar alone when the server module itself did not change, and Spring
  # Boot's repackage then keeps the starter jar it packed last time: build the servers afresh
  rm -f "$HERE"/server-*/target/server-*.jar
  (cd "$ROOT" && mvn -B -ntp -q -Pbenchmarks -DskipTests package \
    -pl benchmarks/loadgen,benchmarks/server-tomcat,benchmarks/server-jetty,benchmarks/server-netty -am) > "$OUT/build.log" 2>&1 \
    || { tail -50 "$OUT/build.log"; exit 1; }
  if [ ! -d "$HERE/node/node_modules/ws" ]; then
    (cd "$HERE/node" && npm install --no-audit --no-fund --silent) > "$OUT/npm.log" 2>&1
  fi
  if ! "$PY" -c 'import autobahn.twisted' 2>/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-autobahn > "$OUT/apt.log" 2>&1
  fi
fi
LOADGEN="${BUNDLE:+$BUNDLE/loadgen/loadgen.jar}"
: "${LOADGEN:=$HERE/loadgen/target/loadgen.jar}"

# ---------------------------------------------------------------- servers
SERVER_PID=""
SERVER_ARGS=()   # extra arguments for the next Spring server start
IDLE_SERVER=0    # 1: the next server start is the idle measurement's (JVM_IDLE_SERVER_OPTS)
# Tomcat allocates the hand-written handler's message buffers per connection up front (2 MiB text +
# 2 MiB binary to fit the 1 MiB scenario: 1 GiB of heap runs out at ~250 connections), so the Tomcat
# baseline's idle run uses Tomcat's default 8 KiB buffers, as the starter does (with 64 KiB ones,
# ~245 KiB of heap per connection, 10,000 connections do not fit in 1 GiB).
IDLE_BUFFER="8KB"
# a Spring server answers the heap bytes it allocated so far on a port of its own (AllocationCounter)
alloc_port() { echo $(($1 + 1000)); }
is_spring() { case "$1" in starter-*|baseline-*|metered-*|buffer-*) return 0 ;; *) return 1 ;; esac; }
start_server() { # name port
  local name="$1" port="$2" log="$OUT/server-$1.log" jvm=("${JVM_SERVER_OPTS[@]}")
  [ "$IDLE_SERVER" = 1 ] && jvm=("${JVM_IDLE_SERVER_OPTS[@]}")
  case "$name" in
    netty-raw) taskset -c "$SERVER_CPUS" java "${jvm[@]}" -jar "$LOADGEN" --mode server --port "$port" \
      --threads "$SERVER_CPU_COUNT" >> "$log" 2>&1 & ;;
    starter-*|baseline-*|metered-*|buffer-*)
      # metered-*: the starter with Micrometer meters (a SimpleMeterRegistry, profile metered);
      # buffer-*: the starter's echo in the ByteBuffer form (StarterBufferEcho, profile buffer)
      local impl="${name%%-*}" stack="${name#*-}" app=()
      [ "$impl" = metered ] && impl="starter,metered"
      [ "$impl" = buffer ] && impl="starter,buffer"
      if [ -n "$BUNDLE" ]; then
        # exploded: the server's classes, then its jars from the shared lib/ in its class path's order
        local cp="$BUNDLE/servers/$stack/classes" jar
        while IFS= read -r jar; do cp+=":$BUNDLE/lib/$jar"; done < "$BUNDLE/servers/$stack/classpath"
        app=(-cp "$cp" "$(cat "$BUNDLE/servers/$stack/main-class")")
      else
        app=(-jar "$HERE/server-$stack/target/server-$stack.jar")
      fi
      taskset -c "$SERVER_CPUS" java "${jvm[@]}" "${app[@]}" \
        --spring.profiles.active="$impl" --server.port="$port" --bench.alloc-port="$(alloc_port "$port")" ${SERVER_ARGS[@]+"${SERVER_ARGS[@]}"} >> "$log" 2>&1 & ;;
    node-ws) BENCH_PORT="$port" taskset -c "$SERVER_CPUS" node "$HERE/node/echo.js" >> "$log" 2>&1 & ;;
    autobahn-python) taskset -c "$SERVER_CPUS" "$PY" "$HERE/python/echo.py" "$port" >> "$log" 2>&1 & ;;
    *) echo "unknown server $name" >&2; exit 2 ;;
  esac
  SERVER_PID=$!
  if await_port "$port" "$SERVER_PID"; then return 0; fi
  echo "server $name did not start (see $log)" >&2
  return 1
}

stop_server() {
  # SIGKILL: nothing to shut down cleanly, and a graceful shutdown (Reactor Netty's quiet period,
  # Spring's graceful shutdown) cost ~2 s per server start
  [ -n "$SERVER_PID" ] || return 0
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
# Servers under test keep running from their first round to their last (one JVM start each
# instead of one per round; --jvm-rounds for more), stopped with SIGSTOP while the others are
# measured.
declare -A RUNNING=()
LOADGEN_PID=""
stop_all() {
  stop_server
  [ -z "$LOADGEN_PID" ] || { kill -9 "$LOADGEN_PID" 2>/dev/null || true; }
  for pid in "${RUNNING[@]}"; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  RUNNING=()
  for pid in ${PARTS[@]+"${PARTS[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in ${PARTS[@]+"${PARTS[@]}"}; do wait "$pid" 2>/dev/null || true; done
  PARTS=()
}
PARTS=()
plural() { [ "$1" -gt 1 ] && echo s || true; }
machine() { # one line: CPU model and count, memory, kernel, runtimes (lscpu and free may be missing)
  local cpu
  cpu="$(lscpu 2>/dev/null | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}')"
  [ -n "$cpu" ] || cpu="$(awk -F: '/^model name/ {gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)"
  printf '%s, %s CPUs, %s GiB, Linux %s; %s' "$cpu" "$(nproc)" "$(awk '/^MemTotal:/ {printf "%d", $2 / 1048576}' /proc/meminfo)" \
    "$(uname -r)" "$(java -version 2>&1 | head -1)"
  if [[ " $SERVERS " == *" node-ws "* ]]; then printf '; node %s' "$(node --version 2>&1)"; fi
  if [[ " $SERVERS " == *" autobahn-python "* ]]; then
    printf '; Python %s' "$("$PY" -c 'import sys, autobahn, twisted; print(sys.version.split()[0], "autobahn", autobahn.__version__, "twisted", twisted.__version__)' 2>&1)"
  fi
}

# the report (and in a bundle, the small results folder), from the raw lines there are
finish() {
  [ -z "${FINISHED:-}" ] || return 0
  FINISHED=1
  if [ -n "$CPU_GROUPS" ]; then cat "$OUT"/group-*/raw.jsonl >> "$RAW" 2>/dev/null || true; fi
  ELAPSED=$(($(date +%s) - START_EPOCH))
  MACHINE="$(machine)"
  CPUS="${GROUP_CPUS:-the server pinned to CPU$(plural "$SERVER_CPU_COUNT") $SERVER_CPUS, the load generator to CPU$(plural "$(cpu_list "$CLIENT_CPUS" | sort -u | wc -l)") $CLIENT_CPUS with $CLIENT_THREADS event loop thread$(plural "$CLIENT_THREADS") (taskset)}"
  ARGS=(--raw "$RAW" --elapsed "$ELAPSED" --machine "$MACHINE" --cpus "$CPUS" --client-threads "$CLIENT_THREADS"
    --jvm-servers "${JVM_SERVER_OPTS[*]}" --jvm-idle-servers "${JVM_IDLE_SERVER_OPTS[*]}" --settings "rounds $ROUNDS (outside peers $([ "$PEER_ROUNDS" -lt "$ROUNDS" ] && echo "$PEER_ROUNDS" || echo "$ROUNDS")), one load generator JVM for all echo runs, ${PREWARM} s of pre-warm traffic (every scenario twice, at its own shape) on a fresh server (half that on an outside peer; a JVM's compiler threads on the server's and the load generator's CPUs meanwhile), $([ "$JVM_ROUNDS" -lt "$ROUNDS" ] && echo "a fresh server JVM every $JVM_ROUNDS round(s)" || echo "one JVM per server for all rounds"), warm-up ${WARMUP} s and measurement ${DURATION} s per run, idle connections $IDLE in $([ "$IDLE_ROUNDS" -lt "$ROUNDS" ] && echo "$IDLE_ROUNDS" || echo "$ROUNDS") round(s)$([ "$QUICK" = 1 ] && echo ' (--quick)' || true)$([ "$INTERRUPTED" = 0 ] || echo "; interrupted after $ELAPSED s: only the runs that ended")$([ -z "$BUNDLE" ] || echo "; from the bundle $(head -1 "$BUNDLE/BUNDLE-INFO")")")
  # report.sh makes the report again from raw.jsonl where it is taken (a quiet machine may have no
  # Python): bash report.sh path/to/benchmarks/report.py
  {
    echo '#!/usr/bin/env bash'
    echo '# RESULTS.md (and table.md) again from raw.jsonl, written by benchmarks/run.sh: bash report.sh path/to/benchmarks/report.py'
    echo 'set -euo pipefail; cd "$(dirname "$0")"; R="${1:?the path of benchmarks/report.py}"'
    printf 'A=(--raw raw.jsonl'; printf ' %q' "${ARGS[@]:2}"; echo ')'
    echo 'python3 "$R" "${A[@]}" > table.md && python3 "$R" "${A[@]}" --results > RESULTS.md'
  } > "$OUT/report.sh"
  ARGS+=(--command "benchmarks/run.sh${CMDLINE[*]:+ ${CMDLINE[*]}}")
  # A run of one group (the allocation run, the broadcast group) writes its section of
  # RESULTS.md only: $1 is report.py's option for it, $2 the section's name.
  write_section() {
    [ "$WRITE_RESULTS" = 1 ] && cp "$HERE/RESULTS.md" "$OUT/RESULTS.md" 2>/dev/null || true
    "$PY" "$HERE/report.py" "${ARGS[@]}" "$1" "$OUT/RESULTS.md" | tee "$OUT/table.md"
    if [ "$WRITE_RESULTS" = 1 ]; then
      cp "$OUT/RESULTS.md" "$HERE/RESULTS.md"
      echo "wrote the $2 section of $HERE/RESULTS.md"
    fi
  }
  if "$PY" -c '' 2>/dev/null && [ "$ALLOC_ONLY" = 1 ]; then
    write_section --alloc-into allocation
  elif "$PY" -c '' 2>/dev/null && [ "$BCAST_ONLY" = 1 ]; then
    write_section --broadcast-into broadcast
  elif "$PY" -c '' 2>/dev/null; then
    "$PY" "$HERE/report.py" "${ARGS[@]}" | tee "$OUT/table.md"
    "$PY" "$HERE/report.py" "${ARGS[@]}" --results --keep-broadcast-from "$HERE/RESULTS.md" > "$OUT/RESULTS.md"
    if [ "$WRITE_RESULTS" = 1 ]; then
      cp "$OUT/RESULTS.md" "$HERE/RESULTS.md"
      echo "wrote $HERE/RESULTS.md"
    fi
  else
    echo "no Python here ($PY): no report; raw.jsonl is in $OUT, and 'bash report.sh benchmarks/report.py' there makes RESULTS.md" >&2
  fi
  if [ -n "$BUNDLE" ]; then
    # a few small files to bring back: the logs of every run go into one archive
    (cd "$OUT" && find . -mindepth 1 -maxdepth 1 ! -name raw.jsonl ! -name RESULTS.md ! -name table.md ! -name report.sh \
      ! -name machine.txt ! -name logs.tar.gz -printf '%P\n' | tar -czf logs.tar.gz -T - --remove-files) || true
    echo "results: $OUT ($(ls "$OUT" | tr '\n' ' '))"
  fi
  echo "total $ELAPSED s"
}

# A signal ends the run too (a group's run is stopped with TERM when the whole run is), with a
# report of the runs that ended: under `timeout`, a run cut short still brings something back.
interrupted() {
  trap - INT TERM
  stop_all
  if [ -z "$PART" ]; then
    echo "interrupted: the report covers the runs that ended" >&2
    INTERRUPTED=1
    finish || true
  fi
  exit 130
}
INTERRUPTED=0
trap 'stop_all' EXIT
trap 'interrupted' INT TERM

is_jvm() { case "$1" in node-ws|autobahn-python) return 1 ;; *) return 0 ;; esac; }
is_peer() { case "$1" in netty-raw|node-ws|autobahn-python) return 0 ;; *) return 1 ;; esac; }

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
heap_kb() { # used heap right after a full GC, JVM servers only
  if is_jvm "$2"; then
    jcmd "$1" GC.run > /dev/null 2>&1 || true
    jcmd "$1" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -1 | tr -dc '0-9'
  fi
}

# The measurement itself needs no Python (a quiet machine may have none): the load generator's
# lines are flat JSON objects, extended here as text.
json_get() { # key json: the value of a top-level field of a flat JSON line (strings unquoted), or None
  local re="\"$1\":(\"[^\"]*\"|[^,}]*)"
  if [[ $2 =~ $re ]]; then local v="${BASH_REMATCH[1]}"; v="${v#\"}"; echo "${v%\"}"; else echo None; fi
}

record() { # round server scenario json extra-json-fields: one line of raw.jsonl
  local line="$4" extra="${5:-}" re='^(.*),"scenario":"[^"]*"(.*)$' text
  if [[ $line != "{"*"}" ]]; then
    text="${line:0:200}"; text="${text//[\"\\]/\'}"
    line="{\"errors\":1,\"first_error\":\"no result: ${text//[[:cntrl:]]/ }\"}"
  fi
  # the scenario is the script's name for the run: the load generator's field gives way to it
  if [[ $line =~ $re ]]; then line="${BASH_REMATCH[1]}${BASH_REMATCH[2]}"; fi
  line="${line#\{}"; line="${line%\}}"
  extra="${extra#\{}"; extra="${extra%\}}"
  echo "{${line:+$line,}${extra:+$extra,}\"round\":$1,\"server\":\"$2\",\"scenario\":\"$3\"}" >> "$RAW"
}

run_idle() { # round server port
  local rnd="$1" server="$2" port="$3" release="$OUT/release" lgout="$OUT/idle-$2.out"
  rm -f "$release"; : > "$lgout"
  sleep 1
  local rss0 heap0 rss1 heap1
  heap0="$(heap_kb "$SERVER_PID" "$server")"; rss0="$(rss_kb "$SERVER_PID")"
  taskset -c "$CLIENT_CPUS" java "${LOADGEN_OPTS[@]}" -jar "$LOADGEN" --mode idle --url "ws://127.0.0.1:$port/echo" \
    --threads "$CLIENT_THREADS" --conns "$IDLE" --concurrency 200 --hold 120 --release-file "$release" > "$lgout" 2>> "$OUT/loadgen.log" &
  local lg=$!
  await_line "$lgout" '"mode":"idle"' "$lg" 1500
  sleep 1
  heap1="$(heap_kb "$SERVER_PID" "$server")"; rss1="$(rss_kb "$SERVER_PID")"
  touch "$release"
  # the load generator reports before its close handshakes: no need to wait for 10,000 of those
  # (up to 5 s), the server is stopped next
  await_line "$lgout" '"mode":"idle-end"' "$lg" 300
  kill -9 "$lg" 2>/dev/null || true
  wait "$lg" 2>/dev/null || true
  local open_line end_line
  open_line="$(grep '"mode":"idle"' "$lgout" || echo '{}')"
  end_line="$(grep '"mode":"idle-end"' "$lgout" || echo '{"still_open":null,"unexpected_closes":null}')"
  local extra n still closes
  n="$(json_get succeeded "$open_line")"; still="$(json_get still_open "$end_line")"; closes="$(json_get unexpected_closes "$end_line")"
  extra="$(awk -v r0="$rss0" -v r1="$rss1" -v h0="$heap0" -v h1="$heap1" -v n="$n" -v still="$still" -v closes="$closes" '
function num(s) { return s ~ /^[0-9]+$/ ? s : "null" }
function per(a, b) { return (n + 0 > 0 && a + 0 && b + 0) ? sprintf("%.2f", (b - a) / n) : "null" }
BEGIN { printf "{\"rss_before_kb\":%s,\"rss_after_kb\":%s,\"heap_before_kb\":%s,\"heap_after_kb\":%s,", num(r0), num(r1), num(h0), num(h1)
        printf "\"still_open\":%s,\"unexpected_closes\":%s,", num(still), num(closes)
        printf "\"rss_per_conn_kb\":%s,\"heap_per_conn_kb\":%s}", per(r0, r1), per(h0, h1) }')"
  # a connection lost during the hold: how (the load generator's first error, which the report lists)
  local lost_re='"first_error":("[^"]*")'
  if [[ $end_line =~ $lost_re ]]; then extra="${extra%\}},\"first_error\":${BASH_REMATCH[1]}}"; fi
  record "$rnd" "$server" "idle" "$open_line" "$extra"
}

# One load generator JVM runs every echo scenario of the whole benchmark, one run per line on its
# stdin: a JVM started per run spent most of its CPU in the C2 compiler during the measurement
# (perf: 62% of the load generator's CPU in an N=1 run after a 3 s warm-up), and on its single
# CPU the compiler preempted the event loop, which added milliseconds to the p99.
start_loadgen() {
  coproc LOADGEN_PROC { exec taskset -c "$CLIENT_CPUS" java "${LOADGEN_OPTS[@]}" -jar "$LOADGEN" --mode serve \
    --threads "$CLIENT_THREADS" 2>> "$OUT/loadgen.log"; }
  LOADGEN_PID="$LOADGEN_PROC_PID"
  LOADGEN_IN="${LOADGEN_PROC[1]}" LOADGEN_OUT="${LOADGEN_PROC[0]}"
}

loadgen_run() { # out-file args...: one run of the load generator JVM, its report lines into the file
  local out="$1" line; shift
  echo "$*" >&"$LOADGEN_IN"
  : > "$out"
  while IFS= read -r -t 600 line <&"$LOADGEN_OUT"; do
    [ "$line" = '{"mode":"done"}' ] && break
    echo "$line" >> "$out"
  done
}

jit_threads() { # pid: the task ids of a JVM's JIT compiler threads
  local task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in C1\ Compiler*|C2\ Compiler*) echo "${task##*/}" ;; esac
  done
}
jit_threads_on() { # cpus tid...: move a JVM's JIT compiler threads
  local cpus="$1" tid; shift
  for tid in "$@"; do taskset -p -c "$cpus" "$tid" > /dev/null 2>&1 || true; done
}
jit_cpu_ticks() { # pid tid...: CPU time (user + system) the compiler threads used so far
  local pid="$1"; shift
  # fields counted after the ")" that ends the thread's name, which has a space ("C2 CompilerThre")
  (cd "/proc/$pid/task" && cat "${@/%//stat}" 2>/dev/null) | awk '{ sub(/.*\) /, ""); t += $12 + $13 } END { print t + 0 }'
}
await_jit_idle() { # pid tid...: until the compiler threads used no CPU for 0.5 s (at most 10 s)
  local last now still=0
  last="$(jit_cpu_ticks "$@")"
  for _ in $(seq 100); do
    sleep 0.1
    now="$(jit_cpu_ticks "$@")"
    if [ "$now" = "$last" ]; then still=$((still + 1)); [ "$still" -ge 5 ] && return 0; else still=0; fi
    last="$now"
  done
}

run_echos() { # round server port fresh(0|1): this server's scenarios (after a pre-warm if fresh)
  local rnd="$1" server="$2" port="$3" fresh="$4" specs=() names=() sc name line lgout="$OUT/echo.out" prewarm=0
  for sc in "${SCENARIOS[@]}" "${BCAST_SCENARIOS[@]}"; do
    set -- $sc
    if [ "$1" = bin-1m ] && ! is_jvm "$server"; then continue; fi
    if [ "$5" = bcast ] && { is_peer "$server" || [[ " $ONLY " != *" $1 "* ]]; }; then continue; fi
    if [ -n "$ONLY" ] && [[ " $ONLY " != *" $1 "* ]]; then continue; fi
    specs+=("$1:$2:$3:$4:$5"); names+=("$1")
  done
  [ ${#specs[@]} -gt 0 ] || return 0
  if [ -z "$LOADGEN_PID" ] || ! kill -0 "$LOADGEN_PID" 2>/dev/null; then start_loadgen; fi
  local target="--url ws://127.0.0.1:$port/echo --scenarios $(IFS=,; echo "${specs[*]}") --server-pid $SERVER_PID --clk-tck $CLK_TCK"
  is_spring "$server" && target+=" --server-alloc-url http://127.0.0.1:$(alloc_port "$port")/"
  # traffic before the first measurement, every scenario twice at its own shape, results dropped: a
  # fresh Spring server pinned to one CPU spent ~11 s of CPU in C2 over its first ~30 s of traffic
  # (its compile queue still full of startup methods). Meanwhile its compiler threads may use the
  # load generator's CPUs too, and the first measurement waits until they are idle: with C2 on the
  # server's CPU alone, round 1 ran lat-64 at about half the later rounds' rate (on five of the
  # six Spring servers in a default run). The outside peers (and the load generator, warmed by
  # netty-raw) need less.
  if [ "$fresh" = 1 ]; then
    prewarm="$PREWARM"
    is_peer "$server" && prewarm="$(awk -v p="$PREWARM" 'BEGIN { print p / 2 }')"
  fi
  if [ "$prewarm" != 0 ]; then
    local jit=()
    is_jvm "$server" && mapfile -t jit < <(jit_threads "$SERVER_PID")
    jit_threads_on "$SERVER_CPUS,$CLIENT_CPUS" ${jit[@]+"${jit[@]}"}
    loadgen_run "$lgout" $target --prewarm "$prewarm" --warmup 0 --duration 0
    if [ ${#jit[@]} -gt 0 ]; then
      # the pre-warm's last compilations would otherwise run during the first measurement
      await_jit_idle "$SERVER_PID" "${jit[@]}"
      jit_threads_on "$SERVER_CPUS" "${jit[@]}"
    fi
    # kept so that an error there shows in the report
    while IFS= read -r line; do record "$rnd" "$server" prewarm "$line" "{}"; done < <(grep '"scenario":"prewarm"' "$lgout" || true)
  fi
  loadgen_run "$lgout" $target --warmup "$WARMUP" --duration "$DURATION"
  for name in "${names[@]}"; do
    line="$(grep -F "\"scenario\":\"$name\"" "$lgout" | tail -1 || true)"
    record "$rnd" "$server" "$name" "$line" "{}"
    line="$(tail -1 "$RAW")"
    if [[ $name == bcast-* ]]; then
      printf '  %-8s %10s deliveries/s  p50 %8s us  p99 %8s us to the last receiver  server cpu %5s us/delivery %5s%%  client cpu %5s%%  errors %s/%s/%s\n' "$name" \
        "$(json_get deliveries_per_s "$line")" "$(json_get p50_us "$line")" "$(json_get p99_us "$line")" \
        "$(json_get server_cpu_us_per_delivery "$line")" "$(json_get server_cpu_pct "$line")" "$(json_get client_cpu_pct "$line")" \
        "$(json_get mismatches "$line")" "$(json_get unexpected_closes "$line")" "$(json_get errors "$line")"
      continue
    fi
    printf '  %-8s %10s msg/s  p99 %10s us  server cpu %5s%%  alloc %9s B/msg  client cpu %5s%%  errors %s/%s/%s\n' "$name" \
      "$(json_get msgs_per_s "$line")" "$(json_get p99_us "$line")" "$(json_get server_cpu_pct "$line")" \
      "$(json_get server_alloc_bytes_per_msg "$line")" \
      "$(json_get client_cpu_pct "$line")" "$(json_get mismatches "$line")" "$(json_get unexpected_closes "$line")" "$(json_get errors "$line")"
  done
}

# ---------------------------------------------------------------- rounds (servers interleaved)
declare -A PORT=()
i=0
for server in $SERVERS; do i=$((i + 1)); PORT[$server]=$((BASE_PORT + i)); done
# every other round the starter goes before its baseline, so that neither always follows the other
# (the load generator's and the machine's state after a server's runs is the next one's start)
in_round_order() { # round
  if [ $(($1 % 2)) = 1 ]; then echo "$SERVERS"; return; fi
  echo "$SERVERS" | sed -E -e 's/baseline-([a-z]+) starter-\1/starter-\1 baseline-\1/g' \
    -e 's/starter-([a-z]+) metered-\1/metered-\1 starter-\1/g' -e 's/starter-([a-z]+) buffer-\1/buffer-\1 starter-\1/g'
}
run_rounds() {
  for rnd in $(seq "$ROUNDS"); do
    idle_now="$IDLE"; [ "$rnd" -le "$IDLE_ROUNDS" ] || idle_now=0
    for server in $(in_round_order "$rnd"); do
      port="${PORT[$server]}"
      # the outside peers are references, not under test: fewer rounds keep the default set short
      if is_peer "$server" && [ "$rnd" -gt "$PEER_ROUNDS" ]; then continue; fi
      echo "round $rnd/$ROUNDS: $server ($(($(date +%s) - START_EPOCH)) s elapsed)"
      # idle connections first, on a server of their own: the memory baseline is taken before any
      # traffic, and the echo runs do not inherit what 10,000 connections leave behind (a Tomcat
      # server that had held them ran the N=1 scenarios at about half the rate, at 100% CPU)
      if [ "$idle_now" -gt 0 ] && [ "$server" != netty-raw ]; then
        [ "$server" = baseline-tomcat ] && SERVER_ARGS=(--bench.message-buffer="$IDLE_BUFFER")
        IDLE_SERVER=1
        # a port of its own: from round 2 this server's JVM of the echo runs is kept (stopped) on
        # its port, which still accepts connections in the kernel
        idle_port=$((port + 2000))
        if start_server "$server" "$idle_port"; then run_idle "$rnd" "$server" "$idle_port"; fi
        stop_server; SERVER_ARGS=(); IDLE_SERVER=0
      fi
      fresh=0
      if [ -n "${RUNNING[$server]:-}" ]; then
        SERVER_PID="${RUNNING[$server]}"
        kill -CONT "$SERVER_PID"
      else
        fresh=1
        # 1,000 receivers: the Tomcat baseline with message buffers that just fit the broadcast's
        # messages (its 2 MiB ones for bin-1m, allocated per connection, exhaust the heap)
        [ "$BCAST_ONLY" = 1 ] && [ "$server" = baseline-tomcat ] && SERVER_ARGS=(--bench.message-buffer="$BCAST_BUFFER")
        if ! start_server "$server" "$port"; then
          SERVER_ARGS=()
          record "$rnd" "$server" "start" '{"errors":1,"first_error":"server did not start"}' "{}"; stop_server; continue
        fi
        SERVER_ARGS=()
      fi
      run_echos "$rnd" "$server" "$port" "$fresh"
      if is_peer "$server" || [ "$rnd" -ge "$ROUNDS" ] || [ $((rnd % JVM_ROUNDS)) = 0 ]; then
        unset "RUNNING[$server]"; stop_server
      else
        # stopped (SIGSTOP) until its next turn: an idle JVM's timers and pollers would otherwise
        # wake up on the server's CPUs in the middle of another server's measurement
        kill -STOP "$SERVER_PID"
        RUNNING[$server]="$SERVER_PID"; SERVER_PID=""
      fi
    done
  done
}

# --groups: this script once per group, side by side, each on its CPUs with its servers; their raw
# lines are joined into one report
run_groups() {
  local groups=($CPU_GROUPS) containers=(tomcat jetty netty) members=() labels=() server c k desc=()
  for server in $SERVERS; do
    case "$server" in *-tomcat) c=0 ;; *-jetty) c=1 ;; *) c=2 ;; esac
    k=$((c % ${#groups[@]}))
    members[k]="${members[k]:-}${members[k]:+ }$server"
    case " ${labels[k]:-} " in *" ${containers[c]} "*) ;; *) labels[k]="${labels[k]:-}${labels[k]:+ }${containers[c]}" ;; esac
  done
  for k in "${!groups[@]}"; do
    [ -n "${members[k]:-}" ] || continue
    local label="${labels[k]// /+}"
    desc+=("$label (${members[k]}) on CPUs ${groups[k]%/*}, its load generator on CPUs ${groups[k]#*/}")
    bash "$HERE/run.sh" "${CMDLINE[@]}" --groups "" --part "$label" --no-build --no-results --servers "${members[k]}" \
      --server-cpus "${groups[k]%/*}" --client-cpus "${groups[k]#*/}" --base-port $((BASE_PORT + 100 * (k + 1))) \
      --out "$OUT/group-$((k + 1))" > >(sed -u "s/^/[$label] /") 2>&1 &
    PARTS+=($!)
  done
  GROUP_CPUS="side by side, pinned with taskset: $(IFS=';'; echo "${desc[*]}" | sed 's/;/; /g'); each load generator with $CLIENT_THREADS event loop thread$(plural "$CLIENT_THREADS")"
  local pid failed=0
  for pid in "${PARTS[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  PARTS=()
  [ "$failed" = 0 ] || echo "$failed group(s) failed: see $OUT/group-*" >&2
}

GROUP_CPUS=""
if [ -n "$CPU_GROUPS" ]; then run_groups; else run_rounds; fi
[ -z "$PART" ] || exit 0

finish
