"""Measures `interop conform`: the whole bundled catalogue in-process, and traffic to a served mock.

    .venv/bin/python benchmarks/conform.py [--jobs N] [--max-examples N] [--cluster C]

1. The wall time of `interop conform` over every programme x cluster pair of the bundled
   catalogue against the in-process mocks (target: at most 60 s on 2 cores at the default
   examples), as a user runs it: the CLI, in a fresh interpreter, reports not written.
2. The requests per second conform sustains against one cluster's mock served over HTTP by
   uvicorn (`interop mock serve`, another process), every programme of that cluster in turn.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
INTEROP = [sys.executable, "-m", "interop.harness.cli"]
_SERVE = """
import sys
from interop.adapters.mock import mock_for_cluster
from interop.adapters.mock.asgi import serve
serve(mock_for_cluster(sys.argv[1]), port=int(sys.argv[2]), quiet=True)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _conform(args: list[str]) -> tuple[float, dict[str, object], str]:
    """One CLI run; JSON to a file so that the progress lines (request counts) reach stderr."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "conform.json"
        started = time.perf_counter()
        done = subprocess.run(
            [
                *INTEROP,
                "conform",
                "--format",
                "json",
                "--output",
                str(output),
                "--no-reports",
                *args,
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise SystemExit(f"interop conform failed ({done.returncode}): {done.stderr.strip()}")
        return elapsed, json.loads(output.read_text()), done.stderr


def _requests(stderr: str) -> int:
    match = re.search(r"conform: (\d+) requests", stderr)
    return int(match.group(1)) if match else 0


def catalogue_run(jobs: int, examples: int) -> None:
    elapsed, result, stderr = _conform(["-j", str(jobs), "--max-examples", str(examples)])
    pairs = result["pairs"]
    assert isinstance(pairs, list)
    bad = sum(p["status"] != "compatible" for p in pairs)
    live = {f["rule"] for f in result["findings"] if f["evidence"] == "live"}  # type: ignore[attr-defined]
    sent = _requests(stderr)
    verdict = "meets" if elapsed <= 60 else "MISSES"
    print(
        f"catalogue, in-process mocks: {len(pairs)} pairs, {sent} requests, "
        f"{bad} not compatible, {len(live)} live rules seen"
    )
    print(
        f"  wall time {elapsed:.1f} s with -j {jobs}, {examples} examples per operation "
        f"({verdict} the 60 s target); {sent / elapsed:.0f} requests/s overall"
    )


def served_run(cluster: str, examples: int) -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", _SERVE, cluster, str(port)], cwd=REPO)
    try:
        with httpx.Client() as client:
            for _ in range(300):
                try:
                    client.get(f"http://127.0.0.1:{port}/")
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
        from interop.adapters.mock import mock_for_cluster

        mock = mock_for_cluster(cluster)
        base = f"http://127.0.0.1:{port}{mock.base_path}"
        headers = [f"{name}: {value}" for name, value in mock.credentials().items()]
        flags = [item for header in headers for item in ("--header", header)]
        elapsed, result, stderr = _conform(
            ["--cluster", cluster, "--base-url", base, "--max-examples", str(examples), *flags]
        )
        sent = _requests(stderr)
        pairs = result["pairs"]
        assert isinstance(pairs, list)
        print(
            f"served {cluster} mock (uvicorn, another process): {len(pairs)} programmes, "
            f"{sent} requests in {elapsed:.1f} s = {sent / elapsed:.0f} requests/s "
            "(the interpreter's start and the static check included)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--cluster", default="synergy")
    args = parser.parse_args()
    catalogue_run(args.jobs, args.max_examples)
    served_run(args.cluster, args.max_examples)


if __name__ == "__main__":
    main()
