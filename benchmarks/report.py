"""Summarises benchmarks/run.sh's raw.jsonl: medians with min-max across rounds, ratios to the
hand-written baselines, the targets, and the load generator's ceiling. Markdown on stdout."""
import argparse
import datetime
import json
import os
import statistics

BASELINE = {
    "starter-tomcat": "baseline-tomcat",
    "starter-jetty": "baseline-jetty",
    "starter-netty": "baseline-netty",
    # the starter with Micrometer meters, against the starter without
    "metered-tomcat": "starter-tomcat",
    "metered-jetty": "starter-jetty",
    "metered-netty": "starter-netty",
    # the starter's echo in the ByteBuffer form, against the hand-written handler
    "buffer-tomcat": "baseline-tomcat",
    "buffer-jetty": "baseline-jetty",
    "buffer-netty": "baseline-netty",
    "node-ws": "baseline-tomcat",
    "autobahn-python": "baseline-tomcat",
    "baseline-jetty": "baseline-tomcat",
    "baseline-netty": "baseline-tomcat",
    "netty-raw": "baseline-tomcat",
}
SCENARIOS = [
    ("lat-64", "64 B text, N=1 W=1 (latency)"),
    ("lat-16k", "16 KiB text, N=1 W=1 (latency)"),
    ("thr-64", "64 B text, N=64 W=16 (throughput)"),
    ("thr-16k", "16 KiB text, N=64 W=16 (throughput)"),
    ("bin-1m", "1 MiB binary, N=4 W=2 (JVM servers only)"),
]
# The broadcast group (run.sh --scenarios "bcast-1k bcast-16k"): not in the default set, reported in a section
# of RESULTS.md of its own, which a later default run keeps
BROADCAST = [
    ("bcast-1k", "1 KiB text from 1 sender to 1,000 receivers, 8 broadcasts in flight"),
    ("bcast-16k", "16 KiB text from 1 sender to 1,000 receivers, 8 broadcasts in flight"),
]
SECTION_START = "<!-- broadcast: written by benchmarks/run.sh --scenarios bcast-1k, kept when a run without it rewrites the rest -->"
SECTION_END = "<!-- /broadcast -->"
# The broadcast across instances (benchmarks/cluster-bench.sh, its figures copied in by hand): kept
# as it is by every run of this script
CLUSTER_START = "<!-- cluster: figures of benchmarks/cluster-bench.sh, kept when run.sh rewrites the rest -->"
CLUSTER_END = "<!-- /cluster -->"
# The heap allocation per echoed message (run.sh --alloc): a section of its own, which other runs keep
ALLOC_START = "<!-- alloc: written by benchmarks/run.sh --alloc, kept when a run without it rewrites the rest -->"
ALLOC_END = "<!-- /alloc -->"
CONTAINERS = [("tomcat", "Tomcat"), ("jetty", "Jetty"), ("netty", "Reactor Netty")]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values, fmt="{:.0f}"):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    m = fmt.format(statistics.median(values))
    if len(values) == 1:
        return m
    return f"{m} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def quotient(a, b):
    return a / b if a is not None and b else None


def shown(q):
    return f"{q:.2f}x" if q is not None else "n/a"


def ratio(a, b):
    return shown(quotient(a, b))


def round_ratios(rs, bs, key):
    """The starter's figure over the baseline's, round by round (the rounds interleave them)."""
    base = {r["round"]: r.get(key) for r in bs}
    return [r[key] / base[r["round"]] for r in rs if r.get(key) and base.get(r["round"])]


def verdict(ok, per_round=(), meets=None):
    """yes; no, though some round pair met it (the spread between rounds decides); or no in every round."""
    if ok:
        return "yes"
    return "no, not in every round" if any(meets(x) for x in per_round) else "**no**"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--elapsed", default="?")
    ap.add_argument("--machine", default="?")
    ap.add_argument("--settings", default="?")
    ap.add_argument("--cpus", default="the server pinned to CPU 0, the load generator to CPU 1 with 1 event loop thread (taskset)")
    ap.add_argument("--client-threads", type=int, default=1)
    ap.add_argument("--jvm-servers", help="the JVM servers' options (lib.sh's JVM_SERVER_OPTS)")
    ap.add_argument("--jvm-idle-servers", help="those of the idle measurement's servers (JVM_IDLE_SERVER_OPTS)")
    ap.add_argument("--results", action="store_true")
    ap.add_argument("--command", default="benchmarks/run.sh")
    ap.add_argument("--broadcast-into", help="write only the broadcast section, into this RESULTS.md (replacing the one there)")
    ap.add_argument("--keep-broadcast-from", help="with --results: append this file's broadcast section when this run has none")
    ap.add_argument("--alloc-into", help="write only the allocation section, into this RESULTS.md (replacing the one there)")
    a = ap.parse_args()
    rows = [json.loads(line) for line in open(a.raw) if line.strip()]
    # when the last measurement was written, so that a report made again later keeps the run's date
    ended = datetime.datetime.fromtimestamp(os.path.getmtime(a.raw), datetime.timezone.utc)
    servers = []
    for r in rows:
        if r["server"] not in servers:
            servers.append(r["server"])

    def runs(server, scenario):
        return [r for r in rows if r["server"] == server and r["scenario"] == scenario]

    def errors(rs):
        return sum((r.get("mismatches") or 0) + (r.get("unexpected_closes") or 0) + (r.get("errors") or 0) for r in rs)

    if a.alloc_into:
        alloc = alloc_section(a, rows, runs, errors, ended)
        splice(a.alloc_into, alloc, ALLOC_START, ALLOC_END)
        print("\n".join(alloc))
        return
    section = broadcast_section(a, rows, servers, runs, errors, ended)
    if a.broadcast_into:
        splice(a.broadcast_into, section)
        print("\n".join(section))
        return

    out = []
    if a.results:
        out += ["# Benchmark results", "",
                "Written by `benchmarks/run.sh` from its own measurements (raw per-run JSON lines in the run's "
                "`raw.jsonl`, by default in `benchmarks/target/results/<date>/`). Do not edit by hand.", "",
                f"- Date: {ended:%Y-%m-%d %H:%M} UTC",
                f"- Machine: {a.machine}",
                f"- Settings: {a.settings}; {a.cpus}"
                + (f"; JVM servers `{a.jvm_servers}`" if a.jvm_servers else "")
                + (f" (`{a.jvm_idle_servers}` for the idle connections)" if a.jvm_idle_servers else ""),
                f"- Run time: {a.elapsed} s", ""]
        if "--quick" in a.settings:
            out += ["**A `--quick` smoke run**: one round of 2 s per scenario and 2,000 idle connections, "
                    "so single figures without spread, on a 2-core machine shared with other builds. Read "
                    "the ratios as indications, not as the verdict of the default set.", ""]
    out += ["Medians across rounds, (min-max) where there is more than one round. msgs/s counts verified "
            "echoes; latency is send-to-echo per message in microseconds; server CPU is the server "
            "process's user+system time during the measurement (us per message and % of one core); "
            "client CPU is the load generator's (% of one core; with several threads it can pass 100%); "
            "alloc B/msg is the heap the server's JVM allocated during the measurement per echoed message "
            "(`run.sh --alloc` and its section below). Ratios: throughput and p99 against the "
            "hand-written baseline in the `vs` column (same container for the starter). Errors: "
            "mismatches + unexpected closes + other errors, summed over the rounds.", ""]
    targets = []
    for scenario, title in SCENARIOS:
        present = [s for s in servers if runs(s, scenario)]
        if not present:
            continue
        out += [f"### {title}", "",
                "| server | msgs/s | MB/s | p50 us | p99 us | p99.9 us | server CPU us/msg | server CPU % | alloc B/msg | client CPU % | errors | vs | msgs/s ratio | p99 ratio |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for s in present:
            rs = runs(s, scenario)
            g = lambda k: [r.get(k) for r in rs]  # noqa: E731
            base = BASELINE.get(s)
            bs = runs(base, scenario) if base else []
            t = quotient(med(g("msgs_per_s")), med([r.get("msgs_per_s") for r in bs]))
            p = quotient(med(g("p99_us")), med([r.get("p99_us") for r in bs]))
            tr = shown(t) if bs else "-"
            pr = shown(p) if bs else "-"
            out.append(f"| {s} | {spread(g('msgs_per_s'))} | {spread(g('mb_per_s'), '{:.1f}')} | {spread(g('p50_us'))} "
                       f"| {spread(g('p99_us'))} | {spread(g('p999_us'))} | {spread(g('server_cpu_us_per_msg'), '{:.1f}')} "
                       f"| {spread(g('server_cpu_pct'))} | {spread(g('server_alloc_bytes_per_msg'))} "
                       f"| {spread(g('client_cpu_pct'))} | {errors(rs)} | {base if bs else '-'} | {tr} | {pr} |")
            if s.startswith("starter-") and bs:
                tt = round_ratios(rs, bs, "msgs_per_s")
                pp = round_ratios(rs, bs, "p99_us")
                targets.append((s, scenario, "throughput >= 0.95x", t, tt,
                                verdict(t is not None and t >= 0.95, tt, lambda x: x >= 0.95)))
                targets.append((s, scenario, "p99 <= 1.10x", p, pp,
                                verdict(p is not None and p <= 1.10, pp, lambda x: x <= 1.10)))
                targets.append((s, scenario, "zero errors", errors(rs), [], verdict(errors(rs) == 0)))
        out.append("")
    idle = [s for s in servers if runs(s, "idle")]
    if idle:
        out += ["### Idle connections (memory per connection)", "",
                "RSS and heap of the server after a full GC (JVM: `jcmd GC.run`, then `GC.heap_info`), "
                "before opening the connections and while holding them; per connection = difference / "
                "connections opened. Heap is n/a for Node and Python. baseline-tomcat runs this with Tomcat's "
                "default 8 KiB message buffers, like the starter: Tomcat allocates them per connection up "
                "front, and the 2 MiB it needs for the 1 MiB scenario exhaust a 1 GiB heap at about 250 "
                "connections (64 KiB ones at about 4,000).", "",
                "| server | opened / attempted | handshakes/s | RSS KiB/conn | heap KiB/conn | still open at the end | errors | vs | heap/conn ratio | RSS/conn ratio |",
                "|---|---|---|---|---|---|---|---|---|---|"]
        for s in idle:
            rs = runs(s, "idle")
            g = lambda k: [r.get(k) for r in rs]  # noqa: E731
            base = BASELINE.get(s)
            bs = runs(base, "idle") if base else []
            hr = ratio(med(g("heap_per_conn_kb")), med([r.get("heap_per_conn_kb") for r in bs])) if bs else "-"
            rr = ratio(med(g("rss_per_conn_kb")), med([r.get("rss_per_conn_kb") for r in bs])) if bs else "-"
            opened = min((r.get("succeeded") or 0) for r in rs)
            attempted = max((r.get("attempted") or 0) for r in rs)
            still = min((r.get("still_open") or 0) for r in rs)
            errs = sum((r.get("failed") or 0) + (r.get("unexpected_closes") or 0) for r in rs)
            out.append(f"| {s} | {opened} / {attempted} (min) | {spread(g('handshakes_per_s'))} | {spread(g('rss_per_conn_kb'), '{:.1f}')} "
                       f"| {spread(g('heap_per_conn_kb'), '{:.1f}')} | {still} (min) | {errs} | {base if bs else '-'} | {hr} | {rr} |")
            if s.startswith("starter-") and bs:
                b = med([r.get("heap_per_conn_kb") for r in bs])
                h = med(g("heap_per_conn_kb"))
                v = quotient(h, b)
                targets.append((s, "idle", "heap/conn within 10%", v, [], verdict(v is not None and v <= 1.10)))
                targets.append((s, "idle", "all connections opened and held", opened, [],
                                verdict(opened == attempted and still == attempted and errs == 0)))
        out.append("")
    if targets:
        out += ["### Targets (starter against the hand-written handler on the same container)", "",
                "Value: the ratio of the medians; per round: the ratios of each round's pair (the starter "
                "and its baseline ran one after the other in every round). A miss that some round pair "
                "meets is within the spread between rounds; "
                + ("the rounds share each server's JVM, so even a miss in every round may be the JVM drawn "
                   "(compare two runs)." if "a fresh server JVM every" not in a.settings
                   else "the rounds spread over several JVMs per server (Settings)."), "",
                "| server | scenario | target | value | per round | met |", "|---|---|---|---|---|---|"]
        for s, sc, what, v, per_round, met in targets:
            vs = "n/a" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
            pr = f"{min(per_round):.2f}-{max(per_round):.2f}" if len(per_round) > 1 else "-"
            out.append(f"| {s} | {sc} | {what} | {vs} | {pr} | {met} |")
        out.append("")
    if any(s == "netty-raw" for s in servers):
        n = a.client_threads
        loops = "one event loop" if n == 1 else f"{n} event loops"
        out += ["### Load generator ceiling", "",
                "`netty-raw` is a raw Netty echo (one event loop per server CPU, no framework) on the server's "
                "CPUs: the fastest server here, so its row is the load generator's ceiling. Where the client "
                f"CPU column reads ~{95 * n}-{100 * n}%, the load generator ({loops} on its own CPUs, masking, "
                "copying and checking every byte) is the limit, not the server: a server at or above the "
                "ceiling there is client-bound and its ratio says little; compare server CPU us/msg instead.", "",
                "| scenario | ceiling msgs/s | MB/s | client CPU % |", "|---|---|---|---|"]
        for scenario, title in SCENARIOS:
            rs = runs("netty-raw", scenario)
            if rs:
                out.append(f"| {title} | {spread([r.get('msgs_per_s') for r in rs])} | "
                           f"{spread([r.get('mb_per_s') for r in rs], '{:.1f}')} | {spread([r.get('client_cpu_pct') for r in rs])} |")
        out.append("")
    if section:
        out += section + [""]
    elif a.results and a.keep_broadcast_from:
        kept = existing_section(a.keep_broadcast_from)
        if kept:
            out += kept + [""]
    if a.results and a.keep_broadcast_from:
        for start, end in ((ALLOC_START, ALLOC_END), (CLUSTER_START, CLUSTER_END)):
            kept = existing_section(a.keep_broadcast_from, start, end)
            if kept:
                out += kept + [""]
    failed = [r for r in rows if r.get("first_error")]
    if failed:
        out += ["### First errors", ""]
        for r in failed[:20]:
            out.append(f"- round {r['round']} {r['server']} {r['scenario']}: {r['first_error']}")
        out.append("")
    print("\n".join(out))


def existing_section(path, start_marker=SECTION_START, end_marker=SECTION_END):
    """A section of a RESULTS.md (by default the broadcast one), markers included, or None."""
    try:
        text = open(path).read()
    except OSError:
        return None
    if start_marker not in text or end_marker not in text:
        return None
    start = text.index(start_marker)
    return text[start:text.index(end_marker, start) + len(end_marker)].split("\n")


def splice(path, section, start_marker=SECTION_START, end_marker=SECTION_END):
    """Replace a section of a RESULTS.md (by default the broadcast one) with this one, or append it."""
    try:
        text = open(path).read()
    except OSError:
        text = "# Benchmark results\n"
    block = "\n".join(section)
    if start_marker in text and end_marker in text:
        start = text.index(start_marker)
        end = text.index(end_marker, start) + len(end_marker)
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


def alloc_section(a, rows, runs, errors, ended):
    """The heap the server allocates per echoed message, the starter against the hand-written handler
    on the same container, with each round pair's ratio."""
    read = med([r.get("server_alloc_read_bytes") for r in rows if r["scenario"] != "prewarm"])
    read_text = f"{read / 1000:.1f} KB" if read is not None else "n/a"
    out = [ALLOC_START, "", "## Heap allocation per echoed message", "",
           f"- Date: {ended:%Y-%m-%d %H:%M} UTC; command: `{a.command}`",
           f"- Machine: {a.machine}",
           f"- Settings: {a.settings}; {a.cpus}", "",
           "Bytes the server's JVM allocated in the heap during the measurement (all its threads: "
           "`com.sun.management.ThreadMXBean.getTotalThreadAllocatedBytes()`, read by the load generator "
           "from the servers' `AllocationCounter` right before and after the measured window), divided by the "
           f"echoes the load generator got back in it. One read costs the server {read_text} (median; two reads "
           "back to back before each scenario's traffic, taken off); what an idle server allocates meanwhile "
           "(pollers, timers: ~100 KB/s on an idle Tomcat server) stays in, a few percent at most of the "
           "smallest row over 3 s. Unlike throughput, this figure hardly depends on how much CPU the server "
           "got. Per round: the ratio of each round's pair.", "",
           "| container | scenario | payload B | hand-written B/msg | starter B/msg | ratio (per round) | errors |",
           "|---|---|---|---|---|---|---|"]
    key = "server_alloc_bytes_per_msg"
    buffer_form = any(runs(f"buffer-{stack}", scenario) for stack, _ in CONTAINERS for scenario, _ in SCENARIOS)
    if buffer_form:
        out[-2:] = ["The `buffer-*` servers are the starter with its echo in the `ByteBuffer` form "
                    "(`StarterBufferEcho`: `onMessage(ByteBuffer, boolean)` sending the lent buffer back, which "
                    "the starter copies once), the others its `byte[]` form (`StarterEcho`).", "",
                    "| container | scenario | payload B | hand-written B/msg | starter B/msg | ratio (per round) "
                    "| starter, ByteBuffer form B/msg | ratio (per round) | errors |",
                    "|---|---|---|---|---|---|---|---|---|"]

    def paired(rs, bs):
        q = quotient(med([r.get(key) for r in rs]), med([r.get(key) for r in bs]))
        per = round_ratios(rs, bs, key)
        return shown(q) + (" (" + ", ".join(f"{x:.2f}" for x in per) + ")" if len(per) > 1 else "")

    for stack, container in CONTAINERS:
        for scenario, title in SCENARIOS:
            rs = runs(f"starter-{stack}", scenario)
            bs = runs(f"baseline-{stack}", scenario)
            fs = runs(f"buffer-{stack}", scenario)
            if not rs and not bs and not fs:
                continue
            size = (rs or bs or fs)[0].get("size", "?")
            row = (f"| {container} | {title} | {size} | {spread([r.get(key) for r in bs])} "
                   f"| {spread([r.get(key) for r in rs])} | {paired(rs, bs)} ")
            if buffer_form:
                row += f"| {spread([r.get(key) for r in fs])} | {paired(fs, bs)} "
            out.append(row + f"| {errors(rs) + errors(bs) + errors(fs)} |")
    out += ["", ALLOC_END]
    return out


def broadcast_section(a, rows, servers, runs, errors, ended):
    """The broadcast scenarios: deliveries/s, server CPU per delivery and the latency to the last
    receiver, the starter against the hand-written broadcast on the same container, round by round."""
    present_any = [sc for sc, _ in BROADCAST if any(runs(s, sc) for s in servers)]
    if not present_any:
        return []
    out = [SECTION_START, "", "## Broadcast", "",
           f"- Date: {ended:%Y-%m-%d %H:%M} UTC; command: `{a.command}`",
           f"- Machine: {a.machine}",
           f"- Settings: {a.settings}; {a.cpus}", "",
           "One sender connection says a text message (1 KiB or 16 KiB) to the server's `/bcast` endpoint, which sends it to "
           "every other connection: 1,000 receivers, each checking every message's content and order. The sender "
           "keeps 8 broadcasts in flight (a broadcast is done when its last receiver got it). deliveries/s: "
           "messages received by the receivers per second; latency: from the send to the last receiver, per "
           "broadcast; server CPU per delivery: the server process's user+system time over the deliveries; "
           "server writes per delivery: its write system calls (`syscw` in `/proc/<pid>/io`) over the deliveries "
           "(1.00: a call per frame, 0.20: five frames per call). Where client CPU % is near 100, the load "
           "generator (one CPU) sets the pace and deliveries/s cannot separate the servers; CPU per delivery still "
           "does. "
           "starter: `getConnections().broadcast(payload, isBinary, filter)` (`StarterBroadcast`, one prepared "
           "message); hand-written on Tomcat and Jetty: a loop over a map of sessions, each wrapped in a "
           "`ConcurrentWebSocketSessionDecorator` (8 MiB, 10 s), sending the same `TextMessage` to each "
           "(`BaselineBroadcastHandler`); on WebFlux: a `Sinks.many().multicast().directBestEffort()` sink, "
           "each session sending `session.textMessage(text)` for every message but its own. Per round: the "
           "ratio of each round's pair (the two ran one after the other, in alternating order). This machine "
           "is shared and noisy: read the ratios, not the absolute figures.", ""]
    targets = []
    for scenario, title in BROADCAST:
        present = [s for s in servers if runs(s, scenario)]
        if not present:
            continue
        out += [f"### {title}", "",
                "| server | deliveries/s | broadcasts/s | p50 us | p99 us | server CPU us/delivery | server writes/delivery | server CPU % | client CPU % | errors | vs | deliveries/s ratio (per round) | CPU/delivery ratio (per round) | p99 ratio (per round) |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for s in present:
            rs = runs(s, scenario)
            g = lambda k: [r.get(k) for r in rs]  # noqa: E731
            base = BASELINE.get(s) if s.startswith(("starter-", "metered-")) else None
            bs = runs(base, scenario) if base else []

            def paired(key):
                q = quotient(med(g(key)), med([r.get(key) for r in bs]))
                per = round_ratios(rs, bs, key)
                text = shown(q) + (" (" + ", ".join(f"{x:.2f}" for x in per) + ")" if per else "")
                return q, per, text

            if bs:
                d, dd, dt = paired("deliveries_per_s")
                _, _, ct = paired("server_cpu_us_per_delivery")
                _, _, pt = paired("p99_us")
            else:
                d, dd, dt, ct, pt = None, [], "-", "-", "-"
            out.append(f"| {s} | {spread(g('deliveries_per_s'))} | {spread(g('msgs_per_s'))} | {spread(g('p50_us'))} "
                       f"| {spread(g('p99_us'))} | {spread(g('server_cpu_us_per_delivery'), '{:.2f}')} "
                       f"| {spread(g('server_writes_per_delivery'), '{:.2f}')} "
                       f"| {spread(g('server_cpu_pct'))} | {spread(g('client_cpu_pct'))} | {errors(rs)} "
                       f"| {base if bs else '-'} | {dt} | {ct} | {pt} |")
            if s.startswith("starter-") and bs:
                targets.append((s, scenario, "deliveries/s >= 2x", d, dd, verdict(d is not None and d >= 2, dd, lambda x: x >= 2)))
                targets.append((s, scenario, "deliveries/s >= 0.95x", d, dd,
                                verdict(d is not None and d >= 0.95, dd, lambda x: x >= 0.95)))
                targets.append((s, scenario, "zero errors", errors(rs), [], verdict(errors(rs) == 0)))
        out.append("")
    if targets:
        out += ["Targets (issue 16): deliveries/s at least 2x the hand-written broadcast where the prepared message "
                "lets the stack avoid per-receiver copies, never below 0.95x.", "",
                "| server | scenario | target | value | per round | met |", "|---|---|---|---|---|---|"]
        for s, sc, what, v, per_round, met in targets:
            vs = "n/a" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
            pr = f"{min(per_round):.2f}-{max(per_round):.2f}" if len(per_round) > 1 else "-"
            out.append(f"| {s} | {sc} | {what} | {vs} | {pr} | {met} |")
        out.append("")
    failed = [r for r in rows if r.get("first_error") and r["scenario"] in dict(BROADCAST)]
    if failed:
        out += ["First errors:", ""] + [f"- round {r['round']} {r['server']} {r['scenario']}: {r['first_error']}" for r in failed[:10]] + [""]
    out.append(SECTION_END)
    return out


if __name__ == "__main__":
    main()
