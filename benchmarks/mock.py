"""Served mock throughput: interop's mock against Stoplight Prism on the same contract.

    python benchmarks/mock.py [--cluster synergy | --spec FILE] [--duration 60] [--connections 64]

Serves the cluster's mock with uvicorn and ``prism mock`` on the same contract file, loads each
with ``wrk`` (Debian package ``wrk``) for a list GET, a single GET and a validated POST, and
prints requests/second, the ratio interop/Prism and errors (non-2xx, socket errors). Prism is
installed with ``npm install @stoplight/prism-cli`` into benchmarks/.prism/ (gitignored); when
that fails the Prism column says why. The issue's target: >= 3x Prism on each, 0 errors at 64
connections over 60 s. Then ``interop verify`` wall time against the mock, when available.

``--spec FILE`` mocks any contract file instead of a catalogue cluster:
``benchmarks/specs/pattern-ids.yaml`` is a collection whose ids are pattern codes
(``^W[0-9]{6}$``), the identifier shape that creates were slowest for.
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
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from interop.adapters.mock import Mock

HERE = Path(__file__).resolve().parent
PRISM_DIR = HERE / ".prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"

SERVER = """
import sys
from interop.adapters.mock import mock_for_cluster, mock_for_spec
from interop.adapters.mock.asgi import serve
if sys.argv[1] == "--spec":
    mock = mock_for_spec(sys.argv[2])
else:
    mock = mock_for_cluster(sys.argv[1], sys.argv[2] or None)
serve(mock, port=int(sys.argv[3]), quiet=True)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", default="synergy")
    parser.add_argument("--version", default=None)
    parser.add_argument("--spec", default=None, help="mock this contract file instead")
    parser.add_argument("--duration", type=int, default=60, help="seconds per run (default 60)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-prism", action="store_true")
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk not found: apt-get install -y wrk", file=sys.stderr)
        return 2
    mock = build(args.cluster, args.version, args.spec)
    headers = mock.credentials()
    contract, runs = scenarios(args.cluster, args.version, args.spec)
    base_path = mock.base_path
    processes: list[subprocess.Popen[bytes]] = []
    served = ["--spec", args.spec] if args.spec else [args.cluster, args.version or ""]
    port = free_port()
    processes.append(
        subprocess.Popen(
            [sys.executable, "-c", SERVER, *served, str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    ours = f"http://127.0.0.1:{port}{base_path}"
    prism_url = None
    prism_problem = "skipped (--skip-prism)" if args.skip_prism else ensure_prism()
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
            f"{'spec' if args.spec else 'cluster ' + args.cluster} ({contract}), "
            f"{args.duration} s per run, "
            f"{args.connections} connections, {args.threads} wrk threads"
        )
        header = f"{'request':<52} {'interop req/s':>13} {'prism req/s':>12} {'ratio':>6}"
        print(header + f" {'errors i/p':>11} {'p99 ms i/p':>13}")
        for name, path, body in runs:
            mine = run_wrk(
                ours + path,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
                headers=headers,
                body=body,
            )
            theirs = None
            if prism_url is not None:
                theirs = run_wrk(
                    prism_url + path,
                    duration=args.duration,
                    connections=args.connections,
                    threads=args.threads,
                    headers=headers,
                    body=body,
                )
            errors = int(mine["non2xx"] + mine["socket_errors"])
            if theirs is not None:
                ratio = mine["rps"] / theirs["rps"] if theirs["rps"] else float("inf")
                their_errors = int(theirs["non2xx"] + theirs["socket_errors"])
                latency = f"{mine['p99_ms']:>6.1f}/{theirs['p99_ms']:<6.1f}"
                print(
                    f"{name[:52]:<52} {mine['rps']:>13.0f} {theirs['rps']:>12.0f} {ratio:>5.1f}x"
                    f" {errors:>5}/{their_errors:<5} {latency}"
                )
            else:
                print(
                    f"{name[:52]:<52} {mine['rps']:>13.0f} {'-':>12} {'-':>6}"
                    f" {errors:>5}/-     {mine['p99_ms']:>6.1f}/-"
                )
        if prism_problem is not None:
            print(f"prism: {prism_problem}")
        if not args.skip_verify and args.spec is None:
            verify_time(args.cluster, ours, headers)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
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
