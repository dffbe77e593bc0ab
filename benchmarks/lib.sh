# What the benchmark scripts share (run.sh, cluster-bench.sh, client-bench.sh, profile.sh); sourced.

# The JVMs' options: the same collector and heap for every JVM server, and the whole heap touched at
# start (AlwaysPreTouch), so that the kernel's page faults on heap memory touched for the first time
# fall in the start-up and not in a measurement. Without it, a fresh Reactor Netty server ran the
# broadcast at 3.5 to 8.3 us of CPU per delivery from one run to the next (page faults under its
# allocations in the slow runs), with it at 2.8 to 3.5.
# The idle measurement's servers are not pre-touched: it counts resident memory per connection,
# the heap's included.
JVM_IDLE_SERVER_OPTS=(-XX:+UseG1GC -Xms1g -Xmx1g)
JVM_SERVER_OPTS=("${JVM_IDLE_SERVER_OPTS[@]}" -XX:+AlwaysPreTouch)
LOADGEN_OPTS=(-XX:+UseParallelGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch)

# Tomcat's hand-written handler allocates its message buffers per connection up front, sized for
# the 1 MiB scenario by default; for the broadcast's 1,000 receivers it gets buffers just large
# enough for the broadcast's largest message (16 KiB): --bench.message-buffer="$BCAST_BUFFER".
BCAST_BUFFER="32KB"

# await_line file pattern pid tenths: until the file has a line that matches the pattern (grep),
# the process pid ends or tenths of a second have passed; always returns 0 (check the file after).
await_line() {
  for _ in $(seq "$4"); do grep -q "$2" "$1" && return 0; kill -0 "$3" 2>/dev/null || return 0; sleep 0.1; done
}

# await_port port pid [tries]: until something accepts connections on 127.0.0.1:port, every
# 0.1 s, at most tries times (default 300: 30 s); fails at once when the process pid is gone.
await_port() {
  local port="$1" pid="$2" tries="${3:-300}"
  for _ in $(seq "$tries"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
