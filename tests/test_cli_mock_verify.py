"""`interop mock serve` and `interop verify` end to end, as a cluster team would run them."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

INTEROP = str(Path(sys.executable).parent / "interop")
SECRET = "sekrit-token-4711"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served_synergy() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    server = subprocess.Popen(
        [INTEROP, "mock", "serve", "--cluster", "synergy", "--port", str(port), "--seed", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/", timeout=1)
            break
        except httpx.TransportError:
            if server.poll() is not None:
                pytest.fail(f"mock exited: {server.stderr.read() if server.stderr else ''}")
            time.sleep(0.2)
    yield base, server
    if server.poll() is None:
        server.kill()
    server.communicate()  # reap it and close its pipes


def test_verify_against_the_served_mock_finds_nothing_and_leaks_nothing(served_synergy):
    base, server = served_synergy
    verified = subprocess.run(
        [
            INTEROP,
            "verify",
            "--cluster",
            "synergy",
            "--base-url",
            base + "/hcmRestApi/resources/11.13.18.05",
            "--header",
            f"Authorization: Bearer {SECRET}",
            "--max-examples",
            "3",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout[-2000:] + verified.stderr[-2000:]
    document = json.loads(verified.stdout)
    assert document["findings"] == []
    assert SECRET not in verified.stdout and SECRET not in verified.stderr
    assert "INTEROP_HEADER_AUTHORIZATION" in document["run"]["command"]

    server.send_signal(signal.SIGINT)  # Ctrl-C stops it cleanly
    _, log = server.communicate(timeout=30)
    assert server.returncode == 0
    assert "conformed" in log and "Traceback" not in log


def test_verify_an_unreachable_sandbox_is_one_line():
    completed = subprocess.run(
        [
            INTEROP,
            "verify",
            "--cluster",
            "unity",
            "--base-url",
            f"http://127.0.0.1:{_free_port()}",
            "--header",
            f"Authorization: Bearer {SECRET}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith("interop: error: ")
    assert completed.stderr.count("\n") == 1
    assert SECRET not in completed.stderr


def test_mock_serve_needs_one_source():
    completed = subprocess.run(
        [INTEROP, "mock", "serve"], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 2
    assert "exactly one of --spec and --cluster" in completed.stderr
