"""The mock over real HTTP: uvicorn on 127.0.0.1 with a free port; clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import httpx
import pytest

from interop.adapters.mock import mock_for_cluster
from interop.adapters.mock.asgi import running
from interop.adapters.mock.auth import make_jwt

AUTH = {"Authorization": f"Bearer {make_jwt()}"}


def test_served_mock_is_stateful_validating_and_logs_each_request() -> None:
    mock = mock_for_cluster("defence")
    lines: list[str] = []
    with running(mock, quiet=False, log=lines.append) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=base_url, headers=AUTH) as client:
            listed = client.get("/workers", params={"limit": 2})
            assert listed.status_code == 200
            assert listed.headers["content-type"].startswith("application/")
            worker = listed.json()["items"][0]["PersonId"]
            assert client.get(f"/workers/{worker}").json()["PersonId"] == worker
            rejected = client.get("/workers", params={"limit": "many"})
            assert rejected.status_code == 400
            assert client.get("/workers", headers={"Authorization": ""}).status_code == 401
            with pytest.raises(httpx.RemoteProtocolError):
                client.get("/workers", headers={"X-Interop-Fault": "drop"})
            assert client.get("/workers", params={"limit": 1}).status_code == 200
    assert len(lines) == 6
    assert "GET /workers conformed" in lines[0]
    assert "VIOLATION query parameter 'limit'" in lines[2]
    assert "fault=drop" in lines[4]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow  # a fresh interpreter imports jsonschema's format extras: several seconds
def test_serve_stops_cleanly_on_sigterm() -> None:
    port = _free_port()
    script = textwrap.dedent(
        f"""
        import logging, sys
        from interop.adapters.mock import mock_for_cluster
        from interop.adapters.mock.asgi import serve
        serve(mock_for_cluster("synergy"), port={port}, log=lambda line: print(line, flush=True))
        print("stopped", flush=True)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/hcmRestApi/resources/11.13.18.05/positions"
        for _ in range(200):
            try:
                response = httpx.get(url, headers=AUTH, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            pytest.fail("served mock never answered")
        assert response.status_code == 200
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out.startswith("interop mock: synergy 1.5.0 on http://127.0.0.1:")
    assert "GET /positions conformed" in out
    assert out.strip().endswith("stopped")
    assert "Traceback" not in err


def test_port_in_use_is_a_usage_error() -> None:
    from interop.adapters.mock.asgi import serve
    from interop.harness.errors import UsageError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match=f"cannot listen on 127.0.0.1:{port}"):
            serve(mock_for_cluster("synergy"), port=port)


def test_problem_header_survives_control_characters() -> None:
    mock = mock_for_cluster("synergy")
    with running(mock) as base_url, httpx.Client(base_url=base_url, headers=AUTH) as client:
        response = client.post("/receipts", json={"InvoiceNumber": "\x00\x1a\r\nü" * 50})
        assert response.status_code == 400
        assert response.headers["x-interop-problem"].isprintable()


def test_every_answer_names_the_mock_that_gave_it() -> None:
    """X-Interop-Mock: evidence gathered against a mock can be told from a sandbox's."""
    mock = mock_for_cluster("defence")
    version = mock.contract.version
    with running(mock) as base_url, httpx.Client(base_url=base_url, headers=AUTH) as client:
        answers = [
            client.get("/workers", params={"limit": 1}),  # a success
            client.get("/workers/999999999"),  # an unknown id
            client.get("/workers", headers={"Authorization": ""}),  # refused
            client.get("/no/such/path"),  # undeclared
            client.get("/workers", headers={"X-Interop-Fault": "503"}),  # injected
            client.post("/newHires", content=b"x" * (17 * 1024 * 1024)),  # too large to read
        ]
    assert [a.status_code for a in answers][:5] == [200, 404, 401, 404, 503]
    assert answers[5].status_code == 413
    assert {a.headers["x-interop-mock"] for a in answers} == {f"defence {version}"}
    in_process = mock.client(headers=AUTH).get("/workers")
    assert in_process.headers["x-interop-mock"] == f"defence {version}"
