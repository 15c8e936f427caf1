#!/usr/bin/env python3
"""The host benchmarks of `make bench` (issue 6), each comparison's sides alternating in one run.
  host_bench.py WORKDIR OUT.json
WORKDIR holds the C helpers bench/run.sh compiled (echo_server, rawclient). Needs the release gatehouse and
gatehouse-bench, .venv (mcp 2.3, mcp-server-time) and .venv-bench (mcp-cli)."""
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK, OUT = sys.argv[1], sys.argv[2]
GATEHOUSE = f"{ROOT}/.build/release/gatehouse"
BENCH = f"{ROOT}/.build/release/gatehouse-bench"
PYTHON = f"{ROOT}/.venv/bin/python"
MCP_CLI = f"{ROOT}/.venv-bench/bin/mcp-cli"
ECHO, RAW = f"{WORK}/echo_server", f"{WORK}/rawclient"
ISSUER = "https://registry.bench"
ECHO_PARAMS = json.dumps({"name": "echo", "arguments": {"text": "hello"}})
TIME_PARAMS = json.dumps({"name": "get_current_time", "arguments": {"timezone": "UTC"}})
SDK_SERVER = [PYTHON, f"{ROOT}/bench/sdk_echo_server.py"]
TIME_SERVER = [PYTHON, "-m", "mcp_server_time", "--local-timezone", "UTC"]


def log(text):
    print(text, file=sys.stderr, flush=True)


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"{command[:4]} exited {result.returncode}: {result.stderr[-2000:]}")
    return result.stdout


def calls(side, count, server):
    if side == "gatehouse":
        command = [BENCH, "calls", str(count), "legacy", ECHO_PARAMS, "--"] + server
    elif side == "gatehouse (2026-07-28 era)":
        command = [BENCH, "calls", str(count), "auto", ECHO_PARAMS, "--"] + server
    elif side == "Python SDK client":
        command = [PYTHON, f"{ROOT}/bench/sdk_client.py", str(count), ECHO_PARAMS, "--"] + server
    else:
        command = [RAW, str(count), ECHO_PARAMS, "--"] + server
    return json.loads(run(command))


def round_trips(sides, server, count, rounds):
    """Sequential tools/call: every side against its own fresh copy of the same server, alternating."""
    collected = {side: {"latencies": [], "rates": [], "cpu": []} for side in sides}
    for round_index in range(rounds):
        for side in sides:
            result = calls(side, count, server)
            collected[side]["latencies"] += result["latencies_us"]
            collected[side]["rates"].append(count / result["wall_s"])
            collected[side]["cpu"].append(result["cpu_us_per_call"])
        log(f"  round {round_index + 1}/{rounds} done")
    summary = {}
    for side, values in collected.items():
        latencies = sorted(values["latencies"])
        summary[side] = {
            "p50_us": statistics.median(latencies), "p99_us": latencies[int(len(latencies) * 0.99) - 1],
            "calls_per_s": statistics.median(values["rates"]), "cpu_us_per_call": statistics.median(values["cpu"]),
            "calls": len(latencies),
        }
    return summary


def timed(command, env=None, cwd=ROOT, expect="UTC"):
    """Wall time of one whole process, which must exit 0 and print `expect`."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - start
    if result.returncode != 0 or expect not in result.stdout:
        raise SystemExit(f"{command[:3]} failed ({result.returncode}): {result.stdout[-500:]} {result.stderr[-1500:]}")
    return elapsed


def one_shot(rounds):
    """One whole process per call of get_current_time on mcp-server-time."""
    profile = f"{WORK}/time.json"
    json.dump({"trust": {"mode": "warn"}, "mcpServers": {"time": {"command": TIME_SERVER[0], "args": TIME_SERVER[1:]}}},
              open(profile, "w"))
    json.dump({"mcpServers": {"time": {"command": TIME_SERVER[0], "args": TIME_SERVER[1:]}}},
              open(f"{WORK}/server_config.json", "w"))
    cli_env = dict(os.environ, HOME=WORK, NO_COLOR="1")
    sides = {
        "gatehouse call": lambda: timed([GATEHOUSE, "call", "--profile", profile, "--trust-store", f"{WORK}/time-trust.json",
                                         "time", "get_current_time", "timezone=UTC"]),
        "mcp-cli cmd": lambda: timed([MCP_CLI, "cmd", "--config-file", f"{WORK}/server_config.json", "--server", "time",
                                      "--tool", "get_current_time", "--tool-args", '{"timezone": "UTC"}', "--raw", "-q"],
                                     env=cli_env, cwd=WORK),
        "Python SDK client": lambda: timed([PYTHON, f"{ROOT}/bench/sdk_client.py", "1", TIME_PARAMS, "--"] + TIME_SERVER,
                                           expect="latencies_us"),
        "raw client (floor)": lambda: timed([RAW, "1", TIME_PARAMS, "--"] + TIME_SERVER, expect="latencies_us"),
    }
    for side in sides.values():
        side()  # warm the page cache and Python's bytecode caches
    times = {name: [] for name in sides}
    for _ in range(rounds):
        for name, side in sides.items():
            times[name].append(side())
    return {name: {"median_s": statistics.median(values), "min_s": min(values), "max_s": max(values)} for name, values in times.items()}


def make_registry():
    registry = f"{WORK}/registry"
    run([GATEHOUSE, "passport", "keygen", "--out", registry, "--kid", "bench-1"])
    revoked = [{"identity": f"aii_revoked_{index}", "reason": "bench"} for index in range(10000)]
    json.dump({"updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "revoked": revoked},
              open(f"{registry}/revocations.json", "w"))
    return registry


def block(registry, index, surface):
    token = run([GATEHOUSE, "passport", "issue", "--key", f"{registry}/signing-key.jwk", "--issuer", ISSUER,
                 "--sub", f"aii_bench_{index}", "--surface", surface, "--tier", "business_verified",
                 "--operator", "Bench Ltd", "--ttl", "2"]).strip()
    return {"id": f"aii_bench_{index}", "passport": token, "registry": ISSUER}


def registries(registry):
    return [{"issuer": ISSUER, "jwks": f"{registry}/jwks.json", "revocations": f"{registry}/revocations.json"}]


def stdio_fleet(registry, blocks, count):
    servers = {f"s{index:03d}": {"command": ECHO, "env": {"ECHO_IDENTITY": json.dumps(blocks[index])},
                                 "trust": {"surface": f"mcp://echo-{index}.bench"}} for index in range(count)}
    path = f"{WORK}/stdio-{count}.json"
    json.dump({"registries": registries(registry), "trust": {"mode": "enforce"}, "mcpServers": servers}, open(path, "w"))
    return path


def audit_wall(profile, expected):
    """Wall time of `gatehouse audit` (connect, verify and list tools of every server) from a fresh trust store."""
    store = f"{WORK}/audit-trust.json"
    if os.path.exists(store):
        os.remove(store)
    start = time.perf_counter()
    result = subprocess.run([GATEHOUSE, "audit", "--profile", profile, "--trust-store", store, "--parallel", "64", "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    report = json.loads(result.stdout)
    verified = sum(1 for server in report["servers"] if server["trust"]["verdict"] == "verified" and server["trust"]["loaded"])
    if verified != expected:
        raise SystemExit(f"{profile}: {verified} of {expected} verified: {result.stdout[:2000]}")
    return elapsed


def native_fleet(registry, blocks, count, path):
    """A profile of `count` native stdio echo servers, each presenting one of `blocks` (in turn), at `path`."""
    servers = {f"n{index:04d}": {"command": ECHO, "env": {"ECHO_IDENTITY": json.dumps(blocks[index % len(blocks)])},
                                 "trust": {"surface": f"mcp://echo-{index % len(blocks)}.bench"}} for index in range(count)}
    json.dump({"registries": registries(registry), "trust": {"mode": "enforce"}, "mcpServers": servers}, open(path, "w"))
    return path


def http_profile(registry, port, count, path):
    """A profile of the first `count` endpoints of an `http_fleet` on `port`, at `path`."""
    servers = {f"h{index:04d}": {"url": f"http://127.0.0.1:{port}/mcp/{index}"} for index in range(count)}
    json.dump({"registries": registries(registry), "trust": {"mode": "enforce"}, "mcpServers": servers}, open(path, "w"))
    return path


@contextlib.contextmanager
def http_fleet(registry, count, first_passport, name):
    """bench/http_fleet.py serving `count` endpoints with fresh passports on a free loopback port, until the
    block ends; yields the port."""
    port = free_port()
    blocks_dir = f"{WORK}/{name}-blocks"
    os.makedirs(blocks_dir, exist_ok=True)
    for index in range(count):
        json.dump(block(registry, first_passport + index, f"mcp://127.0.0.1:{port}/mcp/{index}"), open(f"{blocks_dir}/{index}.json", "w"))
    server = subprocess.Popen([PYTHON, f"{ROOT}/bench/http_fleet.py", str(port), blocks_dir], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port
    finally:
        server.kill()
        server.wait()


def sharded_fleet(registry, blocks, count, shards, rounds):
    """`count` native stdio servers audited whole, then as `shards` shards one after another (as N machines
    would, each timed alone), then all shards at once on this machine; the merge of the shard reports."""
    profile = native_fleet(registry, blocks, count, f"{WORK}/stdio-{count}.json")

    def audit(extra, report):
        store = f"{report}.trust.json"
        if os.path.exists(store):
            os.remove(store)
        start = time.perf_counter()
        result = subprocess.run([GATEHOUSE, "audit", "--profile", profile, "--trust-store", store, "--format", "json",
                                 "--output", report] + extra, capture_output=True, text=True, cwd=ROOT)
        elapsed = time.perf_counter() - start
        servers = json.load(open(report))["servers"]
        if result.returncode != 0 or not all(server["trust"]["loaded"] for server in servers):
            raise SystemExit(f"audit {extra}: exit {result.returncode} {result.stderr[:2000]}")
        return elapsed, len(servers)

    whole, shard_walls, concurrent, merge = [], [[] for _ in range(shards)], [], []
    for _ in range(rounds):
        whole.append(audit([], f"{WORK}/whole.json")[0])
        reports = []
        for index in range(1, shards + 1):
            report = f"{WORK}/shard-{index}.json"
            elapsed, size = audit(["--shard", f"{index}/{shards}"], report)
            shard_walls[index - 1].append(elapsed)
            reports.append(report)
        start = time.perf_counter()
        processes = [subprocess.Popen([GATEHOUSE, "audit", "--profile", profile, "--shard", f"{index}/{shards}",
                                       "--trust-store", f"{WORK}/together-{index}.trust.json", "--format", "json",
                                       "--output", f"{WORK}/together-{index}.json"], cwd=ROOT) for index in range(1, shards + 1)]
        for process in processes:
            process.wait()
        concurrent.append(time.perf_counter() - start)
        start = time.perf_counter()
        merged = subprocess.run([GATEHOUSE, "audit", "merge", "--format", "json"] + reports, capture_output=True, text=True, cwd=ROOT)
        merge.append(time.perf_counter() - start)
        if merged.returncode != 0 or len(json.loads(merged.stdout)["servers"]) != count:
            raise SystemExit(f"audit merge: exit {merged.returncode} {merged.stderr[:2000]}")
    sizes = [len(json.load(open(f"{WORK}/shard-{index}.json"))["servers"]) for index in range(1, shards + 1)]
    summary = lambda values: {"median_s": statistics.median(values), "min_s": min(values), "max_s": max(values)}
    log(f"  {count} servers: whole {statistics.median(whole):.2f} s, shards "
        + ", ".join(f"{statistics.median(walls):.2f}" for walls in shard_walls) + f" s, all at once {statistics.median(concurrent):.2f} s")
    return {"count": count, "shards": shards, "rounds": rounds, "sizes": sizes, "whole": summary(whole),
            "per_shard": [summary(walls) for walls in shard_walls], "concurrent": summary(concurrent), "merge": summary(merge)}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def connect_and_verify(registry, rounds):
    stdio_blocks = [block(registry, index, f"mcp://echo-{index}.bench") for index in range(50)]
    results = {}
    for count in (1, 10, 50):
        profile = stdio_fleet(registry, stdio_blocks, count)
        walls = [audit_wall(profile, count) for _ in range(rounds)]
        results[f"{count} stdio"] = {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls)}
        log(f"  {count} stdio servers: {statistics.median(walls):.3f} s")
    with http_fleet(registry, 200, 1000, "http") as port:
        profile = http_profile(registry, port, 200, f"{WORK}/http-200.json")
        walls = [audit_wall(profile, 200) for _ in range(rounds)]
    results["200 HTTP"] = {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls)}
    log(f"  200 HTTP endpoints: {statistics.median(walls):.3f} s")
    return results, stdio_blocks


def peak_rss(registry, blocks):
    """VmHWM of a REPL (non-TTY) with 50 verified stdio servers connected, after listing their tools."""
    profile = stdio_fleet(registry, blocks, 50)
    process = subprocess.Popen([GATEHOUSE, "repl", "--profile", profile, "--trust-store", f"{WORK}/rss-trust.json"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    process.stdin.write("tools --all\nquit\n")
    process.stdin.flush()
    status = {}
    output = []
    for line in process.stdout:
        output.append(line)
        if sum(text.count("s0") for text in output) >= 50 and not status:
            status = dict(entry.split(":", 1) for entry in open(f"/proc/{process.pid}/status").read().splitlines() if ":" in entry)
    process.wait()
    if not status:
        raise SystemExit("the REPL never listed 50 servers: " + "".join(output)[-2000:])
    return {"VmHWM_kB": int(status["VmHWM"].split()[0]), "VmRSS_kB": int(status["VmRSS"].split()[0]),
            "RssAnon_kB": int(status["RssAnon"].split()[0]), "RssFile_kB": int(status["RssFile"].split()[0]),
            "verified": "".join(output).count("verified")}


def audit_footprint(profile, expected):
    """Wall time and peak RSS of one `gatehouse audit` from a fresh trust store. The RSS is GNU time's %M: a
    child forked from this (large) Python process would report Python's pages as its high-water mark."""
    store = f"{WORK}/scale-trust.json"
    if os.path.exists(store):
        os.remove(store)
    start = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f"{WORK}/scale-time.txt", GATEHOUSE, "audit", "--profile", profile,
                             "--trust-store", store, "--parallel", "64", "--format", "json", "--output", f"{WORK}/scale-report.json"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    servers = json.load(open(f"{WORK}/scale-report.json"))["servers"]
    verified = sum(1 for server in servers if server["trust"]["verdict"] == "verified" and server["trust"]["loaded"])
    if verified != expected:
        raise SystemExit(f"{profile}: {verified} of {expected} verified (exit status {result.returncode})")
    return elapsed, int(open(f"{WORK}/scale-time.txt").read().split()[-1])


def scaling(registry, blocks, counts=(10, 100, 1000)):
    """Time and peak memory of auditing 10, 100 and 1 000 servers: native stdio echo servers with passports,
    and Streamable HTTP endpoints on one loopback server; 2 rounds each, medians."""
    results = {"stdio": {}, "http": {}}

    def measure(kind, label, count, profile):
        runs = [audit_footprint(profile, count) for _ in range(2)]
        result = {"wall_s": statistics.median(r[0] for r in runs), "rss_kb": statistics.median(r[1] for r in runs)}
        results[kind][count] = result
        log(f"  {count} {label}: {result['wall_s']:.2f} s, {result['rss_kb'] / 1024:.1f} MB")

    for count in counts:
        measure("stdio", "stdio servers", count, native_fleet(registry, blocks, count, f"{WORK}/scale-stdio-{count}.json"))
    with http_fleet(registry, max(counts), 5000, "scale-http") as port:
        for count in counts:
            measure("http", "HTTP endpoints", count, http_profile(registry, port, count, f"{WORK}/scale-http-{count}.json"))
    return results


def version_time(runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([GATEHOUSE, "--version"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return {"median_ms": statistics.median(times) * 1e3, "min_ms": min(times) * 1e3, "max_ms": max(times) * 1e3}


def main():
    results = {}
    log("round trips against the Python SDK server")
    results["sdk_round_trips"] = round_trips(
        ["gatehouse", "gatehouse (2026-07-28 era)", "Python SDK client", "raw client"], SDK_SERVER, count=300, rounds=3)
    log("round trips against the native echo server")
    results["native_round_trips"] = round_trips(["gatehouse", "raw client"], [ECHO], count=10000, rounds=3)
    log("one-shot calls on mcp-server-time")
    results["one_shot"] = one_shot(rounds=8)
    registry = make_registry()
    log("connect and verify")
    results["connect"], blocks = connect_and_verify(registry, rounds=3)
    log("a 1 000-server fleet, whole and in 4 shards")
    results["sharded"] = sharded_fleet(registry, blocks, 1000, 4, rounds=2)
    log("scaling: 10, 100 and 1 000 servers, stdio and HTTP")
    results["scaling"] = scaling(registry, blocks)
    log("footprint")
    results["rss"] = peak_rss(registry, blocks)
    results["version"] = version_time(30)
    json.dump(results, open(OUT, "w"), indent=1)


if __name__ == "__main__":
    main()
