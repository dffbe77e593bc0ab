# Shell functions the benchmark scripts share (run.sh, cluster-bench.sh, profile.sh); sourced.

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
