"""Served mock throughput: interop's mock against Stoplight Prism on the same contract.

    python benchmarks/mock.py [--cluster synergy | --spec FILE | --shapes] [--duration 60]
                              [--connections 64]
    python benchmarks/mock.py --soak 600 [--spec FILE | --cluster C] [--max-records N]

Serves the cluster's mock with uvicorn and ``prism mock`` on the same contract file, loads each
with ``wrk`` (Debian package ``wrk``) for a list GET, a single GET and a validated POST, and
prints requests/second, the ratio interop/Prism and errors (non-2xx, socket errors). Prism is
installed with ``npm install @stoplight/prism-cli`` into benchmarks/.prism/ (gitignored); when
that fails the Prism column says why. The issue's target: >= 3x Prism on each, 0 errors at 64
connections over 60 s. Then ``interop verify`` wall time against the mock, when available.

``--spec FILE`` mocks any contract file instead of a catalogue cluster. ``--shapes`` measures
the specs in ``benchmarks/specs/`` made for it, one per identifier shape: int64 numbers, UUIDs,
32-hex keys, pattern codes (``^W[0-9]{6}$``) and OData keys (``/Workers('W123')``,
``{d: {...}}``), and ends with a table of every shape and request against the target.

``--soak SECONDS`` (default 600 when given without a value) serves creates only, for that long,
to a mock of ``--spec`` (default ``benchmarks/specs/int64-ids.yaml``) or ``--cluster``, and prints
the server's RSS at the start, its peak and at the end, and the records each collection held
when it stopped: state memory must stay bounded (``--max-records``, docs/mock.md).

Every mode prints the load average before and after: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from interop.adapters.mock import Mock

HERE = Path(__file__).resolve().parent
SPECS = HERE / "specs"
ID_SHAPES = tuple(
    SPECS / name
    for name in (
        "int64-ids.yaml",
        "uuid-ids.yaml",
        "hex32-ids.yaml",
        "pattern-ids.yaml",
        "odata-keys.yaml",
    )
)
"""One spec per identifier shape (the other specs in benchmarks/specs/ serve other benchmarks)."""
PRISM_DIR = HERE / ".prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"

SERVER = """
import json, sys
from interop.adapters.mock import mock_for_cluster, mock_for_spec
from interop.adapters.mock.asgi import serve
limit = int(sys.argv[4])
if sys.argv[1] == "--spec":
    mock = mock_for_spec(sys.argv[2], max_records=limit)
else:
    mock = mock_for_cluster(sys.argv[1], sys.argv[2] or None, max_records=limit)
serve(mock, port=int(sys.argv[3]), quiet=True)
held = {c.template: [len(c.records), c.created_count] for c in mock.store if c.records}
print(json.dumps(held), flush=True)
"""


def build(cluster: str, version: str | None, spec: str | None) -> Mock:
    """The mock the benchmark measures: a catalogue cluster's, or any contract file's."""
    from interop.adapters.mock import mock_for_cluster, mock_for_spec

    if spec is not None:
        return mock_for_spec(spec)
    return mock_for_cluster(cluster, version)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, headers: dict[str, str], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(url, headers=headers, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def ensure_prism() -> str | None:
    """None when Prism is ready, else why it is not."""
    if PRISM_BIN.exists():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found"
    PRISM_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "@stoplight/prism-cli"],
        cwd=PRISM_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not PRISM_BIN.exists():
        return f"npm install @stoplight/prism-cli failed: {done.stderr.strip()[-200:]}"
    return None


def run_wrk(
    url: str,
    *,
    duration: int,
    connections: int,
    threads: int,
    headers: dict[str, str],
    body: str | None = None,
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        lines = [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
        if body is not None:
            lines += [
                'wrk.method = "POST"',
                'wrk.headers["Content-Type"] = "application/json"',
                f"wrk.body = {json.dumps(body)}",
            ]
        script.write("\n".join(lines) + "\n")
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "-s",
        script.name,
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    os.unlink(script.name)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    latency = 0.0
    if p99:
        latency = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "non2xx": float(non2xx.group(1)) if non2xx else 0.0,
        "socket_errors": float(sum(int(g) for g in sockets.groups())) if sockets else 0.0,
        "p99_ms": latency,
    }


def scenarios(
    cluster: str, version: str | None, spec: str | None = None
) -> tuple[str, list[tuple[str, str, str | None]]]:
    """The contract file and (name, path, POST body) of the three measured requests."""
    from interop.adapters.mock.generate import instance_for

    mock = build(cluster, version, spec)
    client = mock.client(headers=mock.credentials())
    lists = [op for op in mock.operations if op.kind == "list" and "{" not in op.template]
    list_op = next((op for op in lists if op.collection.item_template), lists[0])
    collection = list_op.collection
    collection.ensure_seeded(mock.store)
    item_id = next(iter(collection.records))
    item_path = collection.item_template.replace("{" + collection.id_param_name + "}", item_id)
    create = next(op for op in mock.operations if op.kind == "create" and op.body is not None)
    shape = next(s for m, s in create.body.media if "json" in m and s is not None)
    ok, body = instance_for(shape.schema, shape.is_valid, seed=1)
    assert ok, "no valid POST body"
    check = client.post(create.template, json=body)
    assert check.status_code < 300, check.text
    return str(mock.contract.file), [
        (f"list GET {list_op.template}", list_op.template, None),
        (f"single GET {collection.item_template}", item_path, None),
        (f"validated POST {create.template}", create.template, json.dumps(body)),
    ]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def _serve_ours(served: list[str], max_records: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, *served, str(port), str(max_records)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    return process, port


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


Row = tuple[str, str, dict[str, float], dict[str, float] | None]
"""(shape or target, request, interop's wrk figures, Prism's or None)."""


def measure(
    args: argparse.Namespace, cluster: str, spec: str | None, label: str
) -> tuple[list[Row], str | None]:
    """Serve interop's mock and Prism on one contract and load both with wrk: one row per
    request (list, single, create). Returns the rows and why Prism was not measured."""
    mock = build(cluster, args.version, spec)
    headers = mock.credentials()
    contract, runs = scenarios(cluster, args.version, spec)
    served = ["--spec", spec] if spec else [cluster, args.version or ""]
    ours_process, port = _serve_ours(served, args.max_records)
    processes = [ours_process]
    ours = f"http://127.0.0.1:{port}{mock.base_path}"
    prism_url = None
    prism_problem = "skipped (--skip-prism)" if args.skip_prism else ensure_prism()
    rows: list[Row] = []
    try:
        wait_for(ours + runs[0][1], headers)
        if prism_problem is None:
            prism_port = free_port()
            processes.append(
                subprocess.Popen(
                    [str(PRISM_BIN), "mock", "-h", "127.0.0.1", "-p", str(prism_port), contract],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            prism_url = f"http://127.0.0.1:{prism_port}"
            try:
                wait_for(prism_url + runs[0][1], headers)
            except RuntimeError as exc:
                prism_problem, prism_url = str(exc), None
        print(
            f"{label} ({contract}), {args.duration} s per run, "
            f"{args.connections} connections, {args.threads} wrk threads; {_load()}"
        )
        header = f"{'request':<52} {'interop req/s':>13} {'prism req/s':>12} {'ratio':>6}"
        print(header + f" {'errors i/p':>11} {'p99 ms i/p':>13}")
        for name, path, body in runs:
            load = {
                "duration": args.duration,
                "connections": args.connections,
                "threads": args.threads,
                "headers": headers,
                "body": body,
            }
            mine = run_wrk(ours + path, **load)  # type: ignore[arg-type]
            theirs = run_wrk(prism_url + path, **load) if prism_url else None  # type: ignore[arg-type]
            rows.append((label, name, mine, theirs))
            print(_line(name, mine, theirs))
        if prism_problem is not None:
            print(f"prism: {prism_problem}")
        if not args.skip_verify and spec is None and not args.shapes:
            verify_time(cluster, ours, headers)
    finally:
        _stop(processes)
    return rows, prism_problem


def _errors(figures: dict[str, float]) -> int:
    return int(figures["non2xx"] + figures["socket_errors"])


def _ratio(mine: dict[str, float], theirs: dict[str, float] | None) -> float | None:
    if theirs is None:
        return None
    return mine["rps"] / theirs["rps"] if theirs["rps"] else float("inf")


def _line(name: str, mine: dict[str, float], theirs: dict[str, float] | None) -> str:
    ratio = _ratio(mine, theirs)
    if theirs is None or ratio is None:
        return (
            f"{name[:52]:<52} {mine['rps']:>13.0f} {'-':>12} {'-':>6}"
            f" {_errors(mine):>5}/-     {mine['p99_ms']:>6.1f}/-"
        )
    latency = f"{mine['p99_ms']:>6.1f}/{theirs['p99_ms']:<6.1f}"
    return (
        f"{name[:52]:<52} {mine['rps']:>13.0f} {theirs['rps']:>12.0f} {ratio:>5.1f}x"
        f" {_errors(mine):>5}/{_errors(theirs):<5} {latency}"
    )


def shapes(args: argparse.Namespace) -> int:
    """Every identifier shape in benchmarks/specs/: list, single and create, against Prism."""
    rows: list[Row] = []
    for spec in ID_SHAPES:
        found, _ = measure(args, args.cluster, str(spec), f"shape {spec.stem}")
        rows.extend(found)
        print()
    print(f"summary ({args.duration} s per run, {args.connections} connections; {_load()}):")
    print(
        f"{'shape':<14} {'request':<8} {'interop':>8} {'prism':>8} {'ratio':>6}"
        f" {'non-2xx/socket':>15}  >=3x, 0 errors"
    )
    missed = 0
    for label, name, mine, theirs in rows:
        ratio = _ratio(mine, theirs)
        kind = "create" if name.startswith("validated") else name.split()[0]
        met = ratio is not None and ratio >= 3.0 and _errors(mine) == 0
        missed += not met
        shown = f"{ratio:>5.1f}x" if ratio is not None else "     -"
        prism = f"{theirs['rps']:>8.0f}" if theirs is not None else f"{'-':>8}"
        print(
            f"{label.removeprefix('shape '):<14} {kind:<8} {mine['rps']:>8.0f} {prism} {shown}"
            f" {int(mine['non2xx']):>7}/{int(mine['socket_errors']):<7}"
            f"  {'met' if met else 'MISSED'}"
        )
    print(f"{len(rows) - missed} of {len(rows)} met the target")
    return 0


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def soak(args: argparse.Namespace) -> int:
    """Creates only, for ``--soak`` seconds: the server's RSS at start, peak and end, and the
    records it held."""
    spec = args.spec or (None if args.cluster_given else str(SPECS / "int64-ids.yaml"))
    mock = build(args.cluster, args.version, spec)
    headers = mock.credentials()
    _, runs = scenarios(args.cluster, args.version, spec)
    name, path, body = runs[2]
    served = ["--spec", spec] if spec else [args.cluster, args.version or ""]
    process, port = _serve_ours(served, args.max_records)
    url = f"http://127.0.0.1:{port}{mock.base_path}"
    try:
        wait_for(url + runs[0][1], headers)
        idle = _rss_kib(process.pid)
        # One warm-up second of creates: the start figure is the served mock, not the import.
        run_wrk(url + path, duration=1, connections=args.connections, threads=args.threads,
                headers=headers, body=body)  # fmt: skip
        start = _rss_kib(process.pid)
        print(
            f"soak: {name} for {args.soak} s, {args.connections} connections, "
            f"max_records {args.max_records}; {_load()}"
        )
        print(f"  before any create: RSS {idle / 1024:8.1f} MiB")
        print(f"  t={0:>5} s  RSS {start / 1024:8.1f} MiB (after 1 s of warm-up creates)")
        wrk = threading.Thread(
            target=lambda: figures.update(
                run_wrk(
                    url + path,
                    duration=args.soak,
                    connections=args.connections,
                    threads=args.threads,
                    headers=headers,
                    body=body,
                )
            )
        )
        figures: dict[str, float] = {}
        began = time.monotonic()
        wrk.start()
        peak = start
        samples = 0
        while wrk.is_alive():
            wrk.join(timeout=1.0)
            rss = _rss_kib(process.pid)
            peak = max(peak, rss)
            samples += 1
            if samples % max(1, args.soak // 10) == 0:
                elapsed = time.monotonic() - began
                print(f"  t={elapsed:>5.0f} s  RSS {rss / 1024:8.1f} MiB")
        end = _rss_kib(process.pid)
    finally:
        _stop([process])
    held = (process.stdout.read().decode() if process.stdout else "").strip()
    print(
        f"RSS start {start / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB, end {end / 1024:.1f} MiB "
        f"({(end - start) / 1024:+.1f} MiB); {figures.get('rps', 0):.0f} creates/s, "
        f"errors {_errors(figures) if figures else '?'}; {_load()}"
    )
    print(f"records held at the end (collection: [records, of which created]): {held or '?'}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", default=None)
    parser.add_argument("--version", default=None)
    parser.add_argument("--spec", default=None, help="mock this contract file instead")
    parser.add_argument("--shapes", action="store_true", help="every spec in benchmarks/specs/")
    parser.add_argument("--soak", type=int, nargs="?", const=600, default=None, metavar="SECONDS")
    parser.add_argument("--max-records", type=int, default=5000, help="served mock's cap")
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (default 60)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-prism", action="store_true")
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    args.cluster_given = args.cluster is not None
    args.cluster = args.cluster or "synergy"
    if shutil.which("wrk") is None:
        print("wrk not found: apt-get install -y wrk", file=sys.stderr)
        return 2
    if args.soak is not None:
        return soak(args)
    if args.shapes:
        return shapes(args)
    label = "spec" if args.spec else f"cluster {args.cluster}"
    measure(args, args.cluster, args.spec, label)
    return 0


def verify_time(cluster: str, base_url: str, headers: dict[str, str]) -> None:
    """``interop verify`` (the library call the CLI makes) against the served mock, timed."""
    try:
        from interop.harness.catalogue import load_catalogue
        from interop.harness.loading import load_contract
        from interop.harness.verify import verify
    except ImportError as exc:
        print(f"interop verify: not measured ({exc})")
        return
    file = load_catalogue().cluster(cluster).current_file
    started = time.monotonic()
    try:
        result = verify(load_contract(file), base_url=base_url, headers=list(headers.items()))
    except Exception as exc:  # the benchmark reports, it does not debug verify
        print(f"interop verify: not measured ({type(exc).__name__}: {exc})")
        return
    elapsed = time.monotonic() - started
    findings = len(result.findings)
    print(
        f"interop verify --cluster {cluster} against the served mock (default examples): "
        f"{elapsed:.1f} s, {findings} findings"
    )


if __name__ == "__main__":
    sys.exit(main())
