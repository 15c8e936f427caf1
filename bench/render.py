#!/usr/bin/env python3
"""Writes docs/performance.md (to stdout) from the results bench/run.sh collected in WORKDIR.
  render.py WORKDIR SECONDS_TAKEN"""
import datetime
import json
import platform
import statistics
import subprocess
import sys

work, seconds = sys.argv[1], int(sys.argv[2])
swift = json.load(open(f"{work}/swift.json"))
pyjwt = json.load(open(f"{work}/pyjwt.json"))
batch = json.load(open(f"{work}/batch.json"))
host = json.load(open(f"{work}/host.json"))
proxy = json.load(open(f"{work}/proxy.json"))
fleet = [float(line) for line in open(f"{work}/fleet.txt") if line.strip()]


def spread(values):
    return statistics.median(values), min(values), max(values)


def met(condition):
    return "met" if condition else "**not met**"


floor, verify, python = spread(swift["libsodium"]), spread(swift["gatehouse"]), spread(pyjwt)
verify_report = spread(swift["gatehouse_report"])
sdk, native, once, connect = host["sdk_round_trips"], host["native_round_trips"], host["one_shot"], host["connect"]
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "unknown")
cores = sum(1 for line in open("/proc/cpuinfo") if line.startswith("processor"))
swift_version = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]

# Each Gatehouse round over the libsodium round run beside it: less exposed to a noisy machine than a ratio of medians.
verify_ratio = statistics.median(swift["ratio_gatehouse"])
report_ratio = statistics.median(swift["ratio_gatehouse_report"])
pyjwt_ratio = python[0] / verify[0]
batch_rate = statistics.median(batch["two_tasks"]["per_s"])
batch_busy = statistics.median(batch["two_tasks"]["cores_busy"])
sdk_ratio = sdk["gatehouse"]["p50_us"] / sdk["raw client"]["p50_us"]
sdk_client_ratio = sdk["Python SDK client"]["p50_us"] / sdk["gatehouse"]["p50_us"]
overhead = native["gatehouse"]["p50_us"] - native["raw client"]["p50_us"]
one_shot_ratio = once["gatehouse call"]["median_s"] / once["raw client (floor)"]["median_s"]
fleet_median = statistics.median(fleet)
rss_mb = host["rss"]["VmHWM_kB"] / 1024
version_ms = host["version"]["median_ms"]

targets = [
    ("full verification ≤ 1.2 × bare libsodium", f"{verify_ratio:.2f}×", verify_ratio <= 1.2),
    ("full verification ≥ 2 × faster than PyJWT", f"{pyjwt_ratio:.2f}×", pyjwt_ratio >= 2),
    ("≥ 10 000 distinct passports/s on 2 cores", f"{batch_rate:.0f}/s ({batch_busy:.2f} cores busy)", batch_rate >= 10000),
    ("native echo server: host overhead ≤ 60 µs over the pipe ping-pong", f"{overhead:.0f} µs", overhead <= 60),
    ("native echo server: ≥ 15 000 sequential calls/s", f"{native['gatehouse']['calls_per_s']:.0f}/s",
     native["gatehouse"]["calls_per_s"] >= 15000),
    ("Python SDK server: latency ≤ 1.05 × the raw client's", f"{sdk_ratio:.2f}×", sdk_ratio <= 1.05),
    ("Python SDK server: ≤ 40 µs client CPU per call", f"{sdk['gatehouse']['cpu_us_per_call']:.0f} µs",
     sdk["gatehouse"]["cpu_us_per_call"] <= 40),
    ("one-shot `gatehouse call` ≤ 1.1 × the raw floor", f"{one_shot_ratio:.2f}×", one_shot_ratio <= 1.1),
    ("50 stdio servers with a 0.5 s handshake < 1.5 s", f"{fleet_median:.2f} s", fleet_median < 1.5),
    ("200 loopback HTTP endpoints < 3 s", f"{connect['200 HTTP']['median_s']:.2f} s", connect["200 HTTP"]["median_s"] < 3),
    ("peak RSS with 50 servers ≤ 25 MB", f"{rss_mb:.1f} MB", rss_mb <= 25),
    ("`gatehouse proxy`: ≤ 50 µs added latency per call (native echo server)",
     f"{proxy['upstreams']['native']['added_us']['median']:.0f} µs", proxy["upstreams"]["native"]["added_us"]["median"] <= 50),
    ("`gatehouse proxy`: ≤ 50 µs added CPU per call (native echo server)",
     f"{proxy['upstreams']['native']['added_cpu_us']['median']:.0f} µs", proxy["upstreams"]["native"]["added_cpu_us"]["median"] <= 50),
    ("`gatehouse proxy`: ≤ 50 µs added latency per call (Python SDK server)",
     f"{proxy['upstreams']['sdk']['added_us']['median']:.0f} µs", proxy["upstreams"]["sdk"]["added_us"]["median"] <= 50),
    ("`gatehouse proxy`: ≤ 50 µs added CPU per call (Python SDK server)",
     f"{proxy['upstreams']['sdk']['added_cpu_us']['median']:.0f} µs", proxy["upstreams"]["sdk"]["added_cpu_us"]["median"] <= 50),
    ("`gatehouse --version` ≤ 10 ms", f"{version_ms:.1f} ms", version_ms <= 10),
]


def round_trip_table(results):
    rows = ["| client | p50 | p99 | calls/s | client CPU per call |", "|---|---|---|---|---|"]
    for side, value in results.items():
        rows.append(f"| {side} | {value['p50_us']:.0f} µs | {value['p99_us']:.0f} µs | {value['calls_per_s']:.0f} "
                    f"| {value['cpu_us_per_call']:.1f} µs |")
    return rows



scaling = host["scaling"]
scale_counts = sorted(int(count) for count in scaling["stdio"])


def scale_row(kind, label):
    cells = [f"{scaling[kind][str(count)]['wall_s']:.2f} s, {scaling[kind][str(count)]['rss_kb'] / 1024:.1f} MB" for count in scale_counts]
    low, high = scaling[kind][str(scale_counts[-2])], scaling[kind][str(scale_counts[-1])]
    servers = scale_counts[-1] - scale_counts[-2]
    per_time = (high["wall_s"] - low["wall_s"]) / servers * 1e3
    per_memory = (high["rss_kb"] - low["rss_kb"]) / servers
    return f"| {label} | " + " | ".join(cells) + f" | {per_time:.2f} ms, {per_memory:.0f} KB |"


lines = [
    "# Performance", "",
    f"Generated by `make bench` (`bash bench/run.sh`) on {datetime.date.today().isoformat()} in {seconds} s: "
    f"{platform.node()}, {cpu}, {cores} cores, {swift_version}, release build with the Swift runtime linked statically (what `make install` ships). Every comparison runs its sides "
    "in the same invocation, alternating; figures are medians with (min–max) where rounds are repeated.", "",
    "## Targets (issue 14)", "",
    "| target | measured | |", "|---|---|---|",
] + [f"| {name} | {value} | {met(ok)} |" for name, value, ok in targets] + [
    "",
    "## Passport verification", "",
    "One passport: parse, header, key lookup from a cached JWKS, signature, claims, surface, and a revocation "
    "lookup in a list of 10 000 entries (`gatehouse-bench verify`, `bench/pyjwt_verify.py`); 15 rounds of 2000. "
    "Full verification is all 16 steps through `PassportVerifier.outcome` (the verdict and deciding code, no "
    "report); with the report (`verify`: every check's detail string and the token's SHA-256) it is shown "
    "beside it. The ratios to libsodium are medians of each round over the libsodium round run next to it.", "",
    "| what | per operation |", "|---|---|",
    f"| bare libsodium `crypto_sign_verify_detached` (the floor) | {floor[0]:.1f} µs ({floor[1]:.1f}–{floor[2]:.1f}) |",
    f"| Gatehouse full offline verification | {verify[0]:.1f} µs ({verify[1]:.1f}–{verify[2]:.1f}) |",
    f"| Gatehouse full offline verification with the report | {verify_report[0]:.1f} µs ({verify_report[1]:.1f}–{verify_report[2]:.1f}) |",
    f"| PyJWT EdDSA decode with the same checks | {python[0]:.1f} µs ({python[1]:.1f}–{python[2]:.1f}) |", "",
    f"Gatehouse / libsodium: **{verify_ratio:.2f}×** (with the report {report_ratio:.2f}×); PyJWT / Gatehouse: "
    f"**{pyjwt_ratio:.2f}×** (with the report {python[0] / verify_report[0]:.2f}×).", "",
    f"A batch of {format(batch['passports'], ',').replace(',', ' ')} distinct passports (each its own identity, token and signature; `gatehouse-bench "
    "batch`), verified from one task and from two (each taking every other passport), 5 rounds each. "
    "\"Cores busy\" is the process's CPU time over the wall time: on a machine shared with other work the second "
    "task may not get a core of its own; passports per CPU-second is what each busy core delivered.", "",
    "| run | passports/s | cores busy | passports per CPU-second |", "|---|---|---|---|",
] + [f"| {label} | {statistics.median(batch[key]['per_s']):.0f} ({min(batch[key]['per_s']):.0f}–{max(batch[key]['per_s']):.0f}) "
     f"| {statistics.median(batch[key]['cores_busy']):.2f} "
     f"| {statistics.median(batch[key]['per_cpu_s']):.0f} |"
     for key, label in (("one_task", "1 task, `outcome`"), ("two_tasks", "2 tasks, `outcome`"),
                        ("two_tasks_report", "2 tasks, `verify` (with the report)"),
                        ("one_task_libsodium", "1 task, bare libsodium signature checks (the floor)"),
                        ("two_tasks_libsodium", "2 tasks, bare libsodium signature checks (the floor)"))] + [
    "",
    "## Tool-call round trips over stdio", "",
    "Sequential `tools/call` of `echo` (`{\"text\": \"hello\"}`); each client starts its own copy of the same "
    "server. Gatehouse is its MCP client layer (`gatehouse-bench calls`, the code every host call goes through), "
    "in the legacy era like the raw client, and also in the 2026-07-28 era it negotiates with mcp 2.3; the "
    "Python SDK client is `ClientSession` (`bench/sdk_client.py`); the raw client is `bench/rawclient.c` "
    "(pipes and hand-written JSON-RPC lines). CPU is the client process's own.", "",
    f"Against the official Python SDK server (`bench/sdk_echo_server.py`, mcp 2.3; 3 rounds of 300 calls):", "",
] + round_trip_table(sdk) + [
    "",
    f"Gatehouse / raw: **{sdk_ratio:.2f}×**; Python SDK client / Gatehouse: **{sdk_client_ratio:.2f}×**.", "",
    "Against a native echo server (`bench/echo_server.c`; 3 rounds of 10 000 calls), where the raw client is the "
    "bare pipe ping-pong of the same bytes:", "",
] + round_trip_table(native) + [
    "",
    f"Host overhead over the ping-pong: **{overhead:.0f} µs** per call.", "",
    "## One-shot calls", "",
    "A whole process per call of `get_current_time` on `mcp-server-time` (the same server command for all); "
    "8 rounds after one warm-up each. `gatehouse call` runs with `trust.mode` `warn` (the server has no "
    "passport; verification still runs and reports it unverified).", "",
    "| client | wall time |", "|---|---|",
] + [f"| {name} | {value['median_s'] * 1e3:.0f} ms ({value['min_s'] * 1e3:.0f}–{value['max_s'] * 1e3:.0f}) |"
     for name, value in once.items()] + [
    "",
    f"`gatehouse call` / raw floor: **{one_shot_ratio:.2f}×**; mcp-cli / Gatehouse: "
    f"**{once['mcp-cli cmd']['median_s'] / once['gatehouse call']['median_s']:.2f}×**; Python SDK client / Gatehouse: "
    f"**{once['Python SDK client']['median_s'] / once['gatehouse call']['median_s']:.2f}×**.", "",
    "## Connect, verify and list tools", "",
    "`gatehouse audit --parallel 64` from a fresh trust store: every server connected, its passport verified "
    "(Ed25519, revocation list of 10 000 entries) and its tools listed; 3 runs each.", "",
    "| fleet | wall time |", "|---|---|",
] + [f"| {name} {'native echo servers with passports' if 'stdio' in name else 'Streamable HTTP endpoints on one loopback server (`bench/http_fleet.py`)'} "
     f"| {value['median_s']:.3f} s ({value['min_s']:.3f}–{value['max_s']:.3f}) |" for name, value in connect.items()] + [
    f"| 50 Python stdio servers, 0.5 s per handshake request (`bench/fleet-audit.sh 50 0.5`) | {fleet_median:.2f} s "
    f"({min(fleet):.2f}–{max(fleet):.2f}) |", "",
    "## A 1 000-server fleet in shards (SPEC §10)", "",
    f"{host['sharded']['count']} native echo servers with passports over stdio, audited whole and as "
    f"{host['sharded']['shards']} shards (`--shard K/{host['sharded']['shards']}`, sizes "
    f"{', '.join(str(size) for size in host['sharded']['sizes'])}), default `--parallel`, fresh trust stores; "
    f"medians of {host['sharded']['rounds']} rounds. A shard alone is what one of N machines spends; "
    f"all shards at once share this machine's {cores} cores.", "",
    "| run | wall time |", "|---|---|",
    f"| whole fleet, one process | {host['sharded']['whole']['median_s']:.2f} s ({host['sharded']['whole']['min_s']:.2f}–{host['sharded']['whole']['max_s']:.2f}) |",
] + [f"| shard {index + 1}/{host['sharded']['shards']} alone | {value['median_s']:.2f} s ({value['min_s']:.2f}–{value['max_s']:.2f}) |"
     for index, value in enumerate(host['sharded']['per_shard'])] + [
    f"| slowest shard (the fleet's time on {host['sharded']['shards']} machines) | {max(value['median_s'] for value in host['sharded']['per_shard']):.2f} s |",
    f"| all {host['sharded']['shards']} shards at once on this machine | {host['sharded']['concurrent']['median_s']:.2f} s "
    f"({host['sharded']['concurrent']['min_s']:.2f}–{host['sharded']['concurrent']['max_s']:.2f}) |",
    f"| `audit merge` of the {host['sharded']['shards']} reports | {host['sharded']['merge']['median_s']:.2f} s |", "",
    "## Through `gatehouse proxy` (SPEC §8)", "",
    f"`bash bench/proxy-overhead.sh {proxy['count']} {proxy['rounds']}`: {proxy['count']} sequential `tools/call` of "
    "`echo` from `bench/rawclient.c` as the host, to each upstream directly and through `gatehouse proxy` in front of it "
    f"(the two alternate; {proxy['rounds']} rounds, medians with (min–max)). Latency is the client's per-call median; CPU is "
    "the server side's user+system time per call (the proxy's includes its upstream's and its own start-up), so "
    "the difference is what the proxy costs.", "",
    "| upstream | direct | through the proxy | added latency | direct CPU | proxy + upstream CPU | added CPU |",
    "|---|---|---|---|---|---|---|",
] + [f"| {label} | {u['direct_us']['median']:.0f} µs | {u['proxy_us']['median']:.0f} µs "
     f"| **{u['added_us']['median']:.0f} µs** ({u['added_us']['min']:.0f}–{u['added_us']['max']:.0f}) "
     f"| {u['direct_cpu_us']['median']:.0f} µs | {u['proxy_cpu_us']['median']:.0f} µs "
     f"| **{u['added_cpu_us']['median']:.0f} µs** ({u['added_cpu_us']['min']:.0f}–{u['added_cpu_us']['max']:.0f}) |"
     for label, u in (("native echo server", proxy["upstreams"]["native"]),
                      ("Python SDK server (mcp 2.3)", proxy["upstreams"]["sdk"]))] + [
    "",
    f"Start to the answer of the first `tools/list` on a native server with a passport (verified by the proxy: "
    f"fresh registry key, revocation list), 20 runs each: direct **{proxy['start_ms']['direct']['median']:.1f} ms** "
    f"({proxy['start_ms']['direct']['min']:.1f}–{proxy['start_ms']['direct']['max']:.1f}), through the proxy "
    f"**{proxy['start_ms']['proxy']['median']:.1f} ms** ({proxy['start_ms']['proxy']['min']:.1f}–{proxy['start_ms']['proxy']['max']:.1f}).", "",
    "## Growth with the fleet's size (10, 100, 1 000 servers)", "",
    "One `gatehouse audit` (connect, verify, list tools; `--parallel 64`, fresh trust store) per fleet size, 2 rounds, "
    "medians: wall time and the process's peak RSS (GNU time's `%M`). The last column is what each server beyond the "
    f"{scale_counts[-2]}th adds (the difference between the last two sizes over the servers between them): a cost "
    "per server that stays flat is linear growth. At start Gatehouse raises its soft open-file limit to the hard "
    "limit (each stdio server takes three pipes).", "",
    "| fleet | " + " | ".join(f"{count} servers" for count in scale_counts) + " | each server added |",
    "|---|" + "---|" * len(scale_counts) + "---|",
    scale_row("stdio", "native stdio echo servers with passports"),
    scale_row("http", "Streamable HTTP endpoints on one loopback server"), "",
    "## Footprint", "",
    f"- Peak RSS (VmHWM) of the REPL with 50 verified stdio servers connected and their tools listed: "
    f"**{rss_mb:.1f} MB**; at that moment {host['rss']['RssFile_kB'] / 1024:.1f} MB of the resident set were pages of "
    f"shared libraries (the Swift runtime, Foundation, ICU, libcurl and its dependencies; shared with every other "
    f"process that maps them) and {host['rss']['RssAnon_kB'] / 1024:.1f} MB Gatehouse's own memory.",
    f"- `gatehouse --version`: **{version_ms:.1f} ms** ({host['version']['min_ms']:.1f}–{host['version']['max_ms']:.1f}), 30 runs.",
    "",
    open("bench/findings.md").read().rstrip(), "",
]
print("\n".join(lines))
